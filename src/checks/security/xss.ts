import type { CallFact } from "../../python/facts.js";
import { serviceCalls } from "../code-paths.js";
import { defineCheck } from "../define.js";
import type { SystemModel } from "../../model/types.js";
import type { ModuleInfo, ProjectIndex } from "../../python/project-index.js";
import { type TaintAnalysis, type TaintOrigin, describeOrigin, routedFunctions, taintOf } from "../taint.js";
import type { Report } from "../types.js";
import { BUILT_STRING_KINDS, argumentAt, shortName } from "./sinks.js";
import { interpolatedParts } from "./sql-injection.js";

/** Mark text as safe HTML: whatever is in it reaches the page unescaped. */
const MARK_SAFE = /^(django\.utils\.safestring\.mark_safe|django\.utils\.html\.format_html|markupsafe\.Markup|flask\.Markup|jinja2\.Markup)$/;
/** Compile their argument as a template: a client's text there runs template code on the server. */
const TEMPLATE_FROM_TEXT = /^(flask\.render_template_string|flask\.templating\.render_template_string|jinja2\.Template|jinja2\.Environment\.from_string|jinja2\.environment\.Environment\.from_string|django\.template\.Template|mako\.template\.Template)$/;
/** Send their first argument as the response body, as HTML unless a content type says otherwise. */
const RESPONSE_BODY = /^(django\.http\.HttpResponse|django\.http\.response\.HttpResponse|flask\.make_response|flask\.Response|werkzeug\.wrappers\.Response|(starlette|fastapi)\.responses\.HTMLResponse)$/;
/** Escaping of a formatted part: Django's and MarkupSafe's escapers, and builders that escape their arguments. */
const ESCAPED = /^(escape|conditional_escape|html\.escape|markupsafe\.escape|format_html|format_html_join|urlencode|quote|json\.dumps|json_script|intcomma|linebreaks|linebreaksbr|strip_tags|bleach\.clean|nh3\.clean|_|gettext|gettext_lazy|ngettext|pgettext|reverse|url_for|int|len|str\(len)\(/;

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
      const evidence = [{ file: mod.file, line: call.line, endLine: call.endLine, snippet: call.snippet }];
      if (/^jinja2\.(Environment|environment\.Environment|Template)$/.test(resolved) && call.args.some((a) => a.name === "autoescape" && a.value === false)) {
        reports.push({ message: `\`${call.callee}(autoescape=False)\`${where} renders every template of it without escaping: any value a template prints unfiltered is markup.`, evidence, severity: "medium" });
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
      if (!origin) continue;
      const what = template ? "compiles a template from" : markSafe ? "marks as safe HTML" : "sends as HTML";
      reports.push({ message: `\`${shortName(resolved)}()\`${where} ${what} data the client controls, from ${describeOrigin(origin)}${template ? ": template syntax in it runs on the server" : ": markup in it reaches the page unescaped"}.`, evidence });
    }
    reports.push(...returnedHtml(model, index, taint));
    return reports;
  },
});

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
    for (const flow of mod.facts.flows) {
      if (flow.enclosing !== fn.fact.qualname || !flow.targets.includes("return") || flow.prefix === undefined || flow.callee !== undefined) continue;
      const origin = markupOrigin(taint.flow(mod, flow));
      if (!origin) continue;
      reports.push({ message: `${fn.fact.name} returns a string built from data the client controls, from ${describeOrigin(origin)}; Flask sends it as HTML, so markup in it reaches the page unescaped.`, evidence: [{ file: mod.file, line: flow.line, snippet: "return …" }] });
    }
  }
  return reports;
}
