import { posix } from "node:path";
import type { WorkspaceFile } from "../../workspace/types.js";
import type { HostingPlatform } from "../types.js";

/** Files that say which managed platform runs the service. */
const PLATFORM_FILES: Array<{ name: HostingPlatform["name"]; base: RegExp; text?: RegExp }> = [
  { name: "Heroku", base: /^heroku\.yml$/ },
  { name: "Heroku", base: /^app\.json$/, text: /"(buildpacks|formation|addons|stack)"\s*:/ },
  { name: "Fly.io", base: /^fly\.toml$/ },
  { name: "Render", base: /^render\.yaml$/ },
  { name: "Google App Engine", base: /^app\.yaml$/, text: /^runtime:\s*python/m },
  { name: "Railway", base: /^railway\.(json|toml)$/ },
  { name: "DigitalOcean App Platform", base: /^app\.yaml$/, text: /^services:\s*$/m },
];
/** CI or script text that deploys to a managed platform. */
const PLATFORM_TEXT: Array<{ name: HostingPlatform["name"]; pattern: RegExp }> = [
  { name: "Heroku", pattern: /registry\.heroku\.com|\bheroku\s+(container:release|container:push|releases|deploy)\b|\bgit\s+push\s+heroku\b|akhileshns\/heroku-deploy/ },
  { name: "Fly.io", pattern: /\b(fly|flyctl)\s+deploy\b|superfly\/flyctl-actions/ },
  { name: "Google Cloud Run", pattern: /\bgcloud\s+run\s+deploy\b|google-github-actions\/deploy-cloudrun/ },
  { name: "Google App Engine", pattern: /\bgcloud\s+app\s+deploy\b|google-github-actions\/deploy-appengine/ },
  { name: "Railway", pattern: /\brailway\s+up\b/ },
  { name: "Render", pattern: /\brender\s+deploy\b|api\.render\.com\/deploy/ },
];

/**
 * Managed platforms that run the service (Heroku, Fly.io, Render, Cloud Run, App Engine, Railway), from their
 * configuration files and from CI or release scripts that deploy to them. Such platforms record request
 * throughput, latency and status codes for every app they route to.
 */
export function hostingPlatforms(files: WorkspaceFile[]): HostingPlatform[] {
  const out: HostingPlatform[] = [];
  const seen = new Set<string>();
  const add = (name: HostingPlatform["name"], file: string, line: number | null) => {
    if (seen.has(name)) return;
    seen.add(name);
    out.push({ name, evidence: { file, line } });
  };
  for (const file of files) {
    const base = posix.basename(file.path).toLowerCase();
    for (const p of PLATFORM_FILES) if (p.base.test(base) && (!p.text || (file.text !== undefined && p.text.test(file.text)))) add(p.name, file.path, null);
    if (file.text === undefined || !(file.kind === "ci" || /\.(sh|bash)$/.test(base))) continue;
    const lines = file.text.split(/\r?\n/);
    for (const p of PLATFORM_TEXT) {
      const at = lines.findIndex((l) => p.pattern.test(l));
      if (at >= 0) add(p.name, file.path, at + 1);
    }
  }
  return out;
}
