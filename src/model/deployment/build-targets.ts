import type { WorkspaceFile } from "../../workspace/types.js";
import type { BuildTarget, BuiltImage } from "../types.js";

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

const TAG_FLAG = /(?:^|\s)(?:-t|--tag)[=\s]+["']?([^\s"']+)/g;

/**
 * Images this repository builds and names: `tags:` of docker/build-push-action (inline or as a list), `-t`/`--tag`
 * on a `docker build` line, and compose services that both build and name an image. The name keeps any CI
 * variable (`${{ vars.REGISTRY }}/base`), without the tag.
 */
export function builtImages(files: WorkspaceFile[]): BuiltImage[] {
  const out: BuiltImage[] = [];
  const add = (ref: string, file: string, line: number) => {
    const name = ref.trim().replace(/^["']|["']$/g, "").replace(/(:[\w.${}-]*|@sha256:\w+)$/, "");
    if (name && !name.startsWith("-")) out.push({ name: name.toLowerCase(), file, line });
  };
  for (const file of files) {
    if ((file.kind !== "ci" && file.kind !== "compose") || file.text === undefined) continue;
    const lines = file.text.split(/\r?\n/);
    let listIndent = -1;
    // `${{ vars.REGISTRY }}` holds spaces: one token for the variable
    lines.forEach((raw, i) => {
      const line = raw.replace(/\$\{\{[^}]*\}\}/g, "$VAR");
      if (listIndent >= 0) {
        const item = /^(\s*)-\s+(\S.*)$/.exec(line);
        if (item && (item[1] ?? "").length >= listIndent) {
          add(item[2] as string, file.path, i + 1);
          return;
        }
        listIndent = -1;
      }
      const tags = /^(\s*)tags:\s*(.*)$/.exec(line);
      if (tags && file.kind === "ci") {
        const value = (tags[2] ?? "").replace(/\s*#.*$/, "").trim();
        if (!value || value === "|" || value === ">") listIndent = (tags[1] ?? "").length;
        else for (const ref of value.split(/[,\s]+/)) add(ref, file.path, i + 1);
      }
      for (const m of line.matchAll(TAG_FLAG)) if (m[1]) add(m[1], file.path, i + 1);
    });
  }
  return out;
}
