import type { Evidence } from "../../model/types.js";
import type { CallFact } from "../../python/facts.js";
import { defineCheck } from "../define.js";
import httpWithoutTimeout from "../resilience/http-without-timeout.js";
import { outboundHttpCalls } from "../resilience/outbound.js";
import { joinAnd, plural, serviceCallsResolved, serviceDecorators, STRENGTH } from "./shared.js";

/** tenacity waits that grow the delay between attempts (not `wait_fixed`, `wait_random` jitter alone, or `wait_none`). */
const TENACITY_BACKOFF = /wait_(exponential|random_exponential|exponential_jitter|incrementing)\b/;
const TENACITY = /^tenacity\.(retry|Retrying|AsyncRetrying)$/;
const BACKOFF = /^backoff\.(on_exception|on_predicate)$/;
const STAMINA = /^stamina\.(retry|retry_context|AsyncRetryingCaller|RetryingCaller)$/;
const URLLIB3_RETRY = /^(urllib3\.(util\.)?(retry\.)?Retry|requests\.packages\.urllib3\.util\.retry\.Retry|requests\.adapters\.Retry)$/;
const AIOHTTP_RETRY = /^aiohttp_retry\.(ExponentialRetry|JitterRetry|FibonacciRetry)$/;
/** Celery task decorators. */
const TASK = /(\.task|shared_task)$/;

/** What kind of retry with backoff a call or decorator sets up, or null. */
function retryWithBackoff(resolved: string, args: CallFact["args"]): string | null {
  const text = (name: string) => args.find((a) => a.name === name)?.text ?? "";
  if (TENACITY.test(resolved)) return TENACITY_BACKOFF.test(text("wait")) ? `tenacity (${text("wait").replace(/\s+/g, " ").slice(0, 50)})` : null;
  if (BACKOFF.test(resolved)) {
    const generator = args.find((a) => a.name === "wait_gen") ?? args.find((a) => a.name === null);
    return generator && /(^|\.)(expo|fibo|decay)$/.test(generator.text) ? `backoff (${generator.text})` : null;
  }
  if (STAMINA.test(resolved)) return "stamina (exponential backoff with jitter)";
  if (URLLIB3_RETRY.test(resolved)) {
    const factor = args.find((a) => a.name === "backoff_factor");
    return factor && factor.value !== 0 && factor.text !== "0" ? `urllib3 Retry (backoff_factor=${factor.text})` : null;
  }
  if (AIOHTTP_RETRY.test(resolved)) return `aiohttp-retry ${resolved.split(".").pop()}`;
  if (TASK.test(resolved)) {
    const backoff = args.find((a) => a.name === "retry_backoff");
    return backoff && backoff.text !== "False" && backoff.value !== 0 && args.some((a) => a.name === "autoretry_for") ? "Celery autoretry_for with retry_backoff" : null;
  }
  return null;
}

export const retriesWithBackoff = defineCheck({
  id: "RES-S001",
  area: "resilience",
  title: "Retries with backoff",
  ...STRENGTH,
  confidence: "high",
  why: "Retrying transient failures with growing, jittered delays absorbs a remote service's blips without hammering it while it recovers.",
  recommendation: "Bound every retry (attempts and total time under the caller's timeout), retry only idempotent operations or transient errors, and add jitter.",
  references: ["https://tenacity.readthedocs.io/", "https://aws.amazon.com/builders-library/timeouts-retries-and-backoff-with-jitter/"],
  effort: "S",
  libraries: ["tenacity", "backoff", "stamina", "urllib3"],
  run({ index }) {
    const found: Array<{ kind: string; evidence: Evidence }> = [];
    for (const { mod, decorator, resolved } of serviceDecorators(index)) {
      const kind = retryWithBackoff(resolved, decorator.args);
      if (kind) found.push({ kind, evidence: { file: mod.file, line: decorator.line, snippet: `@${decorator.name}(${decorator.args.map((a) => (a.name ? `${a.name}=${a.text}` : a.text)).join(", ")})`.slice(0, 160) } });
    }
    for (const { mod, call, resolved } of serviceCallsResolved(index)) {
      // `self.retry(countdown=2 ** self.request.retries)`: a Celery task backing off by hand
      const kind = retryWithBackoff(resolved, call.args) ?? (/\.retry$/.test(call.callee) && call.args.some((a) => a.name === "countdown" && /\*\*/.test(a.text)) ? "Celery retry with an exponential countdown" : null);
      if (kind && !found.some((f) => f.evidence.file === mod.file && f.evidence.line === call.line)) found.push({ kind, evidence: { file: mod.file, line: call.line, snippet: call.snippet } });
    }
    if (!found.length) return [];
    found.sort((a, b) => (a.evidence.file < b.evidence.file ? -1 : a.evidence.file > b.evidence.file ? 1 : (a.evidence.line ?? 0) - (b.evidence.line ?? 0)));
    const kinds = [...new Set(found.map((f) => f.kind.replace(/ \(.*$/, "")))];
    const first = found[0] as { kind: string; evidence: Evidence };
    return [{ message: `Failures are retried with backoff in ${plural(found.length, "place")} (${joinAnd(kinds)}), for example ${first.kind} in ${first.evidence.file}.`, evidence: found.slice(0, 3).map((f) => f.evidence) }];
  },
});

/** Clients whose calls are bounded without `timeout=`: httpx (5 s by default), aiohttp (a 5-minute total by default). */
const DEFAULT_BOUNDED = /^(httpx\.|aiohttp\.)/;

export const outboundTimeouts = defineCheck({
  id: "RES-S002",
  area: "resilience",
  title: "Timeouts on every outbound call",
  ...STRENGTH,
  confidence: "medium",
  why: "An outbound call with a timeout fails fast when the remote hangs, instead of holding a worker until the pool is exhausted and one slow dependency takes the whole service down.",
  recommendation: "Keep each timeout inside the caller's own budget, set it once on a shared client, and pair it with retries with backoff for idempotent calls.",
  references: ["https://requests.readthedocs.io/en/latest/user/advanced/#timeouts", "https://www.python-httpx.org/advanced/timeouts/"],
  effort: "S",
  libraries: ["httpx", "requests"],
  run(input) {
    const { index } = input;
    const calls = outboundHttpCalls(index);
    if (!calls.length) return [];
    // RES001 is the judge of each call: none of the service's calls may wait without limit
    const counted = new Set(calls.map((c) => `${c.evidence.file}:${c.evidence.line}`));
    if (httpWithoutTimeout.run(input).some((r) => r.evidence.some((e) => counted.has(`${e.file}:${e.line}`)))) return [];
    const sites = new Map<string, CallFact>();
    for (const { mod, call } of serviceCallsResolved(index)) sites.set(`${mod.file}:${call.line}`, call);
    const explicit: Evidence[] = [];
    let unknown = 0;
    for (const c of calls) {
      const call = sites.get(`${c.evidence.file}:${c.evidence.line}`);
      const resolved = call?.qualified ? index.resolve(call.qualified, index.moduleByFile.get(c.evidence.file) ?? "") : "";
      if (call?.args.some((a) => a.name === "timeout" && a.kind !== "none")) explicit.push(c.evidence);
      // urllib3 has no default timeout, and RES001 does not judge it: a call without one is not shown to be bounded
      else if (!DEFAULT_BOUNDED.test(resolved) && !/^requests\./.test(resolved)) unknown++;
    }
    if (!explicit.length || unknown) return [];
    const rest = calls.length - explicit.length;
    const defaults = rest ? `, ${rest === 1 ? "the other call relies" : `the other ${rest} calls rely`} on a client default (httpx 5 s, aiohttp 5 min, or a session with a default timeout)` : "";
    return [{ message: `All ${plural(calls.length, "outbound HTTP call")} in the service are bounded by a timeout: ${explicit.length} pass \`timeout=\` explicitly${defaults}.`, evidence: explicit.slice(0, 3) }];
  },
});

export const RESILIENCE_STRENGTHS = [retriesWithBackoff, outboundTimeouts];
