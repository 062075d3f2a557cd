import type { ProjectIndex } from "../../python/project-index.js";
import { appFile } from "../handlers.js";
import { defineCheck } from "../define.js";
import { describeCalls, outboundHttpCalls, usesPackage } from "./outbound.js";

const RETRY_PACKAGES = ["tenacity", "backoff", "stamina", "retrying", "retry", "retry2", "aiohttp-retry", "async-retrying", "opnieuw", "redo", "httpx-retries"];
/** Retry settings of the clients themselves, and Celery task retries. */
const RETRY_CALL = /^(urllib3\.(util\.)?(retry\.)?Retry|requests\.packages\.urllib3\.util\.retry\.Retry|requests\.adapters\.HTTPAdapter|httpx\.(Async)?HTTPTransport)$/;
const RETRY_KWARG = /^(max_retries|retries|autoretry_for|retry_backoff|retry_kwargs)$/;

/** Where the project retries on its own: urllib3 `Retry`, a transport with `retries=`, Celery `autoretry_for`, a project `retry` helper. */
function ownRetry(index: ProjectIndex): string | null {
  for (const mod of index.modules.values()) {
    for (const call of mod.facts.calls) {
      const resolved = call.qualified ? index.resolve(call.qualified, mod.name) : null;
      if (resolved && RETRY_CALL.test(resolved) && (/Retry$/.test(resolved) || call.args.some((a) => a.name !== null && RETRY_KWARG.test(a.name)))) return `${call.callee}() in ${mod.file}`;
      if (call.args.some((a) => a.name !== null && RETRY_KWARG.test(a.name) && a.value !== 0 && a.value !== null)) return `${call.callee}(${call.args.find((a) => a.name !== null && RETRY_KWARG.test(a.name))?.name}=...) in ${mod.file}`;
    }
    for (const d of mod.facts.functions.flatMap((f) => f.decorators)) {
      if (d.args.some((a) => a.name !== null && RETRY_KWARG.test(a.name))) return `@${d.name} in ${mod.file}`;
    }
    const helper = mod.facts.functions.find((f) => /(^|_)retr(y|ies|ying)(_|$)|^with_retr/i.test(f.name)) ?? mod.facts.classes.find((c) => /retry/i.test(c.name));
    if (helper) return `${helper.name} in ${mod.file}`;
  }
  return null;
}

/** Fewer outbound call sites than this read as an incidental call, not a dependency on another service. */
const MIN_CALLS = 3;

export default defineCheck({
  id: "RES002",
  area: "resilience",
  title: "External calls with no retry policy anywhere",
  severity: "medium",
  kind: "concern",
  confidence: "medium",
  why: "Remote services fail transiently: a connection reset, a 503 during a deploy, a DNS hiccup. With no retry policy anywhere, every such blip becomes a failed request or a lost background job, and each caller handles it differently or not at all.",
  recommendation: "Retry idempotent outbound calls with exponential backoff and jitter and a bound on attempts: tenacity or backoff decorators around client functions, stamina, or `urllib3.util.Retry` mounted on a `requests.Session` through `HTTPAdapter(max_retries=...)` (httpx: `HTTPTransport(retries=...)` for connection errors). Keep the total under the caller's timeout.",
  example: {
    bad: "def charge(order):\n    return requests.post(PAYMENTS_URL, json=order.payload(), timeout=5)",
    good: "@tenacity.retry(stop=stop_after_attempt(3), wait=wait_exponential_jitter(0.2, 2), retry=retry_if_exception_type(requests.ConnectionError))\ndef charge(order):\n    return requests.post(PAYMENTS_URL, json=order.payload(), timeout=5)",
  },
  references: ["https://tenacity.readthedocs.io/", "https://urllib3.readthedocs.io/en/stable/reference/urllib3.util.html#urllib3.util.Retry", "https://aws.amazon.com/builders-library/timeouts-retries-and-backoff-with-jitter/"],
  effort: "M",
  libraries: ["tenacity", "backoff", "stamina", "urllib3"],
  run({ model, index }) {
    const calls = outboundHttpCalls(index);
    const modules = new Set(calls.map((c) => c.evidence.file));
    if (calls.length < MIN_CALLS || modules.size < 2) return [];
    if (usesPackage(model, index, RETRY_PACKAGES) || ownRetry(index)) return [];
    const shown = calls.slice(0, 8).map((c) => c.evidence);
    return [
      {
        message: `${calls.length} outbound HTTP calls in ${modules.size} application modules (${describeCalls(calls)}) and no retry policy anywhere: no tenacity, backoff, stamina or retrying, no urllib3 \`Retry\` or transport \`retries=\`, no Celery \`autoretry_for\`. A transient failure of a remote service fails the caller at once.`,
        evidence: [{ file: appFile(model), line: null }, ...shown].filter((e) => e.file !== ""),
      },
    ];
  },
});
