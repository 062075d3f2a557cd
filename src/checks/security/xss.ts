import type { CallFact, FlowFact } from "../../python/facts.js";
import { fileRole, runsInProduction } from "../../core/file-roles.js";
import { isSettingsModule } from "../../model/infrastructure.js";
import { serviceCalls } from "../code-paths.js";
import { defineCheck } from "../define.js";
import type { SystemModel } from "../../model/types.js";
import type { ModuleInfo, ProjectIndex } from "../../python/project-index.js";
import { type TaintAnalysis, type TaintOrigin, describeOrigin, routedFunctions, taintOf } from "../taint.js";
import type { Report } from "../types.js";
import { BUILT_STRING_KINDS, argumentAt, originEvidence, shortName } from "./sinks.js";
import { interpolatedParts } from "./sql-injection.js";

/** Mark text as safe HTML: whatever is in it reaches the page unescaped. */
const MARK_SAFE = /^(django\.utils\.safestring\.mark_safe|django\.utils\.html\.format_html|markupsafe\.Markup|flask\.Markup|jinja2\.Markup)$/;
/** Compile their argument as a template: a client's text there runs template code on the server. */
const TEMPLATE_FROM_TEXT = /^(flask\.render_template_string|flask\.templating\.render_template_string|jinja2\.Template|jinja2\.Environment\.from_string|jinja2\.environment\.Environment\.from_string|django\.template\.Template|mako\.template\.Template)$/;
/** Send their first argument as the response body, as HTML unless a content type says otherwise. */
const RESPONSE_BODY = /^(django\.http\.(response\.)?HttpResponse(BadRequest|NotFound|Forbidden|Gone|ServerError)?|flask\.make_response|flask\.Response|werkzeug\.wrappers\.Response|(starlette|fastapi)\.responses\.HTMLResponse)$/;
/** Escaping of a formatted part: Django's and MarkupSafe's escapers, and builders that escape their arguments. */
const ESCAPED = /^(escape|conditional_escape|html\.escape|markupsafe\.escape|format_html|format_html_join|urlencode|quote|json\.dumps|json_script|intcomma|linebreaks|linebreaksbr|strip_tags|bleach\.clean|nh3\.clean|_|gettext|gettext_lazy|ngettext|pgettext|reverse|url_for|int|len|str\(len)\(/;

/**
 * Django's `TEMPLATES` with `"autoescape": False` in the settings production runs: every `{{ value }}` of every
 * template is printed as markup. Development and test settings modules are left out.
 */
function settingsWithoutEscaping(index: ProjectIndex): Report[] {
  const reports: Report[] = [];
  for (const mod of index.modules.values()) {
    if (!isSettingsModule(mod.name) || !runsInProduction(fileRole(mod.file))) continue;
    for (const a of mod.facts.assignments) {
      if (a.target !== "TEMPLATES") continue;
      const off = /["']autoescape["']\s*:\s*False\b/.exec(a.text);
      if (!off) continue;
      const line = a.line + (a.text.slice(0, off.index).match(/\n/g)?.length ?? 0);
      reports.push({
        message: `TEMPLATES in ${mod.name} sets "autoescape": False: every value a template prints is markup unless the template escapes it itself, so any text a user stored reaches pages as HTML.`,
        evidence: [{ file: mod.file, line, snippet: off[0] }],
        severity: "high",
      });
    }
  }
  return reports;
}

function contentTypeIsNotHtml(call: CallFact): boolean {
  const type = call.args.find((a) => a.name === "content_type" || a.name === "mimetype" || a.name === "media_type");
  return type !== undefined && (typeof type.value !== "string" || !/html/i.test(type.value));
}

/** A value the client can shape into markup: request attributes and query, form or body values, not path segments. */
function markupOrigin(origin: TaintOrigin | undefined): TaintOrigin | undefined {
  return origin && !origin.pathParameter && !origin.htmlSafe ? origin : undefined;
}

/** `r = make_response(body)` then `r.mimetype = "text/plain"`: the response is not HTML after all. */
function retypedLater(index: ProjectIndex, mod: ModuleInfo, call: CallFact): boolean {
  const fn = call.enclosing ? index.functions.get(`${mod.name}.${call.enclosing}`) : undefined;
  const target = mod.facts.flows.find((f) => f.enclosing === call.enclosing && f.line === call.line && f.targets.length === 1)?.targets[0];
  if (!fn || !target) return false;
  return (mod.facts.literalStores ?? []).some((st) => st.target === target && /^(mimetype|content_type)$/.test(st.key) && !/html/i.test(st.value) && st.line > call.line && st.line <= fn.fact.endLine);
}

export default defineCheck({
  id: "SEC013",
  area: "security",
  title: "Cross-site scripting or template injection",
  severity: "high",
  kind: "concern",
  confidence: "high",
  why: "Text marked safe or sent as HTML without escaping puts the client's markup into the page: a `<script>` there runs as your site, with its cookies and its users' sessions. A template compiled from the client's text is worse: template syntax runs on the server (server-side template injection), often all the way to code execution.",
  recommendation: "Let the template engine escape (Django templates and Jinja2 with `autoescape=True` do); build HTML with `format_html(\"<a href='{}'>{}</a>\", url, name)` rather than marking an f-string safe; sanitise user-supplied HTML with `nh3` (or `bleach`); render fixed templates with `render_template(name, **context)`, never `render_template_string` on client text.",
  example: {
    bad: 'return mark_safe(f"<p>Hello {request.GET[\'name\']}</p>")',
    good: 'return format_html("<p>Hello {}</p>", request.GET["name"])',
  },
  references: ["https://cwe.mitre.org/data/definitions/79.html", "https://cwe.mitre.org/data/definitions/1336.html", "https://docs.djangoproject.com/en/stable/ref/utils/#django.utils.html.format_html", "https://owasp.org/Top10/A03_2021-Injection/"],
  effort: "S",
  libraries: ["nh3", "bleach", "markupsafe"],
  cwe: "CWE-79",
  owasp: "A03:2021",
  run({ model, index }) {
    const reports: Report[] = [];
    const taint = taintOf(model, index);
    for (const { mod, call, resolved } of serviceCalls(index)) {
      if (!resolved) continue;
      const where = call.enclosing ? ` in ${call.enclosing}` : "";
      const evidence: Report["evidence"] = [{ file: mod.file, line: call.line, endLine: call.endLine, snippet: call.snippet }];
      if (/^jinja2\.(Environment|environment\.Environment|Template)$/.test(resolved) && call.args.some((a) => a.name === "autoescape" && a.value === false)) {
        reports.push({ message: `\`${call.callee}(autoescape=False)\`${where} renders every template of it without escaping: any value a template prints unfiltered is markup.`, evidence, severity: "medium" });
        continue;
      }
      if (HTML_MAIL.test(resolved)) {
        // `send_mail(..., html_message=request.POST["body"])`: the client writes the HTML the recipients' mail clients render
        const html = call.args.find((a) => a.name === "html_message");
        const origin = html && html.kind !== "string" ? markupOrigin(taint.argument(mod, call, html)) : undefined;
        if (origin) {
          evidence.push(...originEvidence(origin, evidence));
          reports.push({ message: `\`${shortName(resolved)}()\`${where} sends an HTML email whose body holds data the client controls, from ${describeOrigin(origin)}: markup in it (links, forms, images) reaches the recipients unescaped.`, evidence, severity: "medium" });
        }
        continue;
      }
      const markSafe = MARK_SAFE.test(resolved);
      const template = TEMPLATE_FROM_TEXT.test(resolved);
      const response = RESPONSE_BODY.test(resolved) && !contentTypeIsNotHtml(call) && !retypedLater(index, mod, call);
      if (!markSafe && !template && !response) continue;
      const arg = argumentAt(call, { position: 0, keyword: template ? "source" : "content" });
      if (!arg || arg.kind === "string") continue;
      const built = BUILT_STRING_KINDS.has(arg.kind);
      const unescaped = built ? interpolatedParts(arg.text, arg.kind).filter((part) => !ESCAPED.test(part) && !/^[A-Z][A-Z0-9_]*$/.test(part) && !/^\d+$/.test(part)) : [];
      // every formatted part is escaped (`mark_safe(f"<b>{escape(name)}</b>")`): the markup is the code's own
      if (built && !unescaped.length) continue;
      // with no request data in reach, a value marked safe is the code's own markup or stored data the code
      // formats (badges, links, dates): judged on NetBox, reviews of those were wrong twelve times in thirteen
      const origin = markupOrigin(taint.argument(mod, call, arg));
      if (!origin) {
        // `format_html(f"<b>{name}</b>")`: the values are formatted in before format_html can escape them, whatever they hold
        if (built && resolved === "django.utils.html.format_html" && unescaped.some((part) => !/^(str\()?\w*(count|total|num|len|size|id|pk)\)?$/i.test(part) && !CONSTANT_PART.test(part))) {
          reports.push({ message: `Review: \`format_html()\`${where} is given a string already built with ${arg.kind === "fstring" ? "an f-string" : arg.kind === "percent" ? "%-formatting" : arg.kind === "format" ? "str.format()" : "concatenation"} (${unescaped.slice(0, 3).map((p) => `\`${p}\``).join(", ")}): those values are not escaped; pass them as arguments, \`format_html("<b>{}</b>", name)\`.`, evidence, severity: "low", confidence: "medium" });
        }
        continue;
      }
      const what = template ? "compiles a template from" : markSafe ? "marks as safe HTML" : "sends as HTML";
      evidence.push(...originEvidence(origin, evidence));
      reports.push({ message: `\`${shortName(resolved)}()\`${where} ${what} data the client controls, from ${describeOrigin(origin)}${template ? ": template syntax in it runs on the server" : ": markup in it reaches the page unescaped"}.`, evidence });
    }
    reports.push(...returnedHtml(model, index, taint));
    reports.push(...settingsWithoutEscaping(index));
    return reports;
  },
});

/** A class or module constant, sliced or not: `self.GENERIC_ERROR_MESSAGE[:-1]`, `Messages.HELP`. */
const CONSTANT_PART = /^((self|cls)\.)?([A-Za-z_]\w*\.)*[A-Z][A-Z0-9_]*(\[[^\]]*\])?$/;

/** Django's mail helpers that take an HTML body as `html_message`. */
const HTML_MAIL = /^django\.core\.mail\.(send_mail|mail_admins|mail_managers)$/;

/** `"<p>{}</p>".format`: the callee of a string literal's `.format()`, as extraction writes it (spaces removed). */
const LITERAL_FORMAT = /^[rbuRBU]{0,2}("|').*\1\.format$/;

/** An assignment of a string that begins with a tag: `"<h1>Hello, %s</h1>" % name`, `"<p>{}</p>".format(x)`. */
function startsWithMarkup(flow: FlowFact): boolean {
  if (flow.callee !== undefined) return LITERAL_FORMAT.test(flow.callee) && /^[rbuRBU]{0,2}("|')\s*</.test(flow.callee);
  return flow.prefix !== undefined && /^\s*<[a-zA-Z!]/.test(flow.prefix);
}

/** Frameworks that send a returned string as `text/html`. */
const HTML_BY_DEFAULT = new Set(["flask", "quart"]);

/** Flask handlers returning a string built around request data: Flask sends it as `text/html`. */
function returnedHtml(model: SystemModel, index: ProjectIndex, taint: TaintAnalysis): Report[] {
  const reports: Report[] = [];
  const handlers = [...model.endpoints, ...routedFunctions(index, new Set(model.endpoints.map((e) => e.handler)))].filter((e) => HTML_BY_DEFAULT.has(e.framework));
  const seen = new Set<string>();
  for (const endpoint of handlers) {
    const fn = index.functions.get(endpoint.handler);
    const mod = fn ? index.modules.get(fn.module) : undefined;
    if (!fn || !mod || seen.has(fn.id)) continue;
    seen.add(fn.id);
    const flows = mod.facts.flows.filter((f) => f.enclosing === fn.fact.qualname);
    for (const flow of flows) {
      if (!flow.targets.includes("return")) continue;
      // a string built with f-strings, `+` or `%`, or a literal's `.format()` (`"<a href='{}'>".format(x)`), or a
      // name holding HTML built that way (`body = "<h1>Hello, %s</h1>" % name` … `return body`)
      const formatted = flow.callee !== undefined && LITERAL_FORMAT.test(flow.callee);
      const held = flow.prefix === undefined && flow.callee === undefined && flow.reads.length === 1 ? flows.find((f) => f.line < flow.line && f.targets.includes(flow.reads[0] as string) && startsWithMarkup(f)) : undefined;
      if (!held && ((flow.prefix === undefined && !formatted) || (flow.callee !== undefined && !formatted))) continue;
      const origin = markupOrigin(taint.flow(mod, held ?? flow));
      if (!origin) continue;
      const evidence: Report["evidence"] = [{ file: mod.file, line: flow.line, snippet: "return …" }];
      if (held) evidence.push({ file: mod.file, line: held.line, endLine: held.line, snippet: "HTML built here" });
      evidence.push(...originEvidence(origin, evidence));
      reports.push({ message: `${fn.fact.name} returns a string built from data the client controls, from ${describeOrigin(origin)}; Flask sends it as HTML, so markup in it reaches the page unescaped.`, evidence });
    }
  }
  return reports;
}
