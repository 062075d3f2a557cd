import { redactCommand, redactValue } from "../core/secrets.js";
import type { SystemModel } from "../model/types.js";
import type { Review } from "../review/types.js";

/**
 * The JSON report: the whole review, with model fields that could carry secret values
 * (literal configuration values) left out. Keys keep the insertion order of `Review`, so two
 * runs on the same input give byte-identical output.
 */
export function renderJson(review: Review): string {
  return `${JSON.stringify({ ...review, model: publicModel(review.model) }, null, 2)}\n`;
}

/**
 * The model as reports show it: literal configuration values (which may be secrets) stay in memory, and a
 * Dockerfile's ENV/ARG values that look secret are redacted the way compose environments are when read.
 */
export function publicModel(model: SystemModel): Omit<SystemModel, "configValues"> {
  const { configValues: _secrets, ...rest } = model;
  const env = (values: Record<string, string>) => Object.fromEntries(Object.entries(values).map(([key, value]) => [key, redactValue(key, value)]));
  const command = <T extends { text: string } | null>(c: T): T => (c ? { ...c, text: redactCommand(c.text) } : c);
  return {
    ...rest,
    dockerfiles: rest.dockerfiles.map((d) => ({
      ...d,
      env: env(d.env),
      command: command(d.command),
      entrypoint: command(d.entrypoint),
      stages: d.stages.map((stage) => ({ ...stage, env: env(stage.env), runs: stage.runs.map((r) => command(r)), command: command(stage.command), entrypoint: command(stage.entrypoint) })),
    })),
    composeServices: rest.composeServices.map((c) => ({ ...c, command: c.command === null ? null : redactCommand(c.command) })),
  };
}

/** `archscope model --format json`: exactly the review's `model` object. */
export function renderModelJson(model: SystemModel): string {
  return `${JSON.stringify(publicModel(model), null, 2)}\n`;
}
