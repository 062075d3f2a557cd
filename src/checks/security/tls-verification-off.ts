import type { ArgumentFact } from "../../python/facts.js";
import { serviceCalls } from "../code-paths.js";
import { defineCheck } from "../define.js";
import type { Report } from "../types.js";

const VERBS = "(get|post|put|patch|delete|head|options|request|stream|send)";
/** Clients whose `verify=` argument turns certificate checks off: requests and httpx, functions, sessions and clients. */
const VERIFY_CLIENTS = new RegExp(`^(requests|httpx)(\\.(api|Session|sessions\\.Session|Client|AsyncClient))?\\.${VERBS}$|^httpx\\.(Client|AsyncClient|HTTPTransport|AsyncHTTPTransport)$`);
/** aiohttp takes `ssl=False` (or the older `verify_ssl=False`) on requests, sessions and connectors. */
const AIOHTTP = new RegExp(`^aiohttp\\.(request|ClientSession|TCPConnector|ClientSession\\.${VERBS}|ClientSession\\.ws_connect)$`);
/** Contexts that accept any certificate. */
const UNVERIFIED_CONTEXT = /^ssl\._create_unverified_context$|^ssl\._create_stdlib_context$/;

/** A name that says the insecure object is one of two choices (`_insecure_http_transport = ...`). */
const OPT_IN_NAME = /^\s*[\w.]*(insecure|unverified|no_?verify|skip_?verify|unsafe|noverify)\w*\s*[:=]/i;

function isFalse(arg: ArgumentFact | undefined): boolean {
  return arg !== undefined && (arg.value === false || arg.text === "False");
}

export default defineCheck({
  id: "SEC010",
  area: "security",
  title: "TLS verification disabled",
  severity: "high",
  kind: "concern",
  confidence: "high",
  why: "With certificate verification off, anyone on the network path (a compromised proxy, a hostile Wi-Fi, a misrouted DNS entry) can impersonate the remote service: read the credentials and data the service sends, and answer with whatever it likes. The warning it silences is the only sign.",
  recommendation: "Leave verification on; for a private certificate authority, pass its bundle (`verify=\"/etc/ssl/internal-ca.pem\"`, `ssl.create_default_context(cafile=...)`) or set `REQUESTS_CA_BUNDLE`/`SSL_CERT_FILE`; never ship `verify=False` behind a setting whose default is off.",
  example: { bad: 'requests.get(PARTNER_URL, verify=False, timeout=5)', good: 'requests.get(PARTNER_URL, verify="/etc/ssl/partner-ca.pem", timeout=5)' },
  references: ["https://cwe.mitre.org/data/definitions/295.html", "https://requests.readthedocs.io/en/latest/user/advanced/#ssl-cert-verification", "https://www.python-httpx.org/advanced/ssl/"],
  effort: "S",
  libraries: ["requests", "httpx", "truststore", "certifi"],
  cwe: "CWE-295",
  owasp: "API10:2023",
  run({ index }) {
    const reports: Report[] = [];
    for (const { mod, call, resolved } of serviceCalls(index)) {
      if (!resolved) continue;
      let what: string | null = null;
      if (VERIFY_CLIENTS.test(resolved) && isFalse(call.args.find((a) => a.name === "verify"))) what = `${call.callee}() with verify=False`;
      else if (AIOHTTP.test(resolved)) {
        const off = call.args.find((a) => (a.name === "ssl" || a.name === "verify_ssl") && isFalse(a));
        if (off) what = `${call.callee}() with ${off.name}=False`;
      } else if (UNVERIFIED_CONTEXT.test(resolved)) what = `${call.callee}(), which accepts any certificate,`;
      else {
        // `wrap_socket(..., cert_reqs=ssl.CERT_NONE)`, urllib3 pools with `cert_reqs="NONE"` or `CERT_OPTIONAL`
        const certReqs = call.args.find((a) => a.name === "cert_reqs" && (/(^|\.)CERT_(NONE|OPTIONAL)$/.test(a.text) || /^(CERT_)?(NONE|OPTIONAL)$/.test(String(a.value ?? ""))));
        if (certReqs) what = `${call.callee}() with cert_reqs=${certReqs.text}`;
      }
      if (!what) continue;
      const where = call.enclosing ? ` in ${call.enclosing}` : "";
      const evidence = [{ file: mod.file, line: call.line, snippet: call.snippet }];
      // an insecure mode the user opts into (`... if self.verify else unverified`, `_insecure_transport = ...`,
      // under `if not verify_ssl:`) is a documented option, not the default
      const optIn = OPT_IN_NAME.test(call.snippet) || / if .+ else /.test(call.snippet) || /^\s*else\b/.test(call.snippet) || (call.guard !== null && /verif|ssl|tls|insecure|cert/i.test(call.guard));
      if (optIn) {
        reports.push({ message: `${what}${where} is an insecure mode the configuration can switch on: make sure it defaults to off, says so where it is set, and is never enabled in production.`, evidence, severity: "low", confidence: "medium" });
        continue;
      }
      reports.push({ message: `${what}${where} turns certificate verification off: the remote end is not authenticated.`, evidence });
    }
    return reports;
  },
});
