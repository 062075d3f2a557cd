import { looksLikeSql } from "../../python/values.js";
import type { ArgumentFact } from "../../python/facts.js";
import { defineCheck } from "../define.js";
import type { Report } from "../types.js";

const SQL_SINKS = new Set(["execute", "executemany", "executescript", "exec_driver_sql", "raw", "extra", "mogrify", "text", "RawSQL", "read_sql", "read_sql_query", "fetch", "fetchrow", "fetchval"]);
const BUILT = new Set(["fstring", "concat", "format", "percent"]);
const HOW: Record<string, string> = { fstring: "an f-string", concat: "string concatenation", format: "str.format()", percent: "%-formatting" };

function sqlArgument(args: ArgumentFact[]): ArgumentFact | undefined {
  return args.find((a) => a.name === "sql" || a.name === "query" || a.name === "statement") ?? args.find((a) => a.name === null);
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
  run({ index }) {
    const reports: Report[] = [];
    for (const mod of index.modules.values()) {
      for (const call of mod.facts.calls) {
        const method = call.callee.slice(call.callee.lastIndexOf(".") + 1);
        if (!SQL_SINKS.has(method)) continue;
        const arg = sqlArgument(call.args);
        if (!arg) continue;
        let how: string | null = null;
        let builtAt: number | null = null;
        if (BUILT.has(arg.kind) && looksLikeSql(stripPrefix(arg.text))) how = HOW[arg.kind] ?? arg.kind;
        else if (arg.kind === "name") {
          // `query = f"SELECT ..."; cursor.execute(query)` in the same function
          const built = mod.facts.sqlStrings.filter((s) => s.enclosing === call.enclosing && BUILT.has(s.kind) && s.line <= call.line).pop();
          if (built) {
            how = HOW[built.kind] ?? built.kind;
            builtAt = built.line;
          }
        }
        if (!how) continue;
        const fromParams = arg.usesParams?.length ? ` with ${arg.usesParams.join(", ")} from the function's parameters` : "";
        const evidence = [{ file: mod.file, line: call.line, endLine: call.endLine, snippet: call.snippet }];
        if (builtAt !== null) evidence.push({ file: mod.file, line: builtAt, endLine: builtAt, snippet: "SQL text built here" });
        // values bound separately: what is formatted in is likely a trusted fragment (ORM-generated SQL, a column list)
        const bindsParameters = call.args.some((a) => a !== arg && (a.name === null || /^(params|parameters|args|vars)$/.test(a.name ?? "")));
        if (bindsParameters && !arg.usesParams?.length) {
          reports.push({
            message: `Review: SQL passed to ${call.callee}() is built with ${how} although its values are bound separately; make sure only trusted fragments are formatted in.`,
            evidence,
            severity: "medium",
            confidence: "low",
          });
          continue;
        }
        reports.push({ message: `SQL passed to ${call.callee}() is built with ${how}${fromParams}.`, evidence });
      }
    }
    return reports;
  },
});
