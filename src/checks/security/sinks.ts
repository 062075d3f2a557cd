import type { ArgumentFact, CallFact } from "../../python/facts.js";
import type { ModuleInfo } from "../../python/project-index.js";
import { serviceCalls } from "../code-paths.js";
import { type TaintOrigin, describeOrigin, taintOf } from "../taint.js";
import type { CheckInput, Report } from "../types.js";

/** Ways of building a string from values: f-strings, `+`, `.format()`, `%`. */
export const BUILT_STRING_KINDS = new Set(["fstring", "concat", "format", "percent"]);

/** Which argument of a sink carries the dangerous value: its position and keyword. */
export interface SinkArgument {
  position: number;
  keyword: string;
}

/** A call in application code to a sink, with the argument that matters and whether request data reaches it. */
export interface SinkCall {
  mod: ModuleInfo;
  call: CallFact;
  resolved: string;
  arg: ArgumentFact;
  origin: TaintOrigin | undefined;
}

/** The argument a sink reads: by keyword, else by position among the positional arguments. */
export function argumentAt(call: CallFact, at: SinkArgument): ArgumentFact | undefined {
  return call.args.find((a) => a.name === at.keyword) ?? call.args.filter((a) => a.name === null)[at.position];
}

/** Calls in application code whose resolved name `sinkFor` knows, with the dangerous argument and its taint. */
export function* sinkCalls(input: CheckInput, sinkFor: (resolved: string, call: CallFact) => SinkArgument | null): Generator<SinkCall> {
  const taint = taintOf(input.model, input.index);
  for (const { mod, call, resolved } of serviceCalls(input.index)) {
    if (!resolved) continue;
    const at = sinkFor(resolved, call);
    if (!at) continue;
    const arg = argumentAt(call, at);
    if (!arg) continue;
    yield { mod, call, resolved, arg, origin: taint.argument(mod, call, arg) };
  }
}

/** The evidence of a sink finding: the call, and where the request data entered when that is elsewhere. */
export function sinkEvidence(sink: SinkCall): Report["evidence"] {
  const evidence: Report["evidence"] = [{ file: sink.mod.file, line: sink.call.line, endLine: sink.call.endLine, snippet: sink.call.snippet }];
  const origin = sink.origin;
  if (origin) evidence.push(...originEvidence(origin, evidence));
  return evidence;
}

/** Where the value was built into a string and where request data entered, unless the evidence already shows those lines. */
export function originEvidence(origin: TaintOrigin, shown: Report["evidence"]): Report["evidence"] {
  const out: Report["evidence"] = [];
  const has = (file: string, line: number) => [...shown, ...out].some((e) => e.file === file && e.line === line);
  if (origin.builtAt && !has(origin.builtAt.file, origin.builtAt.line)) out.push({ file: origin.builtAt.file, line: origin.builtAt.line, endLine: origin.builtAt.line, snippet: "built here" });
  if (!has(origin.file, origin.line)) out.push({ file: origin.file, line: origin.line, endLine: origin.line, snippet: `request data enters: ${origin.source}` });
  return out;
}

/** `requests.get` for a message: the last two segments of a resolved name. */
export function shortName(resolved: string): string {
  const parts = resolved.split(".");
  return parts.slice(-2).join(".");
}

export { describeOrigin };

/**
 * Sinks that request data from one place reaches, as one report each: the first sink is the finding, the others
 * follow as evidence (`open()` in five helpers of one upload handler is one problem, not five).
 */
export function byOrigin(sinks: SinkCall[]): SinkCall[][] {
  const groups = new Map<string, SinkCall[]>();
  for (const sink of sinks) {
    const key = sink.origin ? `${sink.origin.file}:${sink.origin.line}:${sink.origin.source}` : `${sink.mod.file}:${sink.call.line}`;
    const group = groups.get(key);
    if (group) group.push(sink);
    else groups.set(key, [sink]);
  }
  return [...groups.values()];
}

/** The evidence of a group: every sink (up to eight), then where the request data entered. */
export function groupEvidence(group: SinkCall[]): Report["evidence"] {
  const first = group[0] as SinkCall;
  const evidence: Report["evidence"] = group.slice(0, 8).map((sink) => ({ file: sink.mod.file, line: sink.call.line, endLine: sink.call.endLine, snippet: sink.call.snippet }));
  const origin = first.origin;
  if (origin) evidence.push(...originEvidence(origin, evidence));
  return evidence;
}

/** " It reaches 4 other places: `open()` in _copy (file:line), …" for a group's message. */
export function otherPlaces(group: SinkCall[]): string {
  if (group.length < 2) return "";
  const others = group.slice(1);
  const listed = others.slice(0, 3).map((sink) => `\`${shortName(sink.resolved)}()\` at ${sink.mod.file}:${sink.call.line}`);
  return ` The same data reaches ${others.length} other place${others.length === 1 ? "" : "s"}: ${listed.join(", ")}${others.length > 3 ? ", …" : ""}.`;
}
