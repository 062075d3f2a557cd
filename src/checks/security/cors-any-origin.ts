import type { ArgumentFact } from "../../python/facts.js";
import { defineCheck } from "../define.js";
import { deployedDjangoSettings } from "./django-deployment.js";
import type { Report } from "../types.js";

/** Starlette's middleware (FastAPI re-exports it) and flask-cors. */
const CORS_MIDDLEWARE = /^(starlette\.middleware\.cors|fastapi\.middleware\.cors)\.CORSMiddleware$/;
const FLASK_CORS = /^flask_cors\.(CORS|cross_origin)$/;

const isTrue = (a: ArgumentFact | undefined) => a !== undefined && (a.value === true || a.text === "True");
/** `["*"]`, `"*"`, or a regex that matches everything. */
const anyOrigin = (a: ArgumentFact | undefined) => a !== undefined && (a.value === "*" || (a.items?.length === 1 && a.items[0] === "*") || /^["']\.\*["']$|^["']\^?\.\*\$?["']$/.test(a.text));

export default defineCheck({
  id: "SEC011",
  area: "security",
  title: "CORS allows any origin with credentials",
  severity: "high",
  kind: "concern",
  confidence: "high",
  why: "With credentials allowed, a CORS policy that accepts any origin makes the browser send the user's cookies on requests from any web site and let that site read the answers: Starlette and flask-cors answer such requests with the caller's own origin. Any page the user visits can then act as the user.",
  recommendation: "List the origins that may call the API (`allow_origins=settings.CORS_ORIGINS`, `CORS_ALLOWED_ORIGINS`), and allow credentials only for those; for a public API that uses bearer tokens, allow any origin but not credentials.",
  example: { bad: 'app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=True)', good: 'app.add_middleware(CORSMiddleware, allow_origins=settings.CORS_ORIGINS, allow_credentials=True)' },
  references: ["https://owasp.org/www-community/attacks/CORS_OriginHeaderScrutiny", "https://www.starlette.io/middleware/#corsmiddleware", "https://cwe.mitre.org/data/definitions/942.html"],
  effort: "S",
  libraries: ["django-cors-headers", "flask-cors"],
  cwe: "CWE-942",
  owasp: "API8:2023",
  run({ index, model }) {
    const reports: Report[] = [];
    const deployed = deployedDjangoSettings(model, index);
    const low = " Any origin without credentials is fine for a public API that uses bearer tokens; restrict it if the API relies on cookies.";
    for (const mod of index.modules.values()) {
      for (const call of mod.facts.calls) {
        const resolved = call.qualified ? index.resolve(call.qualified, mod.name) : null;
        const evidence = [{ file: mod.file, line: call.line, snippet: call.snippet }];
        // app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=True)
        const middleware = call.args.find((a) => a.name === null && a.qualified && CORS_MIDDLEWARE.test(index.resolve(a.qualified, mod.name)));
        if (middleware || (resolved && CORS_MIDDLEWARE.test(resolved))) {
          const origins = call.args.find((a) => a.name === "allow_origins") ?? call.args.find((a) => a.name === "allow_origin_regex");
          if (!anyOrigin(origins)) continue;
          const credentials = isTrue(call.args.find((a) => a.name === "allow_credentials"));
          reports.push(credentials ? { message: `CORSMiddleware allows any origin (${origins?.text}) with allow_credentials=True: any web site can make credentialed requests and read the answers.`, evidence } : { message: `CORSMiddleware allows any origin (${origins?.text}).${low}`, evidence, severity: "low" });
          continue;
        }
        if (resolved && FLASK_CORS.test(resolved)) {
          const origins = call.args.find((a) => a.name === "origins" || a.name === "resources");
          // flask-cors allows every origin when none is given
          if (origins && !anyOrigin(origins)) continue;
          const credentials = isTrue(call.args.find((a) => a.name === "supports_credentials"));
          const what = `${call.callee}(${origins ? `origins=${origins.text}` : ""}) allows any origin`;
          reports.push(credentials ? { message: `${what} with supports_credentials=True: any web site can make credentialed requests and read the answers.`, evidence } : { message: `${what}.${low}`, evidence, severity: "low" });
        }
      }
      // django-cors-headers settings
      const settings = new Map(mod.facts.assignments.filter((a) => /^CORS_/.test(a.target)).map((a) => [a.target, a]));
      const all = settings.get("CORS_ALLOW_ALL_ORIGINS") ?? settings.get("CORS_ORIGIN_ALLOW_ALL");
      // the deployed settings set it again last (`CORS_ALLOW_ALL_ORIGINS = False` in production.py over a development default)
      const overridden = all ? deployed.length > 0 && deployed.every((d) => d.assignments(all.target).at(-1)?.fact.value !== true) : false;
      if (all && all.value === true && !overridden) {
        const credentials = settings.get("CORS_ALLOW_CREDENTIALS")?.value === true;
        const evidence = [{ file: mod.file, line: all.line, snippet: `${all.target} = True` }];
        reports.push(credentials ? { message: `${all.target} = True with CORS_ALLOW_CREDENTIALS = True: any web site can make credentialed requests and read the answers.`, evidence } : { message: `${all.target} = True allows any origin.${low}`, evidence, severity: "low" });
      }
    }
    return reports;
  },
});
