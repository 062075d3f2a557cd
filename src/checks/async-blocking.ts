import type { Evidence } from "../model/types.js";
import { effectOf } from "../python/effects.js";
import type { ChainStep, EffectChain } from "../python/project-index.js";
import { shortName } from "./handlers.js";
import type { CheckInput } from "./types.js";

export interface BlockingSite {
  functionId: string;
  file: string;
  line: number;
  chain: EffectChain;
  isHandler: boolean;
}

/**
 * Blocking calls made from `async def` functions, directly or through sync project helpers,
 * one per call site in the async function. `database` picks sync DB calls (DB006) or the rest (PERF001).
 */
export function blockingCallsInAsync(input: CheckInput, database: boolean): BlockingSite[] {
  const { index, model } = input;
  const handlers = new Set(model.endpoints.map((e) => e.handler));
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
          const inner = database ? summary.syncDb : summary.blocking;
          if (inner) chain = { effect: inner.effect, steps: [step, ...inner.steps] };
        }
      }
      if (!chain || (chain.effect.kind === "sync-db") !== database) continue;
      sites.push({ functionId: fn.id, file: fn.file, line: call.line, chain, isHandler: handlers.has(fn.id) });
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
