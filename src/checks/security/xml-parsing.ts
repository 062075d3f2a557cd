import type { ArgumentFact, CallFact } from "../../python/facts.js";
import type { ModuleInfo } from "../../python/project-index.js";
import { isApplicationCode } from "../code-paths.js";
import { defineCheck } from "../define.js";
import type { Report } from "../types.js";

/** Standard-library parsers: entity expansion (billion laughs) and, in older Pythons, external entities. */
const STDLIB = /^xml\.(etree\.(ElementTree|cElementTree)\.(parse|fromstring|fromstringlist|XML|iterparse)|dom\.(minidom|pulldom)\.(parse|parseString)|sax\.(parse|parseString))$/;
/** lxml's XML parsers: external entities resolved by default before lxml 5. `lxml.html` parses HTML and is not here. */
const LXML = /^lxml\.etree\.(parse|fromstring|fromstringlist|XML|iterparse)$/;
const LXML_PARSER = /^lxml\.etree\.(XMLParser|XMLPullParser)$/;
const DEFUSED = /^defusedxml(\.|$)/;
/** Functions that take a file path or file object, rather than the XML text itself. */
const TAKES_FILE = /\.(parse|iterparse)$/;

function isTrue(arg: ArgumentFact | undefined): boolean {
  return arg !== undefined && (arg.value === true || arg.text === "True");
}

function isFalse(arg: ArgumentFact | undefined): boolean {
  return arg !== undefined && (arg.value === false || arg.text === "False");
}

/** A literal path, or one built from the module's own location: a file that ships with the project. */
function isProjectFile(arg: ArgumentFact): boolean {
  if (arg.kind === "string") return true;
  return /__file__|\b(BASE_DIR|ROOT_DIR|PROJECT_ROOT|APP_DIR)\b/.test(arg.text) && /["']/.test(arg.text);
}

function importsDefusedxml(mod: ModuleInfo): boolean {
  return mod.facts.imports.some((i) => DEFUSED.test(i.module) || (i.names === null && /^defusedxml/.test(i.module)));
}

/** The finding for one call, or null when it parses safely or parses constant XML. */
function inspect(call: CallFact, resolved: string, mod: ModuleInfo): Report | null {
  const evidence = [{ file: mod.file, line: call.line, snippet: call.snippet }];
  const where = call.enclosing ? ` in ${call.enclosing}` : "";
  if (LXML_PARSER.test(resolved)) {
    return isTrue(call.args.find((a) => a.name === "resolve_entities")) ? { message: `\`${call.callee}(resolve_entities=True)\`${where} builds a parser that expands external entities (XXE).`, evidence } : null;
  }
  const stdlib = STDLIB.test(resolved);
  if (!stdlib && !LXML.test(resolved)) return null;
  const positional = call.args.filter((a) => a.name === null);
  if (!stdlib) {
    // lxml with a parser of the project's choosing, or with entity resolution off
    if (call.args.some((a) => a.name === "parser") || (positional.length >= 2 && !resolved.endsWith(".iterparse")) || isFalse(call.args.find((a) => a.name === "resolve_entities"))) return null;
  }
  const source = call.args.find((a) => a.name === "source" || a.name === "text" || a.name === "string" || a.name === "file") ?? positional[0];
  if (!source) return null;
  const takesFile = TAKES_FILE.test(resolved) && !/\.parseString$/.test(resolved);
  // XML text written in the code is no one's to control
  if (!takesFile && (source.kind === "string" || source.kind === "concat") && !/\{/.test(source.text)) return null;
  // a document that begins with a literal element (`f"<root>{body}</root>"`) cannot declare entities: a DTD must come first
  const leading = source.prefix ?? (/^[rRfFbBuU]*["']{1,3}(.*)$/.exec(source.text)?.[1] ?? "");
  if (!takesFile && source.kind !== "name" && /^\s*<[A-Za-z_]/.test(leading)) return null;
  const parser = stdlib ? "the standard library's parser" : "lxml's default parser, which resolves external entities before lxml 5";
  if (takesFile && isProjectFile(source)) {
    return { message: `\`${call.callee}(${source.text.slice(0, 60)})\`${where} parses a file that ships with the project with ${parser}: harmless while that file stays the project's own (low: a local file).`, evidence, severity: "low" };
  }
  return { message: `\`${call.callee}()\`${where} parses ${source.text.slice(0, 60)} with ${parser}: a crafted document can expand entities until memory runs out${stdlib ? "" : " or read local files (XXE)"}.`, evidence };
}

export default defineCheck({
  id: "SEC023",
  area: "security",
  title: "XML parsed without defusedxml",
  severity: "medium",
  kind: "concern",
  confidence: "medium",
  why: "XML can declare entities that expand to gigabytes (the billion-laughs attack) or, with lxml before 5.0 and other entity-resolving parsers, pull in local files and URLs (XXE): a document sent by a caller can exhaust the worker's memory or read `/etc/passwd` and the service's own secrets into the response.",
  recommendation: "Parse untrusted XML with defusedxml (`defusedxml.ElementTree.fromstring`, `defusedxml.minidom`, `defusedxml.sax`), or call `defusedxml.defuse_stdlib()` once at start-up; with lxml, pass `lxml.etree.XMLParser(resolve_entities=False, no_network=True)`.",
  example: { bad: "root = ET.fromstring(request.body)", good: "from defusedxml.ElementTree import fromstring\nroot = fromstring(request.body)" },
  references: ["https://docs.python.org/3/library/xml.html#xml-vulnerabilities", "https://github.com/tiran/defusedxml", "https://cheatsheetseries.owasp.org/cheatsheets/XML_External_Entity_Prevention_Cheat_Sheet.html", "https://cwe.mitre.org/data/definitions/611.html"],
  effort: "S",
  libraries: ["defusedxml"],
  cwe: "CWE-611",
  owasp: "A05:2021",
  run({ index }) {
    const reports: Report[] = [];
    const resolvedCalls = [...index.modules.values()].flatMap((mod) => mod.facts.calls.map((call) => ({ mod, call, resolved: call.qualified ? index.resolve(call.qualified, mod.name) : null })));
    // `defusedxml.defuse_stdlib()` anywhere patches the standard library for the whole process
    if (resolvedCalls.some((c) => c.resolved === "defusedxml.defuse_stdlib")) return reports;
    for (const { mod, call, resolved } of resolvedCalls) {
      if (!resolved || !isApplicationCode(mod.file) || importsDefusedxml(mod)) continue;
      const report = inspect(call, resolved, mod);
      if (report) reports.push(report);
    }
    return reports;
  },
});
