import { serviceCalls } from "../code-paths.js";
import { defineCheck } from "../define.js";
import type { Report } from "../types.js";

/** Token decoders: PyJWT, python-jose, joserfc's jwt module, Authlib. */
const DECODE = /^(jwt|jose\.jwt|jwt\.api_jwt|jwt\.api_jwt\.PyJWT|jwt\.PyJWT|authlib\.jose\.jwt|joserfc\.jwt)\.decode$/;
/** `options={"verify_signature": False}` (PyJWT, python-jose), `verify=False` (PyJWT 1.x). */
const SIGNATURE_OFF = /["']verify_signature["']\s*:\s*False/;
/** Functions that authenticate callers from a token. */
const AUTHENTICATES = /(authenticat|current_user|get_user|user_from|from_token|verify|validate|check_token|decode_access|decode_jwt|access_token|login|permission|identity|principal|bearer)/i;
/** The `none` algorithm accepts unsigned tokens. */
const NONE_ALGORITHM = /["']none["']/i;

export default defineCheck({
  id: "SEC009",
  area: "security",
  title: "JWT signature not verified",
  severity: "high",
  kind: "concern",
  confidence: "high",
  why: "A token whose signature is not checked is whatever the caller writes into it: anyone can set `sub` to another user or `role` to admin, and the service believes it. Accepting the `none` algorithm does the same for any token that asks for it.",
  recommendation: "Decode with the key and a pinned list of algorithms (`jwt.decode(token, key, algorithms=[\"HS256\"])`), require the claims you rely on (`options={\"require\": [\"exp\", \"sub\"]}`), and read unverified claims (`get_unverified_header`) only to choose the key.",
  example: { bad: 'claims = jwt.decode(token, options={"verify_signature": False})', good: 'claims = jwt.decode(token, settings.SECRET_KEY, algorithms=["HS256"], options={"require": ["exp", "sub"]})' },
  references: ["https://pyjwt.readthedocs.io/en/stable/usage.html", "https://cheatsheetseries.owasp.org/cheatsheets/JSON_Web_Token_for_Java_Cheat_Sheet.html", "https://cwe.mitre.org/data/definitions/347.html"],
  effort: "S",
  libraries: ["pyjwt", "joserfc"],
  cwe: "CWE-347",
  owasp: "API2:2023",
  run({ index }) {
    const reports: Report[] = [];
    for (const { mod, call, resolved } of serviceCalls(index)) {
      if (!resolved || !DECODE.test(resolved)) continue;
      const options = call.args.find((a) => a.name === "options");
      const verify = call.args.find((a) => a.name === "verify");
      const algorithms = call.args.find((a) => a.name === "algorithms");
      const evidence = [{ file: mod.file, line: call.line, snippet: call.snippet }];
      const where = call.enclosing ? ` in ${call.enclosing}` : "";
      if ((options && SIGNATURE_OFF.test(options.text)) || verify?.value === false || verify?.text === "False") {
        // read unverified to find the issuer or key, then decoded again with a key and algorithms: the usual OIDC flow
        const verifiedLater = mod.facts.calls.some((c) => c !== call && c.enclosing === call.enclosing && c.qualified !== null && DECODE.test(index.resolve(c.qualified, mod.name)) && c.args.some((a) => a.name === "algorithms"));
        if (verifiedLater) continue;
        // high where the function authenticates callers; elsewhere (routing by a claim, an ID token fetched from the
        // provider's token endpoint over TLS) say what to check
        const authenticates = AUTHENTICATES.test(call.enclosing ?? "");
        reports.push(authenticates ? { message: `${call.callee}()${where} decodes tokens without verifying their signature: any caller can forge the claims.`, evidence } : { message: `${call.callee}()${where} reads a token's claims without verifying its signature: make sure nothing grants access on them (an ID token received straight from the provider's token endpoint over TLS may skip the check).`, evidence, severity: "low", confidence: "medium" });
      } else if (algorithms && NONE_ALGORITHM.test(algorithms.text)) {
        reports.push({ message: `${call.callee}()${where} accepts the "none" algorithm: an unsigned token passes.`, evidence });
      }
    }
    return reports;
  },
});
