import type { CallFact } from "../../python/facts.js";
import type { SinkArgument } from "./sinks.js";
import type { ModuleInfo } from "../../python/project-index.js";
import { defineCheck } from "../define.js";
import type { Report } from "../types.js";
import { type SinkCall, describeOrigin, sinkCalls, sinkEvidence } from "./sinks.js";
import { serviceCalls } from "../code-paths.js";
import { taintOf } from "../taint.js";
import type { CheckInput } from "../types.js";
import { isConstantText } from "./command-injection.js";

const CODE_SINKS: Record<string, SinkArgument> = {
  eval: { position: 0, keyword: "source" },
  exec: { position: 0, keyword: "source" },
  compile: { position: 0, keyword: "source" },
};

/** Executors handed `eval`/`exec` as the function to run: `loop.run_in_executor(None, exec, code)`, `pool.submit(eval, expr)`. */
const EXECUTOR = /\.(run_in_executor|submit|apply_async|run_sync)$/;

/** The code argument of a call to eval, exec or compile, or of an executor told to run one of them. */
function codeSink(resolved: string, call: CallFact): SinkArgument | null {
  const direct = CODE_SINKS[resolved];
  if (direct) return direct;
  if (!EXECUTOR.test(call.callee)) return null;
  const positional = call.args.filter((a) => a.name === null);
  const fn = positional.findIndex((a) => a.kind === "name" && /^(eval|exec)$/.test(a.text) && (a.qualified === undefined || /^(builtins\.)?(eval|exec)$/.test(a.qualified)));
  return fn >= 0 && fn < 2 ? { position: fn + 1, keyword: "\0" } : null;
}

/** `compile(ast.Module(...))`, or `exec(code)` with `code = compile(tree, ...)`: code the program assembled as a syntax tree, not text. */
function compiledFromSyntaxTree(mod: ModuleInfo, enclosing: string | null, text: string): boolean {
  if (/^ast\./.test(text)) return true;
  return mod.facts.flows.some((f) => f.enclosing === enclosing && f.targets.includes(text) && /^(compile|ast\.\w+)$/.test(f.callee ?? ""));
}

export default defineCheck({
  id: "SEC005",
  area: "security",
  title: "Code evaluated from data",
  severity: "high",
  kind: "concern",
  confidence: "high",
  why: "`eval`, `exec` and `compile` run their argument as Python with the service's full power: whoever shapes that text can read settings and secrets, open connections, and run programs. No sandboxing of `eval` holds (`__builtins__` stripped or not).",
  recommendation: "Parse data instead of running it: `json.loads` for data, `ast.literal_eval` for Python literals, a small expression library (`simpleeval`, `asteval` in its safe mode) or a lookup table of allowed operations for user formulas.",
  example: { bad: 'total = eval(request.args["expr"])', good: 'from simpleeval import simple_eval\ntotal = simple_eval(request.args["expr"])' },
  references: ["https://cwe.mitre.org/data/definitions/95.html", "https://docs.python.org/3/library/ast.html#ast.literal_eval", "https://owasp.org/Top10/A03_2021-Injection/"],
  effort: "S",
  libraries: ["simpleeval", "asteval"],
  cwe: "CWE-95",
  owasp: "A03:2021",
  run(input) {
    const reports: Report[] = [];
    for (const sink of sinkCalls(input, codeSink)) {
      const { arg, call, origin } = sink;
      if (isConstantText(input.index, sink.mod, arg) || compiledFromSyntaxTree(sink.mod, call.enclosing, arg.text)) continue;
      const where = call.enclosing ? ` in ${call.enclosing}` : "";
      const handed = CODE_SINKS[sink.resolved] ? null : call.args.find((a) => a.name === null && /^(eval|exec)$/.test(a.text))?.text;
      const label = handed ? `${call.callee}(…, ${handed}, …)` : `${call.callee}()`;
      if (origin) {
        reports.push({ message: `${label}${where} runs code built from data the client controls, from ${describeOrigin(origin)}.`, evidence: sinkEvidence(sink) });
        continue;
      }
      reports.push({
        message: `Review: ${label}${where} runs \`${arg.text.length > 60 ? `${arg.text.slice(0, 60)}…` : arg.text}\` as Python; no request data reaches it in this analysis, but whoever can shape that text runs code in the service.`,
        evidence: sinkEvidence(sink),
        severity: "low",
        confidence: "low",
      });
    }
    reports.push(...namespaceLookups(input));
    return reports;
  },
});

/** `globals().get(name)`, or `g.get(name)` with `g = globals()`: a lookup of the module's namespace. */
const NAMESPACE = /^(globals|locals|vars)$/;

/**
 * `globals().get(request.GET["fn"])`: the client names which function or object of the module the code picks, and
 * usually calls (semgrep's dangerous-globals-use). Only request data counts: a lookup by the code's own names is dispatch.
 */
function namespaceLookups(input: CheckInput): Report[] {
  const reports: Report[] = [];
  const taint = taintOf(input.model, input.index);
  for (const { mod, call } of serviceCalls(input.index)) {
    const receiver = /^(.+)\.get$/.exec(call.callee)?.[1];
    if (!receiver) continue;
    const direct = /^(globals|locals|vars)\(\)$/.test(receiver);
    const held = !direct && /^[A-Za-z_]\w*$/.test(receiver) && mod.facts.flows.some((f) => f.enclosing === call.enclosing && f.targets.includes(receiver) && NAMESPACE.test(f.callee ?? ""));
    if (!direct && !held) continue;
    const key = call.args.find((a) => a.name === null);
    const origin = key ? taint.argument(mod, call, key) : undefined;
    if (!key || !origin) continue;
    const where = call.enclosing ? ` in ${call.enclosing}` : "";
    const sink: SinkCall = { mod, call, resolved: call.callee, arg: key, origin };
    reports.push({ message: `\`${call.callee}()\`${where} picks an object of the module's namespace by a name the client chooses, from ${describeOrigin(origin)}: the client decides which function runs.`, evidence: sinkEvidence(sink) });
  }
  return reports;
}
