import { isMap, isScalar, isSeq, LineCounter, parseDocument } from "yaml";
import type { Diagnostic } from "../../core/diagnostics.js";
import type { WorkspaceFile } from "../../workspace/types.js";
import type { ComposeService, ConfigValue } from "../types.js";

/** docker-compose services: image, build, command, healthcheck, each with its line. */
export function readCompose(file: WorkspaceFile, diagnostics: Diagnostic[], configValues: ConfigValue[] = []): ComposeService[] {
  if (file.text === undefined) return [];
  const lineCounter = new LineCounter();
  const doc = parseDocument(file.text, { lineCounter, uniqueKeys: false });
  if (doc.errors.length) {
    const first = doc.errors[0];
    const line = first?.linePos?.[0]?.line;
    diagnostics.push({ level: "warning", code: "invalid-yaml", message: `invalid YAML: ${first?.message.split("\n")[0] ?? "parse error"}`, file: file.path, ...(line ? { line } : {}) });
    return [];
  }
  const services = doc.get("services");
  if (!isMap(services)) return [];
  const out: ComposeService[] = [];
  for (const pair of services.items) {
    if (!isScalar(pair.key) || !isMap(pair.value)) continue;
    const key = pair.key;
    const line = key.range ? lineCounter.linePos(key.range[0]).line : 1;
    const body = pair.value.toJSON() as Record<string, unknown>;
    const environment = pair.value.get("environment", true);
    if (isMap(environment)) {
      for (const item of environment.items) {
        if (!isScalar(item.key) || !isScalar(item.value) || item.value.value === null) continue;
        const at = item.key.range ? lineCounter.linePos(item.key.range[0]).line : line;
        configValues.push({ file: file.path, line: at, key: String(item.key.value), value: String(item.value.value), origin: "compose" });
      }
    } else if (isSeq(environment)) {
      for (const item of environment.items) {
        if (!isScalar(item) || typeof item.value !== "string" || !item.value.includes("=")) continue;
        const at = item.range ? lineCounter.linePos(item.range[0]).line : line;
        const eq = item.value.indexOf("=");
        configValues.push({ file: file.path, line: at, key: item.value.slice(0, eq), value: item.value.slice(eq + 1), origin: "compose" });
      }
    }
    out.push({
      file: file.path,
      name: String(key.value),
      line,
      image: typeof body.image === "string" ? body.image : null,
      build: body.build !== undefined,
      command: typeof body.command === "string" ? body.command : Array.isArray(body.command) ? body.command.join(" ") : null,
      healthcheck: body.healthcheck !== undefined,
    });
  }
  return out;
}
