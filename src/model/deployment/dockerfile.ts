import { DockerfileParser } from "dockerfile-ast";
import type { Diagnostic } from "../../core/diagnostics.js";
import type { WorkspaceFile } from "../../workspace/types.js";
import type { ConfigValue, Dockerfile } from "../types.js";
import { commandWords, parseServerCommand } from "./server-command.js";

const PYTHON_INSTALL = /\b(pip3?|uv|poetry|pipenv|pdm)\s+(install|sync)\b|\bpython3?\b/;
const PYTHON_COMMAND = /\b(python3?|gunicorn|uvicorn|hypercorn|granian|daphne|celery|uwsgi|fastapi|flask|django-admin|manage\.py)\b/;

/** Dockerfile basics through dockerfile-ast: stages and base images, last USER, HEALTHCHECK, CMD/ENTRYPOINT, EXPOSE. */
export function readDockerfile(file: WorkspaceFile, diagnostics: Diagnostic[], configValues: ConfigValue[] = []): Dockerfile | null {
  if (file.text === undefined) return null;
  let parsed: ReturnType<typeof DockerfileParser.parse>;
  try {
    parsed = DockerfileParser.parse(file.text);
  } catch (error) {
    diagnostics.push({ level: "warning", code: "invalid-dockerfile", message: `Dockerfile could not be parsed: ${(error as Error).message}`, file: file.path });
    return null;
  }
  const out: Dockerfile = { file: file.path, stages: [], user: null, healthcheck: false, command: null, entrypoint: null, server: null, exposes: [], runsPython: false, copies: [], env: {}, workdir: null, startScripts: [] };
  // USER, CMD, ENTRYPOINT, HEALTHCHECK, COPY and ENV are per stage; a stage built FROM an earlier one inherits them
  type StageState = Pick<Dockerfile, "user" | "command" | "entrypoint" | "healthcheck" | "copies" | "env" | "workdir">;
  const fresh = (): StageState => ({ user: null, command: null, entrypoint: null, healthcheck: false, copies: [], env: {}, workdir: null });
  const byAlias = new Map<string, StageState>();
  let state: StageState = fresh();
  const stageStates: StageState[] = [];
  const currentStage = () => out.stages[out.stages.length - 1];
  for (const instruction of parsed.getInstructions()) {
    const keyword = instruction.getKeyword().toUpperCase();
    const line = instruction.getRange().start.line + 1;
    const args = instruction.getArgumentsContent() ?? "";
    switch (keyword) {
      case "FROM": {
        const parts = args.split(/\s+/).filter((p) => !p.startsWith("--"));
        const asIndex = parts.findIndex((p) => p.toLowerCase() === "as");
        const image = parts[0] ?? "";
        const alias = asIndex > 0 ? (parts[asIndex + 1]?.toLowerCase() ?? null) : null;
        if (/python|pypy|uv:|astral-sh\/uv/i.test(image)) out.runsPython = true;
        const parent = byAlias.get(image.toLowerCase());
        state = parent ? { ...parent, copies: [...parent.copies], env: { ...parent.env } } : fresh();
        if (alias) byAlias.set(alias, state);
        stageStates.push(state);
        out.stages.push({ image, line, alias, user: null, command: null, entrypoint: null, runs: [], copies: [], env: {} });
        break;
      }
      case "ENV":
      case "ARG":
        for (const [key, value] of keyValues(args)) {
          configValues.push({ file: file.path, line, key, value, origin: "dockerfile" });
          state.env[key] = value;
        }
        break;
      case "COPY":
      case "ADD": {
        // files from the build context; `--from=stage` copies come from another stage or image
        const from = /(?:^|\s)--from[=\s]+(\S+)/.exec(flagsOf(instruction))?.[1]?.toLowerCase() ?? null;
        const paths = copyPaths(args);
        const dest = paths.pop();
        if (dest && paths.length) {
          currentStage()?.copies.push({ sources: paths, dest, line, from });
          if (from === null) state.copies.push({ sources: paths, dest, line });
        }
        break;
      }
      case "WORKDIR": {
        const dir = unquote(args.trim());
        state.workdir = dir.startsWith("/") || !state.workdir ? dir : `${state.workdir.replace(/\/+$/, "")}/${dir}`;
        break;
      }
      case "USER":
        state.user = { name: args.trim(), line };
        break;
      case "HEALTHCHECK":
        state.healthcheck = !/^none\b/i.test(args.trim());
        break;
      case "CMD":
        state.command = { text: args.trim(), line };
        if (PYTHON_COMMAND.test(args)) out.runsPython = true;
        break;
      case "ENTRYPOINT":
        state.entrypoint = { text: args.trim(), line };
        if (PYTHON_COMMAND.test(args)) out.runsPython = true;
        break;
      case "RUN":
        if (PYTHON_INSTALL.test(args)) out.runsPython = true;
        currentStage()?.runs.push({ text: runText(instruction.getTextContent()), line });
        break;
      case "EXPOSE":
        for (const port of args.split(/\s+/)) {
          const n = Number.parseInt(port, 10);
          if (Number.isFinite(n)) out.exposes.push(n);
        }
        break;
    }
  }
  // each stage's own USER and command, for builds that target a stage other than the last (`docker build --target production`)
  out.stages.forEach((stage, i) => {
    const own = stageStates[i];
    if (own) Object.assign(stage, { user: own.user, command: own.command, entrypoint: own.entrypoint, env: { ...own.env } });
  });
  // ENTRYPOINT and CMD together make the command line (`ENTRYPOINT ["gunicorn"]` + `CMD ["app:app", "-w", "4"]`)
  const commandLine = [state.entrypoint, state.command].filter((c) => c !== null).map((c) => commandWords(c.text).join(" ")).join(" ");
  return { ...out, ...state, server: commandLine ? parseServerCommand(commandLine) : null };
}

/** The flags of a RUN, COPY or ADD (`--from=builder`, `--mount=type=cache,...`), which the arguments leave out. */
function flagsOf(instruction: object): string {
  const withFlags = instruction as { getFlags?: () => Array<{ toString(): string }> };
  return typeof withFlags.getFlags === "function" ? withFlags.getFlags().map((f) => f.toString()).join(" ") : "";
}

/** A RUN as one line, flags kept (`--mount=type=cache`): continuation lines joined, comment lines inside it dropped. */
function runText(raw: string): string {
  return raw
    .split(/\r?\n/)
    .filter((l) => !/^\s*#/.test(l))
    .map((l) => l.replace(/\\\s*$/, ""))
    .join(" ")
    .replace(/^\s*RUN\s+/i, "")
    .replace(/\s+/g, " ")
    .trim();
}

/** `COPY --chown=app ./a ./b /dest/` and `COPY ["a", "/dest"]`: the sources, then the destination. */
function copyPaths(args: string): string[] {
  const text = args.replace(/(^|\s)--[\w-]+(=\S*)?/g, " ").trim();
  if (text.startsWith("[")) {
    try {
      const list = JSON.parse(text) as unknown;
      if (Array.isArray(list)) return list.filter((p): p is string => typeof p === "string");
    } catch {
      return [];
    }
  }
  return text.split(/\s+/).filter(Boolean).map(unquote);
}

/** `ENV A=1 B="two"`, `ENV A 1`, `ARG A=1`: key/value pairs; a bare `ARG A` has no value. */
function keyValues(args: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const text = args.trim();
  if (!text.includes("=")) {
    const [key, ...rest] = text.split(/\s+/);
    if (key && rest.length) out.push([key, unquote(rest.join(" "))]);
    return out;
  }
  for (const m of text.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)/g)) out.push([m[1] as string, unquote(m[2] ?? "")]);
  return out;
}

export function unquote(value: string): string {
  const v = value.trim();
  if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v[v.length - 1] === v[0]) return v.slice(1, -1);
  return v;
}
