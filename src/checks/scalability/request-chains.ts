import type { Evidence } from "../../model/types.js";
import type { CallFact } from "../../python/facts.js";
import type { ProjectIndex } from "../../python/project-index.js";
import { isServiceCode } from "../code-paths.js";
import { fileRole, runsInProduction } from "../../core/file-roles.js";
import { shortName } from "../handlers.js";
import type { CheckInput } from "../types.js";

/** One step of a chain from a route handler down to a call: the function and the call it makes. */
export interface RequestStep {
  function: string;
  file: string;
  line: number;
  snippet: string;
  callee: string;
}

/** A call reached from a route handler through direct project calls (not through thread or task offloads). */
export interface RequestCall {
  handler: string;
  /** The handler is `async def`: every step of the chain runs on the event loop. */
  onLoop: boolean;
  steps: RequestStep[];
  call: CallFact;
  resolved: string;
}

const MAX_DEPTH = 6;

/**
 * Every call matching `match` that runs while a route handler serves a request, with the shortest chain of project
 * calls from the handler (or a route dependency) to it. Functions handed to `run_in_threadpool`, `asyncio.to_thread`,
 * `loop.run_in_executor`, `sync_to_async`, `BackgroundTasks.add_task` or a task queue are arguments, not calls, so
 * they are not followed. Handlers in tests, scripts and tooling are skipped.
 */
export function callsOnRequestPath(input: CheckInput, match: (resolved: string, call: CallFact) => boolean): RequestCall[] {
  const { index, model } = input;
  const out: RequestCall[] = [];
  const roots = new Map<string, boolean>();
  for (const e of model.endpoints) {
    if (!isServiceCode(e.file) || !runsInProduction(fileRole(e.file))) continue;
    const async = index.functions.get(e.handler)?.fact.isAsync ?? e.isAsync;
    roots.set(e.handler, (roots.get(e.handler) ?? false) || async);
    for (const dep of e.dependencies ?? []) if (!roots.has(dep)) roots.set(dep, index.functions.get(dep)?.fact.isAsync ?? false);
  }
  for (const [root, onLoop] of roots) {
    const parents = new Map<string, { from: string; call: CallFact } | null>([[root, null]]);
    let frontier = [root];
    for (let depth = 0; depth < MAX_DEPTH && frontier.length; depth++) {
      const next: string[] = [];
      for (const fn of frontier) {
        for (const { call, resolved } of index.callsIn(fn)) {
          if (match(resolved ?? "", call)) out.push({ handler: root, onLoop, steps: stepsTo(index, parents, fn, call), call, resolved: resolved ?? "" });
        }
        for (const edge of index.callGraph.get(fn) ?? []) {
          if (parents.has(edge.target)) continue;
          parents.set(edge.target, { from: fn, call: edge.call });
          next.push(edge.target);
        }
      }
      frontier = next;
    }
  }
  return out;
}

function stepsTo(index: ProjectIndex, parents: Map<string, { from: string; call: CallFact } | null>, fn: string, call: CallFact): RequestStep[] {
  const steps: RequestStep[] = [];
  const fileOf = (id: string) => index.functions.get(id)?.file ?? "";
  steps.unshift({ function: fn, file: fileOf(fn), line: call.line, snippet: call.snippet, callee: call.callee });
  let current = fn;
  for (let p = parents.get(current); p; p = parents.get(current)) {
    steps.unshift({ function: p.from, file: fileOf(p.from), line: p.call.line, snippet: p.call.snippet, callee: p.call.callee });
    current = p.from;
  }
  return steps;
}

/** `handler → helper → lib.call()`. */
export function describeRequestChain(steps: RequestStep[]): string {
  const last = steps[steps.length - 1] as RequestStep;
  return [...steps.map((s) => shortName(s.function)), `${last.callee}()`].join(" → ");
}

export function requestEvidence(steps: RequestStep[]): Evidence[] {
  return steps.map((s) => ({ file: s.file, line: s.line, snippet: s.snippet }));
}

export interface SiteGroup {
  first: RequestCall;
  /** Every call in the group (several sites of one function grouped by `keyOf`). */
  calls: RequestCall[];
  handlers: string[];
  onLoop: boolean;
}

/** Calls grouped by `keyOf` (by default the call site), keeping the shortest chain, preferring one on the event loop, and every handler reaching them. */
export function bySite(calls: RequestCall[], keyOf: (c: RequestCall) => string = siteKey): SiteGroup[] {
  const groups = new Map<string, SiteGroup>();
  for (const c of calls) {
    const key = keyOf(c);
    const g = groups.get(key);
    if (!g) groups.set(key, { first: c, calls: [c], handlers: [c.handler], onLoop: c.onLoop });
    else {
      if (!g.calls.some((o) => o.call === c.call)) g.calls.push(c);
      if (!g.handlers.includes(c.handler)) g.handlers.push(c.handler);
      if (c.steps.length < g.first.steps.length || (c.onLoop && !g.onLoop)) g.first = c;
      g.onLoop ||= c.onLoop;
    }
  }
  return [...groups.values()];
}

function siteKey(c: RequestCall): string {
  const last = c.steps[c.steps.length - 1] as RequestStep;
  return `${last.file}:${last.line}:${c.call.callee}`;
}

/** The function making the call at the end of the chain. */
export function sinkFunction(c: RequestCall): string {
  return (c.steps[c.steps.length - 1] as RequestStep).function;
}
