import type { ProjectIndex } from "../../python/project-index.js";
import { defineCheck } from "../define.js";
import type { TaintOrigin } from "../taint.js";
import { vettedOnTheWay } from "../taint.js";
import type { Report } from "../types.js";
import { type SinkArgument, type SinkCall, byOrigin, describeOrigin, groupEvidence, otherPlaces, shortName, sinkCalls } from "./sinks.js";

const VERBS = "get|post|put|patch|delete|head|options|stream";
/** HTTP clients, by resolved name: functions, sessions and clients of requests, httpx, aiohttp, urllib and urllib3. */
const BY_URL = new RegExp(`^(requests(\\.api|\\.Session|\\.sessions\\.Session)?|httpx(\\.Client|\\.AsyncClient)?|aiohttp\\.ClientSession)\\.(${VERBS})$|^urllib\\.request\\.(urlopen|Request|urlretrieve)$|^urllib3\\.request$`);
/** `request(method, url)`: the URL comes second. */
const BY_METHOD_AND_URL = /^(requests(\.api|\.Session|\.sessions\.Session)?|httpx(\.Client|\.AsyncClient)?|aiohttp\.ClientSession|aiohttp|urllib3\.PoolManager|urllib3\.poolmanager\.PoolManager)\.request$/;

/**
 * Whether what a URL begins with fixes its host: a scheme, a complete host and a `/`, `?` or `#` after it
 * (`https://api.example.com/`), or a value the client does not control (`f"{settings.API_URL}/..."`, read `{…}/`).
 * `https://api.example.com` + value is not enough: `@evil.example` would make it the user part.
 */
export function fixesHost(anchor: string | undefined): boolean {
  if (anchor === undefined) return false;
  return anchor.startsWith("{…}") || /^[a-z][\w+.-]*:\/\/[^/?#@\s]+[/?#]/i.test(anchor);
}

/** `RDAP_URL.format(domain=d)` with `RDAP_URL = "https://rdap.example/domain/{domain}"`: the template's text up to its first field. */
function templatePrefix(index: ProjectIndex, module: string, text: string): string | undefined {
  const name = /^([A-Za-z_][\w.]*)\.format\(/.exec(text)?.[1];
  const template = name ? index.constantValue(`#${name}`, module) : undefined;
  return typeof template === "string" ? template.slice(0, Math.max(0, template.search(/\{|$/))) : undefined;
}

function sinkFor(resolved: string): SinkArgument | null {
  if (BY_URL.test(resolved)) return { position: 0, keyword: "url" };
  if (BY_METHOD_AND_URL.test(resolved)) return { position: 1, keyword: "url" };
  return null;
}

export default defineCheck({
  id: "SEC020",
  area: "security",
  title: "Server-side request forgery (SSRF)",
  severity: "high",
  kind: "concern",
  confidence: "high",
  why: "When a client chooses the URL the server fetches, it can make the server call what only the server can reach: the cloud metadata endpoint (and its credentials), internal admin APIs, databases on the private network. The response, or its timing, leaks back to the client.",
  recommendation: "Never fetch a URL the client sends as is: map an identifier to a URL you keep server-side, or check the parsed host against an allow-list (after resolving it, and again on every redirect: `follow_redirects=False` and revalidate). Libraries such as `advocate` or a forward proxy with an egress allow-list (Smokescreen) block private and link-local addresses.",
  example: {
    bad: 'resp = requests.get(request.args["url"], timeout=5)',
    good: 'url = WEBHOOK_TARGETS[request.args["target"]]  # server-side allow-list\nresp = requests.get(url, timeout=5, allow_redirects=False)',
  },
  references: ["https://cwe.mitre.org/data/definitions/918.html", "https://owasp.org/Top10/A10_2021-Server-Side_Request_Forgery_%28SSRF%29/", "https://cheatsheetseries.owasp.org/cheatsheets/Server_Side_Request_Forgery_Prevention_Cheat_Sheet.html"],
  effort: "M",
  libraries: ["advocate", "httpx", "requests"],
  cwe: "CWE-918",
  owasp: "A10:2021",
  run(input) {
    const kept: SinkCall[] = [];
    for (const sink of sinkCalls(input, sinkFor)) {
      const origin = sink.origin;
      // the client only chooses a path under a host the code fixes: not a forgery of the destination
      if (!origin || fixesHost(origin.anchor) || fixesHost(templatePrefix(input.index, sink.mod.name, sink.arg.text))) continue;
      // the code vets the URL on its way (`validate_crawlable_url`, an allow-list check by name)
      if (vettedOnTheWay(input.index, sink.call.enclosing ? `${sink.mod.name}.${sink.call.enclosing}` : null, origin)) continue;
      kept.push(sink);
    }
    return byOrigin(kept).map((group): Report => {
      const sink = group[0] as SinkCall;
      const origin = sink.origin as TaintOrigin;
      const where = sink.call.enclosing ? ` in ${sink.call.enclosing}` : "";
      return { message: `\`${shortName(sink.resolved)}()\`${where} fetches a URL the client controls, from ${describeOrigin(origin)}: the client chooses which host the server calls.${otherPlaces(group)}`, evidence: groupEvidence(group) };
    });
  },
});
