import type { WorkspaceFile } from "../workspace/types.js";
import type { HealthProbe } from "./types.js";

/** `http://localhost:8000/health/`, `https://127.0.0.1/api/ping?x=1`: the URL's path. */
const URL_PATH = /\bhttps?:\/\/[^/\s"'`]+(\/[^\s"'`,\]\\)]*)?/;
/** `curl -f localhost:8000/health`, `wget -qO- 127.0.0.1:8080/healthz`: a host and port with no scheme. */
const HOST_PORT_PATH = /\b(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\]|\$\{?\w+\}?):\d+(\/[^\s"'`,\]\\)]*)?/;
const PROBE_KEY = /^(\s*)(?:-\s+)?(healthcheck|livenessProbe|readinessProbe|startupProbe)\s*:/;
const K8S_KIND: Record<string, HealthProbe["kind"]> = { livenessProbe: "liveness", readinessProbe: "readiness", startupProbe: "startup", healthcheck: "healthcheck" };

/** The path a probe's command or URL requests, without query string; `/` when the URL has none; null without a URL. */
function requestedPath(text: string): string | null {
  const url = URL_PATH.exec(text) ?? HOST_PORT_PATH.exec(text);
  if (!url) return null;
  const path = (url[1] ?? "/").replace(/[?#].*$/, "");
  return path || "/";
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 160 ? `${flat.slice(0, 157)}...` : flat;
}

/** `HEALTHCHECK --interval=30s CMD curl -f http://localhost:8000/health || exit 1`, continuation lines joined. */
function dockerfileProbes(file: WorkspaceFile): HealthProbe[] {
  const lines = (file.text ?? "").split("\n");
  const out: HealthProbe[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s*HEALTHCHECK\b/i.test(lines[i] ?? "")) continue;
    let text = lines[i] ?? "";
    let j = i;
    while (/\\\s*$/.test(lines[j] ?? "") && j + 1 < lines.length) {
      j++;
      text = `${text.replace(/\\\s*$/, " ")}${lines[j] ?? ""}`;
    }
    if (/^\s*HEALTHCHECK\s+NONE\b/i.test(text)) continue;
    out.push({ source: "dockerfile", kind: "healthcheck", path: requestedPath(text), file: file.path, line: i + 1, snippet: snippet(text) });
    i = j;
  }
  return out;
}

/**
 * Compose `healthcheck:` and Kubernetes/Helm `livenessProbe:`/`readinessProbe:`/`startupProbe:` blocks, read by
 * indentation from the text (Helm templates do not parse as YAML): an `httpGet` `path:`, or a URL in the command.
 */
function yamlProbes(file: WorkspaceFile, source: "compose" | "kubernetes"): HealthProbe[] {
  const lines = (file.text ?? "").split("\n");
  const out: HealthProbe[] = [];
  for (let i = 0; i < lines.length; i++) {
    const key = PROBE_KEY.exec(lines[i] ?? "");
    if (!key) continue;
    const kind = K8S_KIND[key[2] as string] ?? "healthcheck";
    if ((source === "compose") !== (kind === "healthcheck")) continue;
    const indent = (key[1] ?? "").length + (/^\s*-\s+/.test(lines[i] ?? "") ? 2 : 0);
    const body: string[] = [lines[i] ?? ""];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const line = lines[j] ?? "";
      if (!line.trim() || /^\s*#/.test(line)) continue;
      if (line.length - line.trimStart().length <= indent) break;
      body.push(line);
    }
    const text = body.join("\n");
    if (/^\s*disable\s*:\s*true\b/m.test(text)) continue;
    const pathValue = /^\s*path\s*:\s*(.*)$/m.exec(text)?.[1]?.trim().replace(/^["']|["']$/g, "");
    const httpGet = /\bhttpGet\s*:/.test(text);
    // `path: {{ .Values.probePath }}`: templated, unknown
    const path = httpGet ? (pathValue === undefined ? "/" : pathValue.startsWith("/") ? pathValue.replace(/[?#].*$/, "") : null) : requestedPath(text);
    const probe: HealthProbe = { source, kind, path, file: file.path, line: i + 1, snippet: snippet(body.slice(0, 6).join(" ")) };
    const service = source === "compose" ? composeServiceAt(lines, i) : null;
    if (service) probe.service = service;
    out.push(probe);
    i = j - 1;
  }
  return out;
}

/** The compose service whose block holds line `at`: the last key indented one level under `services:` before it. */
function composeServiceAt(lines: string[], at: number): string | null {
  const top = lines.findIndex((l) => /^services\s*:/.test(l));
  if (top < 0 || top > at) return null;
  const first = lines.slice(top + 1).find((l) => l.trim() && !/^\s*#/.test(l));
  const indent = first ? first.length - first.trimStart().length : 0;
  if (!indent) return null;
  for (let i = at; i > top; i--) {
    const line = lines[i] ?? "";
    const key = /^(\s*)["']?([\w.-]+)["']?\s*:/.exec(line);
    if (key && (key[1] ?? "").length === indent) return key[2] as string;
  }
  return null;
}

/** Every health probe the deployment files declare, with the URL path it requests when it requests one. */
export function readHealthProbes(files: WorkspaceFile[]): HealthProbe[] {
  const out: HealthProbe[] = [];
  for (const file of files) {
    if (file.text === undefined) continue;
    if (file.kind === "dockerfile") out.push(...dockerfileProbes(file));
    else if (file.kind === "compose") out.push(...yamlProbes(file, "compose"));
    else if (file.kind === "k8s" || file.kind === "helm") out.push(...yamlProbes(file, "kubernetes"));
  }
  return out;
}
