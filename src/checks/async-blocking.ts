import type { Evidence } from "../model/types.js";
import { effectOf } from "../python/effects.js";
import type { ChainStep, EffectChain, ProjectIndex } from "../python/project-index.js";
import { isServiceCode } from "./code-paths.js";
import { requestPath, shortName } from "./handlers.js";
import type { CheckInput, Report, Severity } from "./types.js";
import { byRole, GROUP_FROM } from "./grouping.js";

export interface BlockingSite {
  functionId: string;
  file: string;
  line: number;
  chain: EffectChain;
  isHandler: boolean;
  /** Runs while serving a request (a handler, or reached from one or from a route dependency). */
  onRequestPath: boolean;
  /** A lifespan or start-up/shutdown handler: it runs before the first request or after the last. */
  atStartup: boolean;
}

/** `lifespan=` functions given to an app or router, and `@app.on_event("startup")` handlers. */
function startupFunctions(index: ProjectIndex): Set<string> {
  const out = new Set<string>();
  for (const mod of index.modules.values()) {
    for (const call of mod.facts.calls) {
      const arg = call.args.find((a) => a.name === "lifespan");
      if (arg?.qualified) out.add(index.resolve(arg.qualified, mod.name));
    }
  }
  for (const fn of index.functions.values()) {
    if (fn.fact.decorators.some((d) => /(^|\.)on_event$/.test(d.name) && d.args.some((a) => a.value === "startup" || a.value === "shutdown"))) out.add(fn.id);
  }
  return out;
}

/**
 * Blocking calls made from `async def` functions, directly or through sync project helpers,
 * one per call site in the async function. `database` picks sync DB calls (DB006) or the rest (PERF001).
 */
export function blockingCallsInAsync(input: CheckInput, database: boolean): BlockingSite[] {
  const { index } = input;
  const { handlers, reachable } = requestPath(input);
  const startup = startupFunctions(index);
  const sites: BlockingSite[] = [];
  for (const fn of index.sortedFunctions()) {
    if (!fn.fact.isAsync) continue;
    for (const { call, resolved } of index.callsIn(fn.id)) {
      if (call.awaited) continue;
      const step: ChainStep = { function: fn.id, file: fn.file, line: call.line, snippet: call.snippet, callee: call.callee };
      const effect = effectOf(resolved);
      let chain: EffectChain | null = null;
      if (effect?.blocking) chain = { effect, steps: [step] };
      else if (resolved && index.functions.has(resolved)) {
        const summary = index.summary(resolved);
        if (!summary.isAsync) {
          const inner = index.chainThrough(call, resolved, summary, database ? "syncDb" : "blocking");
          if (inner) chain = { effect: inner.effect, steps: [step, ...inner.steps] };
        }
      }
      if (!chain || (chain.effect.kind === "sync-db") !== database) continue;
      sites.push({ functionId: fn.id, file: fn.file, line: call.line, chain, isHandler: handlers.has(fn.id), onRequestPath: reachable.has(fn.id), atStartup: startup.has(fn.id) });
    }
  }
  return sites;
}

export function chainEvidence(chain: EffectChain): Evidence[] {
  return chain.steps.map((s) => ({ file: s.file, line: s.line, snippet: s.snippet }));
}

export function describeChain(chain: EffectChain): string {
  if (chain.steps.length === 1) return `${chain.steps[0]?.callee}()`;
  return chain.steps.map((s, i) => (i === 0 ? shortName(s.function) : `${shortName(s.function)}: ${s.callee}()`)).join(" → ");
}

/**
 * Findings for blocking sites: high on a request path (every concurrent request waits), low elsewhere
 * (workers, command-line tools, start-up code), where what else shares the event loop is not visible. Five or more async functions reaching the same blocking call through a shared helper are one
 * finding about that call, with every caller as evidence.
 */
export function blockingReports(sites: BlockingSite[]): Report[] {
  const groups = new Map<string, BlockingSite[]>();
  // callers in tests, examples and tooling are grouped apart from the service's own
  const production = new Set(byRole(sites, (s) => s.file)[0]);
  for (const site of sites) {
    const last = site.chain.steps[site.chain.steps.length - 1] as ChainStep;
    const key = `${last.file}:${last.line}:${production.has(site)}`;
    const group = groups.get(key);
    if (group) group.push(site);
    else groups.set(key, [site]);
  }
  const reports: Report[] = [];
  for (const group of groups.values()) {
    if (group.length < GROUP_FROM) {
      for (const site of group) {
        reports.push({
          message: `async ${site.isHandler ? "handler" : "function"} ${shortName(site.functionId)} makes a blocking ${site.chain.effect.library} call: ${describeChain(site.chain)}${where(site)}.`,
          evidence: chainEvidence(site.chain),
          confidence: site.chain.steps.length > 2 ? "medium" : "high",
          severity: severityOf([site]),
        });
      }
      continue;
    }
    const first = group[0] as BlockingSite;
    const last = first.chain.steps[first.chain.steps.length - 1] as ChainStep;
    const onPath = group.filter((s) => s.onRequestPath).length;
    const callers = group.map((s) => shortName(s.functionId));
    reports.push({
      message: `${group.length} async functions reach the same blocking ${first.chain.effect.library} call, ${last.callee}() in ${shortName(last.function)}, through sync helpers (for example ${describeChain(first.chain)})${onPath ? `; ${onPath} of them run while serving a request` : ""}. Callers: ${callers.slice(0, 6).join(", ")}${callers.length > 6 ? `, and ${callers.length - 6} more` : ""}.`,
      evidence: [{ file: last.file, line: last.line, snippet: last.snippet }, ...group.map((s) => chainEvidence(s.chain)[0] as Evidence)],
      confidence: "medium",
      severity: severityOf(group),
    });
  }
  return reports;
}

function severityOf(group: BlockingSite[]): Severity {
  // callers that are all tests, examples or tooling: whatever the sink's file, nothing of the service waits
  if (byRole(group, (s) => s.file)[0].length === 0) return "low";
  if (group.some((s) => s.onRequestPath)) return "high";
  // off the request path the cost depends on what else shares the loop (often nothing: a CLI, a deploy step, a
  // worker running one job): worth fixing, not a medium claim the code alone can support
  return "low";
}

function where(site: BlockingSite): string {
  if (site.onRequestPath) return site.isHandler ? "" : ", while serving a request";
  if (site.atStartup) return ", at start-up or shutdown, when no request is being served (it only delays start-up)";
  return isServiceCode(site.file) ? ", outside any request path (it blocks whatever else that event loop runs)" : ", in a command-line tool";
}
