import { posix } from "node:path";
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type YAMLMap } from "yaml";
import { type Diagnostic, readGuarded } from "../../core/diagnostics.js";
import { redactValue } from "../../core/secrets.js";
import type { WorkspaceFile } from "../../workspace/types.js";
import type { ComposeReplicas, ComposeService, ConfigValue } from "../types.js";
import { parseServerCommand } from "./server-command.js";
import { yamlFailure } from "./yaml-documents.js";

/** Copies of a compose service the file asks for: `deploy.replicas: 3` (Compose spec, swarm) or the older `scale: 3`. */
/** docker-compose services: image, build, command, healthcheck, each with its line. */
export function readCompose(file: WorkspaceFile, diagnostics: Diagnostic[], configValues: ConfigValue[] = []): ComposeService[] {
  // a file the reader gives up on contributes no configuration values either
  const values: ConfigValue[] = [];
  const read = readGuarded(file.path, "docker-compose", diagnostics, null, () => readComposeFile(file, diagnostics, values));
  if (!read) return [];
  configValues.push(...values);
  return read;
}

function readComposeFile(file: WorkspaceFile, diagnostics: Diagnostic[], configValues: ConfigValue[]): ComposeService[] {
  if (file.text === undefined) return [];
  const lineCounter = new LineCounter();
  let doc: ReturnType<typeof parseDocument>;
  try {
    doc = parseDocument(file.text, { lineCounter, uniqueKeys: false, logLevel: "error" });
  } catch (error) {
    diagnostics.push({ level: "warning", code: "invalid-yaml", message: `invalid YAML: ${yamlFailure(error)}`, file: file.path });
    return [];
  }
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
    const rawEnvironment = pair.value.get("environment", true);
    // `environment: *app-environment` shares one block between services through a YAML alias
    const environment = isAlias(rawEnvironment) ? rawEnvironment.resolve(doc) : rawEnvironment;
    const serviceEnvironment: ComposeService["environment"] = [];
    const addVariable = (key: string, value: string, at: number) => {
      configValues.push({ file: file.path, line: at, key, value, origin: "compose" });
      serviceEnvironment.push({ key, value: redactValue(key, value), line: at });
    };
    if (isMap(environment)) {
      for (const item of environment.items) {
        if (!isScalar(item.key) || !isScalar(item.value) || item.value.value === null) continue;
        addVariable(String(item.key.value), String(item.value.value), item.key.range ? lineCounter.linePos(item.key.range[0]).line : line);
      }
    } else if (isSeq(environment)) {
      for (const item of environment.items) {
        if (!isScalar(item) || typeof item.value !== "string" || !item.value.includes("=")) continue;
        const eq = item.value.indexOf("=");
        addVariable(item.value.slice(0, eq), item.value.slice(eq + 1), item.range ? lineCounter.linePos(item.range[0]).line : line);
      }
    }
    const command = typeof body.command === "string" ? body.command : Array.isArray(body.command) ? body.command.map(String).join(" ") : null;
    const dependsOn = Array.isArray(body.depends_on) ? body.depends_on.map(String) : body.depends_on && typeof body.depends_on === "object" ? Object.keys(body.depends_on) : [];
    const ports = Array.isArray(body.ports) ? body.ports.map((p) => (typeof p === "object" && p ? String((p as Record<string, unknown>).published ?? (p as Record<string, unknown>).target ?? "") : String(p))) : [];
    out.push({
      replicas: composeReplicas(pair.value, lineCounter, line),
      file: file.path,
      name: String(key.value),
      line,
      image: typeof body.image === "string" ? body.image : null,
      build: body.build !== undefined,
      dockerfile: builtDockerfile(file.path, body.build),
      command,
      server: command ? parseServerCommand(command) : null,
      healthcheck: body.healthcheck !== undefined,
      environment: serviceEnvironment,
      dependsOn: dependsOn.sort(),
      ports,
      envFiles: (Array.isArray(body.env_file) ? body.env_file : typeof body.env_file === "string" ? [body.env_file] : []).map(String),
    });
  }
  return out;
}

/** `deploy: {replicas: 3}` wins over `scale: 3` (Compose rejects a file that sets both to different values). A variable (`${REPLICAS:-2}`) is not a number the file states. */
function composeReplicas(service: YAMLMap, lineCounter: LineCounter, fallback: number): ComposeReplicas | null {
  const lineOf = (node: unknown) => (isScalar(node) && node.range ? lineCounter.linePos(node.range[0]).line : fallback);
  const deploy = service.get("deploy", true);
  const replicas = isMap(deploy) ? deploy.get("replicas", true) : undefined;
  if (isScalar(replicas) && typeof replicas.value === "number" && Number.isInteger(replicas.value) && replicas.value >= 0) return { count: replicas.value, line: lineOf(replicas), source: "deploy.replicas" };
  const scale = service.get("scale", true);
  if (isScalar(scale) && typeof scale.value === "number" && Number.isInteger(scale.value) && scale.value >= 0) return { count: scale.value, line: lineOf(scale), source: "scale" };
  return null;
}

/** The repository path of the Dockerfile a service builds: `build: ./api`, or `build: {context: ., dockerfile: docker/Dockerfile.dev}`. */
function builtDockerfile(composeFile: string, build: unknown): string | null {
  const spec = typeof build === "string" ? { context: build } : build && typeof build === "object" ? (build as Record<string, unknown>) : null;
  if (!spec) return null;
  const context = typeof spec.context === "string" ? spec.context : ".";
  // a remote context (a Git URL) is not in this repository
  if (/^[a-z]+:\/\//i.test(context) || context.startsWith("git@")) return null;
  const dockerfile = typeof spec.dockerfile === "string" ? spec.dockerfile : "Dockerfile";
  const path = posix.normalize(posix.join(posix.dirname(composeFile), context, dockerfile));
  return path.startsWith("../") ? null : path;
}
