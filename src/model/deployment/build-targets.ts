import type { WorkspaceFile } from "../../workspace/types.js";
import type { BuildTarget } from "../types.js";

/** `target: production` (docker/build-push-action's input, compose's `build.target`) and `--target production` on a command line. */
const YAML_TARGET = /^\s*(?:-\s+)?target:\s*["']?([A-Za-z0-9][\w.-]*)["']?\s*(?:#.*)?$/;
const FLAG_TARGET = /--target[=\s]+["']?([A-Za-z0-9][\w.-]*)/g;

/**
 * Dockerfile stages that CI or compose builds by name: a multi-stage Dockerfile whose deployed image is a stage other
 * than the last (`target: production` beside a final `lambda` stage) ships that stage too.
 */
export function buildTargets(files: WorkspaceFile[]): BuildTarget[] {
  const out: BuildTarget[] = [];
  for (const file of files) {
    if ((file.kind !== "ci" && file.kind !== "compose") || file.text === undefined) continue;
    file.text.split(/\r?\n/).forEach((line, i) => {
      const yaml = YAML_TARGET.exec(line);
      if (yaml?.[1]) out.push({ stage: yaml[1].toLowerCase(), file: file.path, line: i + 1 });
      for (const m of line.matchAll(FLAG_TARGET)) if (m[1]) out.push({ stage: m[1].toLowerCase(), file: file.path, line: i + 1 });
    });
  }
  return out;
}
