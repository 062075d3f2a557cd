import type { SinkArgument } from "./sinks.js";
import type { ModuleInfo } from "../../python/project-index.js";
import { defineCheck } from "../define.js";
import type { Report } from "../types.js";
import { describeOrigin, sinkCalls, sinkEvidence } from "./sinks.js";
import { isConstantText } from "./command-injection.js";

const CODE_SINKS: Record<string, SinkArgument> = {
  eval: { position: 0, keyword: "source" },
  exec: { position: 0, keyword: "source" },
  compile: { position: 0, keyword: "source" },
};

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
    for (const sink of sinkCalls(input, (resolved) => CODE_SINKS[resolved] ?? null)) {
      const { arg, call, origin } = sink;
      if (isConstantText(input.index, sink.mod, arg) || compiledFromSyntaxTree(sink.mod, call.enclosing, arg.text)) continue;
      const where = call.enclosing ? ` in ${call.enclosing}` : "";
      if (origin) {
        reports.push({ message: `${call.callee}()${where} runs code built from data the client controls, from ${describeOrigin(origin)}.`, evidence: sinkEvidence(sink) });
        continue;
      }
      reports.push({
        message: `Review: ${call.callee}()${where} runs \`${arg.text.length > 60 ? `${arg.text.slice(0, 60)}…` : arg.text}\` as Python; no request data reaches it in this analysis, but whoever can shape that text runs code in the service.`,
        evidence: sinkEvidence(sink),
        severity: "low",
        confidence: "low",
      });
    }
    return reports;
  },
});
