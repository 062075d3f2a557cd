import { defineCheck } from "../define.js";
import type { TaintOrigin } from "../taint.js";
import type { Report } from "../types.js";
import { SAFETY_CHECK, vettedOnTheWay } from "../taint.js";
import { type SinkArgument, type SinkCall, byOrigin, describeOrigin, groupEvidence, otherPlaces, shortName, sinkCalls } from "./sinks.js";

const REDIRECTS = /^(flask\.redirect|flask\.helpers\.redirect|werkzeug\.utils\.redirect|django\.shortcuts\.redirect|django\.http\.(HttpResponseRedirect|HttpResponsePermanentRedirect)|django\.http\.response\.(HttpResponseRedirect|HttpResponsePermanentRedirect)|(starlette|fastapi)\.responses\.RedirectResponse|quart\.redirect)$/;
/** Checks that the target stays on the site: the project's own or Django's by name, or a parsed netloc compared. */
const REDIRECT_CHECK = new RegExp(`${SAFETY_CHECK.source}|(^|\\.)(urlparse|urlsplit|url_parse)$`, "i");

/** A redirect target that begins with a local path (`/orders/`), a fixed origin, or a configured base stays on a known site. */
export function staysOnSite(anchor: string | undefined): boolean {
  if (anchor === undefined) return false;
  return anchor.startsWith("{…}") || /^\/[^/\\]/.test(anchor) || /^[a-z][\w+.-]*:\/\/[^/?#@\s]+[/?#]/i.test(anchor);
}

export default defineCheck({
  id: "SEC022",
  area: "security",
  title: "Open redirect",
  severity: "medium",
  kind: "concern",
  confidence: "high",
  why: "A redirect to a URL the client supplies (`?next=https://evil.example`) lets anyone craft a link on your domain that lands the user on a look-alike login page: phishing that borrows your domain's trust, and a step in OAuth token theft.",
  recommendation: "Redirect only to local paths or an allow-list: Django's `url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()})`, or compare `urlparse(url).netloc` with your hosts and fall back to a fixed page; map a short name to the target where you can.",
  example: {
    bad: 'return redirect(request.args.get("next", "/"))',
    good: 'target = request.args.get("next", "/")\nif not url_has_allowed_host_and_scheme(target, allowed_hosts={request.host}):\n    target = "/"\nreturn redirect(target)',
  },
  references: ["https://cwe.mitre.org/data/definitions/601.html", "https://cheatsheetseries.owasp.org/cheatsheets/Unvalidated_Redirects_and_Forwards_Cheat_Sheet.html", "https://docs.djangoproject.com/en/stable/ref/utils/#django.utils.http.url_has_allowed_host_and_scheme"],
  effort: "S",
  libraries: ["django"],
  cwe: "CWE-601",
  owasp: "A01:2021",
  run(input) {
    const kept: SinkCall[] = [];
    for (const sink of sinkCalls(input, (resolved): SinkArgument | null => (REDIRECTS.test(resolved) ? { position: 0, keyword: resolved.endsWith("RedirectResponse") ? "url" : "to" } : null))) {
      const origin = sink.origin;
      if (!origin || staysOnSite(origin.anchor)) continue;
      const fnId = sink.call.enclosing ? `${sink.mod.name}.${sink.call.enclosing}` : null;
      const checked = (sink.call.guard !== null && /safe|allow|netloc|startswith|valid|trusted/i.test(sink.call.guard)) || vettedOnTheWay(input.index, fnId, origin, REDIRECT_CHECK);
      if (checked) continue;
      kept.push(sink);
    }
    return byOrigin(kept).map((group): Report => {
      const sink = group[0] as SinkCall;
      const origin = sink.origin as TaintOrigin;
      const where = sink.call.enclosing ? ` in ${sink.call.enclosing}` : "";
      return { message: `\`${shortName(sink.resolved)}()\`${where} redirects to a URL the client controls, from ${describeOrigin(origin)}, with no check that it stays on this site.${otherPlaces(group)}`, evidence: groupEvidence(group) };
    });
  },
});
