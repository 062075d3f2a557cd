import { looksLikeSql } from "../../python/values.js";
import type { ArgumentFact, CallFact, ValueKind } from "../../python/facts.js";
import { namesRead, requestSources } from "../../python/names-read.js";
import type { FunctionInfo, ModuleInfo, ProjectIndex } from "../../python/project-index.js";
import { defineCheck } from "../define.js";
import { describeOrigin, taintOf } from "../taint.js";
import type { Report } from "../types.js";
import { originEvidence } from "./sinks.js";

const SQL_SINKS = new Set(["execute", "executemany", "executescript", "exec_driver_sql", "raw", "extra", "mogrify", "text", "RawSQL", "read_sql", "read_sql_query", "fetch", "fetchrow", "fetchval", "cursor"]);
/** Django's `QuerySet.extra()`: its `where`, `select`, `tables` and `order_by` take SQL fragments, in lists or a dict. */
const EXTRA_SQL_ARGS = new Set(["where", "select", "tables", "order_by"]);
/** SQLAlchemy's `text()`: whatever it is given is SQL, whether or not it reads like SQL. */
const SQLALCHEMY_TEXT = /^sqlalchemy(\.sql(\.expression)?)?\.text$/;
const BUILT = new Set(["fstring", "concat", "format", "percent"]);
/** Calls that return SQL an ORM generated: Django's `sql_with_params()`/`as_sql()`, SQLAlchemy's `compile()`. */
const ORM_COMPILED = /(\.sql_with_params|\.as_sql|\.compile|\.get_compiler\(\)\.as_sql)$/;
/** SQLAlchemy query methods that accept a textual SQL fragment. */
const SQLALCHEMY_CLAUSE = /^(filter|where|order_by|group_by|having|distinct|from_statement)$/;
const HOW: Record<string, string> = { fstring: "an f-string", concat: "string concatenation", format: "str.format()", percent: "%-formatting" };

function sqlArgument(args: ArgumentFact[]): ArgumentFact | undefined {
  return args.find((a) => a.name === "sql" || a.name === "query" || a.name === "statement") ?? args.find((a) => a.name === null);
}

/** How an expression written as text builds a string, as extraction would classify it; null when it does not. */
function builtKind(text: string): ValueKind | null {
  const t = text.trim();
  if (/^[rbuRBU]?[fF][rbRB]?("""|'''|"|')/.test(t)) return "fstring";
  if (!/^[rbuRBU]{0,2}("""|'''|"|')/.test(t)) return null;
  if (/["']\s*\.format\(/.test(t)) return "format";
  if (/["']\s*%\s*\S/.test(t)) return "percent";
  if (/["']\s*\+|\+\s*[rbuRBU]{0,2}["']/.test(t)) return "concat";
  return null;
}

/** An expression as an argument, for taint: `["name = %s" % user]` → its element `"name = %s" % user`. */
function asArgument(text: string, kind: ValueKind): ArgumentFact {
  return { name: null, text, kind, reads: namesRead(text), sources: requestSources(text) };
}

/** The SQL fragments of `.extra(where=[...], select={...})`: each element built from values, as an argument of its own. */
function extraFragments(call: CallFact): ArgumentFact[] {
  const out: ArgumentFact[] = [];
  for (const arg of call.args) {
    if (arg.name === null || !EXTRA_SQL_ARGS.has(arg.name)) continue;
    const elements = arg.kind === "dict" ? splitTopLevel(arg.text.replace(/^\{|\}$/g, ""), ",").map((e) => e.slice(e.indexOf(":") + 1)) : (arg.items ?? []);
    for (const element of elements) {
      const kind = builtKind(element);
      if (kind) out.push(asArgument(element.trim(), kind));
    }
  }
  return out;
}

/**
 * SQL text kept in a name and then formatted (`query = "SELECT ... %s"` then `execute(query % name)`): the template's
 * text, from a module constant or a SQL literal written earlier in the same function.
 */
function templateText(index: ProjectIndex, mod: ModuleInfo, call: CallFact, arg: ArgumentFact): string | null {
  const template = /^([A-Za-z_][\w.]*)\s*(%|\.format\()/.exec(arg.text)?.[1];
  if (!template || (arg.kind !== "percent" && arg.kind !== "format" && arg.kind !== "call" && arg.kind !== "other")) return null;
  const constant = index.constantValue(`#${template}`, mod.name);
  if (typeof constant === "string") return looksLikeSql(constant) ? constant : null;
  if (template.includes(".") || !call.enclosing) return null;
  // a SQL literal assigned in this function before the call, and the name neither a parameter nor assigned from anything else
  if (index.functions.get(`${mod.name}.${call.enclosing}`)?.fact.params.some((p) => p.name === template)) return null;
  if (mod.facts.flows.some((f) => f.enclosing === call.enclosing && f.targets.includes(template))) return null;
  const literal = mod.facts.sqlStrings.filter((s) => s.enclosing === call.enclosing && s.kind === "string" && s.line < call.line).pop();
  return literal ? literal.text : null;
}

/** `sql = "SELECT ... {}".format(x)` then `execute(sql)`: extraction records the literal alone, the flow its `.format`. */
function formattedLiteral(mod: ModuleInfo, call: CallFact, name: string): { line: number; text: string } | null {
  const flows = mod.facts.flows.filter((f) => f.enclosing === call.enclosing && f.targets.includes(name) && f.line <= call.line);
  const last = flows[flows.length - 1];
  if (!last || !/^[rbuRBU]{0,2}("|').*\1\.format$/.test(last.callee ?? "")) return null;
  const literal = mod.facts.sqlStrings.find((s) => s.enclosing === call.enclosing && s.line === last.line && s.kind === "string");
  return literal ? { line: last.line, text: `${literal.text}.format(${last.reads.join(", ")})` } : null;
}

function stripPrefix(text: string): string {
  return text.replace(/^\(?\s*[a-zA-Z]*("""|'''|"|')/, "");
}

export default defineCheck({
  id: "SEC003",
  area: "security",
  title: "SQL built from strings",
  severity: "high",
  kind: "concern",
  confidence: "high",
  why: "SQL assembled with f-strings, concatenation, % or .format() lets any value that reaches it change the statement: SQL injection, the classic path to reading or destroying the whole database.",
  recommendation: "Pass values as bound parameters (`text(\"... WHERE id = :id\")` with `{\"id\": id}`, `cursor.execute(\"... = %s\", (id,))`) or build the query with the ORM or SQLAlchemy Core; never format values into SQL text.",
  example: {
    bad: 'db.execute(text(f"SELECT * FROM orders WHERE created_at >= \'{since}\'"))',
    good: 'db.execute(text("SELECT * FROM orders WHERE created_at >= :since"), {"since": since})',
  },
  references: ["https://cwe.mitre.org/data/definitions/89.html", "https://owasp.org/Top10/A03_2021-Injection/", "https://docs.sqlalchemy.org/en/20/core/sqlelement.html#sqlalchemy.sql.expression.text"],
  effort: "S",
  libraries: ["sqlalchemy"],
  cwe: "CWE-89",
  owasp: "A03:2021",
  run({ index, model }) {
    const reports: Report[] = [];
    const callers = callersOf(index);
    const taint = taintOf(model, index);
    for (const mod of index.modules.values()) {
      for (const call of mod.facts.calls) {
        const method = call.callee.slice(call.callee.lastIndexOf(".") + 1);
        const resolved = call.qualified ? index.resolve(call.qualified, mod.name) : "";
        // SQLAlchemy query clauses take SQL text as a string (`query.filter("id = %s" % x)`); pg8000 runs it with `run`
        const textClause = SQLALCHEMY_CLAUSE.test(method) && resolved.startsWith("sqlalchemy.");
        const pg8000 = method === "run" && resolved.startsWith("pg8000.");
        if (!SQL_SINKS.has(method) && !textClause && !pg8000) continue;
        // `.extra(where=["name = %s" % name])`: each fragment is SQL of its own
        const first = sqlArgument(call.args);
        const fragments = method === "extra" ? extraFragments(call) : [];
        for (const arg of [...fragments, ...(first ? [first] : [])]) {
          let how: string | null = null;
          let builtAt: number | null = null;
          let sqlText = arg.text;
          let kind = arg.kind;
          if (BUILT.has(arg.kind) && (textClause || method === "extra" || looksLikeSql(stripPrefix(arg.text)))) how = HOW[arg.kind] ?? arg.kind;
          else if (templateText(index, mod, call, arg) !== null) {
            // `query % name`, `query.format(name)` with `query` holding SQL text
            kind = /^[\w.]+\s*%/.test(arg.text) ? "percent" : "format";
            how = HOW[kind] ?? kind;
          } else if (arg.kind === "name") {
            // `query = f"SELECT ..."; cursor.execute(query)` in the same function
            const built = mod.facts.sqlStrings.filter((s) => s.enclosing === call.enclosing && BUILT.has(s.kind) && s.line <= call.line).pop();
            const formatted = formattedLiteral(mod, call, arg.text);
            if (formatted && (!built || built.line < formatted.line)) {
              how = HOW.format ?? "format";
              builtAt = formatted.line;
              sqlText = formatted.text;
              kind = "format";
            } else if (built) {
              how = HOW[built.kind] ?? built.kind;
              builtAt = built.line;
              sqlText = built.text;
              kind = built.kind;
            }
          }
          if (!how) {
            // SQLAlchemy's `text(q)` with `q` holding request data: SQL the client writes, whatever it looks like
            const origin = SQLALCHEMY_TEXT.test(resolved) && (arg.kind === "name" || arg.kind === "attribute") ? taint.argument(mod, call, arg) : undefined;
            if (origin?.raw) {
              const evidence: Report["evidence"] = [{ file: mod.file, line: call.line, endLine: call.endLine, snippet: call.snippet }];
              evidence.push(...originEvidence(origin, evidence));
              reports.push({ message: `SQL passed to ${call.callee}() holds data the client controls, from ${describeOrigin(origin)}.`, evidence });
            }
            continue;
          }
          const fn = call.enclosing ? index.functions.get(`${mod.name}.${call.enclosing}`) : undefined;
          // SQL the ORM compiled (`sql, params = qs.query.sql_with_params()`) is the ORM's own text, with its values bound
          const compiled = new Set(mod.facts.flows.filter((f) => f.enclosing === call.enclosing && ORM_COMPILED.test(f.callee ?? "")).flatMap((f) => f.targets));
          const parts = interpolatedParts(sqlText, kind).map((expr) => (compiled.has(expr.trim()) ? { expr, safe: true, param: false } : classifyPart(index, mod.name, fn, expr, callers)));
          // every value formatted in is a constant, a number or a quoted identifier, or there is none: nothing can be injected
          if (parts.every((p) => p.safe)) continue;
          const fromParams = parts.filter((p) => p.param).map((p) => p.expr);
          const evidence: Report["evidence"] = [{ file: mod.file, line: call.line, endLine: call.endLine, snippet: call.snippet }];
          if (builtAt !== null) evidence.push({ file: mod.file, line: builtAt, endLine: builtAt, snippet: "SQL text built here" });
          const waiver = mod.facts.linterWaivers.find((w) => w.line >= (builtAt ?? call.line) - 1 && w.line <= Math.max(call.endLine, builtAt ?? 0) + 1 && w.codes.some((c) => c === "S608" || c === "B608" || c === "*"));
          const values = parts.filter((p) => !p.safe).map((p) => `\`${p.expr}\``);
          const shown = values.length ? ` from ${values.slice(0, 4).join(", ")}` : "";
          if (waiver) {
            reports.push({ message: `Review: SQL passed to ${call.callee}() is built with ${how}${shown}; the team marked it reviewed for another tool (${waiver.codes.join(", ")} at line ${waiver.line}).`, evidence, severity: "low", confidence: "low" });
            continue;
          }
          const origin = taint.argument(mod, call, arg);
          // an extra() fragment built from other values is most often an ORM subquery (`f"id IN ({qs.query})"`): only request data counts
          if (!origin && fragments.includes(arg)) continue;
          if (origin) {
            evidence.push(...originEvidence(origin, evidence));
            reports.push({ message: `SQL passed to ${call.callee}() is built with ${how} from data the client controls, from ${describeOrigin(origin)}.`, evidence });
            continue;
          }
          // values bound separately: what is formatted in is likely a trusted fragment (ORM-generated SQL, a column list)
          const bindsParameters = call.args.some((a) => a !== arg && (a.name === null || /^(params|parameters|args|vars)$/.test(a.name ?? "")));
          if (!fromParams.length) {
            reports.push({
              message: bindsParameters
                ? `Review: SQL passed to ${call.callee}() is built with ${how}${shown} although its values are bound separately; make sure only trusted fragments are formatted in.`
                : `Review: SQL passed to ${call.callee}() is built with ${how}${shown}; no value comes from the function's parameters, but make sure none can come from a request.`,
              evidence,
              // values bound separately: what is formatted in is most likely a placeholder list or a compiled fragment
              severity: bindsParameters ? "low" : "medium",
              confidence: "low",
            });
            continue;
          }
          reports.push({ message: `SQL passed to ${call.callee}() is built with ${how} from the function's parameter${fromParams.length === 1 ? "" : "s"} ${fromParams.join(", ")}.`, evidence });
        }
      }
    }
    return reports;
  },
});

interface Part {
  expr: string;
  safe: boolean;
  param: boolean;
}

/** The expressions formatted into SQL text: `{...}` of an f-string, the non-literal terms of `+`, the operands of `%` and `.format()`. */
export function interpolatedParts(text: string, kind: string): string[] {
  const body = text.replace(/^\(?\s*/, "");
  if (kind === "fstring") return [...body.replace(/\{\{|\}\}/g, "").matchAll(/\{([^{}]+?)(?:![rsa])?(?::[^{}]*)?\}/g)].map((m) => (m[1] ?? "").trim()).filter(Boolean);
  if (kind === "concat") return splitTopLevel(body, "+").map((t) => t.trim()).filter((t) => t && !/^[rbuRBU]*("""|'''|"|')/.test(t));
  if (kind === "percent") {
    const operand = body.slice(body.lastIndexOf("%") + 1).trim().replace(/^\((.*)\)$/s, "$1");
    return splitTopLevel(operand, ",").map((t) => t.trim()).filter(Boolean);
  }
  if (kind === "format") {
    const args = /\.format\(([\s\S]*)\)\s*$/.exec(body)?.[1] ?? "";
    return splitTopLevel(args, ",").map((t) => t.trim().replace(/^\w+\s*=\s*/, "")).filter(Boolean);
  }
  return [];
}

export function splitTopLevel(text: string, separator: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let current = "";
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === "\"" || ch === "'") quote = ch;
    else if ("([{".includes(ch)) depth++;
    else if (")]}".includes(ch)) depth--;
    else if (ch === separator && depth === 0) {
      out.push(current);
      current = "";
      continue;
    }
    current += ch;
  }
  out.push(current);
  return out;
}

/** Numbers, module constants, `len(...)`/`int(...)` and quoted identifiers cannot carry SQL. */
const NUMERIC = /^(\d+(\.\d+)?|(len|int|float|abs|round|bool)\(.*\))$/s;
const QUOTED = /(quote_name|quote_ident|quote_identifier|sql\.Identifier|sql\.Literal|escape_identifier)\(/;

const ORM_IDENTIFIER = /\._meta\.(db_table|model_name|app_label|pk\.column|pk\.attname|[\w.]*\.column)$|\.__tablename__$|\.__table__\.(name|fullname)$|\._meta\.db_table$/;

function classifyPart(index: ProjectIndex, module: string, fn: FunctionInfo | undefined, expr: string, callers: Map<string, CallFact[]>): Part {
  const bare = expr.replace(/^(str|repr)\((.*)\)$/s, "$2").trim();
  if (NUMERIC.test(bare) || QUOTED.test(bare)) return { expr, safe: true, param: false };
  if (/^[A-Za-z_][\w.]*$/.test(bare)) {
    const value = index.constantValue(`#${bare}`, module);
    if (value !== undefined && value !== null) return { expr, safe: true, param: false };
    if (/^([A-Za-z_]\w*\.)*[A-Z][A-Z0-9_]+$/.test(bare)) return { expr, safe: true, param: false };
    // table and column names from the ORM's own metadata (`self.model._meta.db_table`, `Model.__tablename__`)
    if (ORM_IDENTIFIER.test(bare)) return { expr, safe: true, param: false };
    // a parameter itself carries values; an attribute of one (`db.timestamp_now`, `self.table`) is usually configuration
    const param = bare.includes(".") ? undefined : fn?.fact.params.find((p) => p.name === bare);
    if (fn && param) return { expr, safe: constantAtEveryCall(fn, param.name, callers), param: true };
  }
  return { expr, safe: false, param: false };
}

/** Whether every project call of `fn` passes a number or a constant for `param` (and there is at least one). */
function constantAtEveryCall(fn: FunctionInfo, param: string, callers: Map<string, CallFact[]>): boolean {
  const calls = callers.get(fn.id) ?? [];
  if (!calls.length) return false;
  const positional = fn.fact.params.filter((p) => p.name !== "self" && p.name !== "cls").findIndex((p) => p.name === param);
  return calls.every((call) => {
    const arg = call.args.find((a) => a.name === param) ?? (call.args.filter((a) => a.name === null)[positional] as ArgumentFact | undefined);
    if (!arg) return true; // the default applies
    return arg.kind === "number" || arg.kind === "string" || NUMERIC.test(arg.text) || /^([A-Za-z_]\w*\.)*[A-Z][A-Z0-9_]+$/.test(arg.text);
  });
}

/** Project calls into each function, from the call graph. */
function callersOf(index: ProjectIndex): Map<string, CallFact[]> {
  const out = new Map<string, CallFact[]>();
  for (const edges of index.callGraph.values()) {
    for (const edge of edges) {
      const list = out.get(edge.target);
      if (list) list.push(edge.call);
      else out.set(edge.target, [edge.call]);
    }
  }
  return out;
}
