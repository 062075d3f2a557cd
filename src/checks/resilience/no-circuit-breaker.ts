import { fileRole, runsInProduction } from "../../core/file-roles.js";
import { defineCheck } from "../define.js";
import { describeCalls, outboundHttpCalls, usesPackage } from "./outbound.js";

const BREAKER_PACKAGES = ["pybreaker", "aiobreaker", "purgatory", "purgatory-circuitbreaker", "circuitbreaker", "pycircuitbreaker", "circuit-breaker"];
const MIN_CALLS = 3;
/** An environment setting holding an HTTP URL (`PRICING_URL=http://pricing:8000`). */
const HTTP_SETTING = /^\w+=https?:\/\//i;
/** Compose files for development, tests or local sandboxes. */
const DEV_FILE = /(^|[/._-])(dev|develop|development|local|test|tests|testing|regtest|example|sample|ci)([/._-]|$)/i;

export default defineCheck({
  id: "RES003",
  area: "resilience",
  title: "No circuit breaker around remote dependencies",
  severity: "low",
  kind: "concern",
  confidence: "low",
  why: "When a dependency is down or very slow, every caller still waits for its timeout and retries pile onto it. A circuit breaker fails fast after repeated errors, sheds load from the struggling service and lets it recover, instead of tying up this service's workers.",
  recommendation: "Wrap calls to critical remote dependencies in a circuit breaker (pybreaker, aiobreaker, purgatory) with a fallback (cached value, degraded response), or rely on a service mesh (Istio/Linkerd outlier detection) and say so in the architecture notes.",
  example: {
    bad: "def prices(sku):\n    return requests.get(f'{PRICING}/{sku}', timeout=2).json()",
    good: "pricing_breaker = pybreaker.CircuitBreaker(fail_max=5, reset_timeout=30)\n\n@pricing_breaker\ndef prices(sku):\n    return requests.get(f'{PRICING}/{sku}', timeout=2).json()",
  },
  references: ["https://martinfowler.com/bliki/CircuitBreaker.html", "https://github.com/danielfm/pybreaker", "https://github.com/mardiros/purgatory"],
  effort: "M",
  libraries: ["pybreaker", "aiobreaker", "purgatory"],
  dependsOn: ["RES001", "RES002"],
  run({ model, index }) {
    // a multi-service system: several services deployed side by side, and application code calling out over HTTP
    // a multi-service system: a deployed service configured to reach another service over HTTP (an `http(s)://` URL
    // or a host setting naming another service in its environment), not merely dev tools started beside it in compose
    const kinds = new Map(model.components.map((c) => [c.name, c.kind]));
    const remote = model.connections.filter((c) => kinds.get(c.from) === "service" && c.via !== "depends_on" && c.via !== "SDK" && c.via !== "boto3" && c.via !== "driver" && (kinds.get(c.to) === "external" || kinds.get(c.to) === "service") && c.evidence.some((e) => HTTP_SETTING.test(e.snippet ?? "") && runsInProduction(fileRole(e.file)) && !DEV_FILE.test(e.file)));
    if (!remote.length) return [];
    const targets = [...new Set(remote.map((c) => `${c.to} (${c.via})`))];
    const calls = outboundHttpCalls(index);
    const modules = new Set(calls.map((c) => c.evidence.file));
    if (calls.length < MIN_CALLS || modules.size < 2) return [];
    if (usesPackage(model, index, BREAKER_PACKAGES)) return [];
    if ([...index.modules.values()].some((m) => m.facts.classes.some((c) => /breaker/i.test(c.name)) || m.facts.functions.some((f) => /breaker/i.test(f.name)))) return [];
    return [
      {
        message: `The service is configured to call ${targets.slice(0, 3).join(", ")} and makes ${calls.length} outbound HTTP calls in application code (${describeCalls(calls)}), but no circuit breaker (pybreaker, aiobreaker, purgatory): a failing dependency is called, and waited for, on every request. A service mesh could provide this; none is visible here.`,
        evidence: [...(remote[0]?.evidence.slice(0, 1) ?? []), ...calls.slice(0, 6).map((c) => c.evidence)],
      },
    ];
  },
});
