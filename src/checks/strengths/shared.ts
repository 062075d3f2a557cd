import { fileRole, runsInProduction } from "../../core/file-roles.js";
import type { Evidence, SystemModel } from "../../model/types.js";
import type { CallFact, DecoratorFact } from "../../python/facts.js";
import type { ModuleInfo, ProjectIndex } from "../../python/project-index.js";
import { isServiceCode, serviceCalls } from "../code-paths.js";
import type { Check, CheckInput } from "../types.js";
export { joinAnd, plural } from "../../core/prose.js";

/*
 * What the strength checks share. A strength is reported only when the code shows the practice, with the place it is
 * shown; silence means "not shown", never "bad". Tests, scripts, examples and migrations show nothing about the service.
 */

/** Metadata every strength has: severity info, kind strength. */
export const STRENGTH = { severity: "info", kind: "strength" } as const;

/** Modules of the running service (not tests, scripts, tooling, examples or migrations), sorted by file. */
export function serviceModules(index: ProjectIndex): ModuleInfo[] {
  let modules = SERVICE_MODULES.get(index);
  if (!modules) {
    modules = [...index.modules.values()].filter((m) => isServiceCode(m.file) && runsInProduction(fileRole(m.file))).sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    SERVICE_MODULES.set(index, modules);
  }
  return [...modules];
}

/** The strength checks ask for the same modules and calls: listed and resolved once per project. */
const SERVICE_MODULES = new WeakMap<ProjectIndex, ModuleInfo[]>();
const SERVICE_CALLS = new WeakMap<ProjectIndex, ResolvedCall[]>();

export interface ResolvedCall {
  mod: ModuleInfo;
  call: CallFact;
  /** Qualified name through imports, or the callee as written when the file cannot tell. */
  resolved: string;
}

/** Every call of the running service, resolved through imports. */
export function serviceCallsResolved(index: ProjectIndex): readonly ResolvedCall[] {
  let calls = SERVICE_CALLS.get(index);
  if (!calls) {
    // the code-path calls, in production files, by file (a stable sort keeps each module's calls in order)
    calls = serviceCalls(index)
      .filter(({ mod }) => runsInProduction(fileRole(mod.file)))
      .map(({ mod, call, resolved }) => ({ mod, call, resolved: resolved ?? call.callee }))
      .sort((a, b) => (a.mod.file < b.mod.file ? -1 : a.mod.file > b.mod.file ? 1 : 0));
    SERVICE_CALLS.set(index, calls);
  }
  return calls;
}

export interface ResolvedDecorator {
  mod: ModuleInfo;
  decorator: DecoratorFact;
  /** The decorated function's qualname. */
  target: string;
  resolved: string;
}

/** Every decorator on a function of the running service, resolved through imports. */
export function* serviceDecorators(index: ProjectIndex): Generator<ResolvedDecorator> {
  for (const mod of serviceModules(index)) {
    for (const fn of mod.facts.functions) {
      for (const decorator of fn.decorators) yield { mod, decorator, target: fn.qualname, resolved: decorator.qualified ? index.resolve(decorator.qualified, mod.name) : decorator.name };
    }
  }
}

export function callEvidence({ mod, call }: { mod: ModuleInfo; call: CallFact }): Evidence {
  return { file: mod.file, line: call.line, snippet: call.snippet };
}

/** The reports of a concern check, for a strength that must not contradict it. */
export function concernFires(check: Check, input: CheckInput, where: (e: Evidence) => boolean = () => true): boolean {
  return check.run(input).some((r) => r.evidence.some(where) || r.evidence.length === 0);
}

/** Where a setting with this name (Django `INSTALLED_APPS`, `REST_FRAMEWORK`) is assigned in the running service. */
export function settingAssignments(index: ProjectIndex, name: string): Array<{ mod: ModuleInfo; line: number; text: string; items: string[] }> {
  const out: Array<{ mod: ModuleInfo; line: number; text: string; items: string[] }> = [];
  for (const mod of serviceModules(index)) {
    for (const a of mod.facts.assignments) if (a.target === name) out.push({ mod, line: a.line, text: a.text, items: a.items ?? [] });
  }
  return out;
}

/** The top folder of a path (`server` in `server/polar/app.py`), empty for a file at the root. */
function topFolder(path: string): string {
  return path.includes("/") ? (path.split("/")[0] as string) : "";
}

/**
 * Whether a file belongs to the service the review is about: the top folder that holds most of its endpoints (a
 * repository's `api/` rather than its `mcp/` sidecar or `sdk/`). Every file does when there are no endpoints, or
 * when the endpoints sit at the root.
 */
export function inMainService(model: SystemModel): (file: string) => boolean {
  const main = mainServiceFolder(model);
  if (main === null) return () => true;
  return (file) => topFolder(file) === main || topFolder(file) === "";
}

/** The top folder holding most endpoints (`server`, `api`, `backend`); null when there are none or they sit at the root. */
export function mainServiceFolder(model: SystemModel): string | null {
  const counts = new Map<string, number>();
  for (const e of model.endpoints) counts.set(topFolder(e.file), (counts.get(topFolder(e.file)) ?? 0) + 1);
  const main = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
  return main === undefined || main === "" ? null : main;
}

/** `, when \`settings.SENTRY_DSN\``: the condition a call runs under, for a message; empty when it runs unconditionally. */
export function whenClause(guard: string | null | undefined): string {
  if (!guard) return "";
  const text = guard.replace(/\s+/g, " ").trim();
  return `, when \`${text.length > 60 ? `${text.slice(0, 57)}…` : text}\``;
}
