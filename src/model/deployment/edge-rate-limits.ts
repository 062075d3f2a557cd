import { compareCodeUnits } from "../../core/diagnostics.js";
import { fileRole, runsInProduction } from "../../core/file-roles.js";
import type { WorkspaceFile } from "../../workspace/types.js";
import type { Evidence } from "../types.js";

/**
 * Rate limiting configured in front of the application, where a reviewer of the code alone would miss
 * it: ingress-nginx `limit-rps`/`limit-rpm`/`limit-connections` annotations, Traefik `rateLimit`
 * middlewares, Kong `rate-limiting` plugins, Envoy/Istio `local_ratelimit`, AWS WAF rate-based rules and
 * API Gateway throttling in Terraform. One evidence per file, at the first line that configures it.
 */
const EDGE_LIMIT = /nginx\.ingress\.kubernetes\.io\/limit-(rps|rpm|connections|burst-multiplier)|\brateLimit\s*:|\bratelimit\b|\brate-limiting\b|local_ratelimit|rate_based_statement|throttling_(rate|burst)_limit|throttle_settings|limit_req_zone|\brate_limit\s*[:={]/i;
const EDGE_KINDS = new Set(["k8s", "helm", "terraform", "compose", "other", "config"]);

export function edgeRateLimits(files: WorkspaceFile[]): Evidence[] {
  const out: Evidence[] = [];
  for (const f of files) {
    // a test cassette's recorded `X-RateLimit-*` headers or a fixture configures nothing in front of the service
    if (!EDGE_KINDS.has(f.kind) || !f.text || !runsInProduction(fileRole(f.path))) continue;
    const lines = f.text.split("\n");
    const at = lines.findIndex((l) => EDGE_LIMIT.test(l) && !/^\s*#/.test(l));
    if (at >= 0) out.push({ file: f.path, line: at + 1, snippet: (lines[at] ?? "").trim().slice(0, 160) });
  }
  return out.sort((a, b) => compareCodeUnits(a.file, b.file));
}
