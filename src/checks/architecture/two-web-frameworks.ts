import { fileRole } from "../../core/file-roles.js";
import { topPackage } from "../../model/capacity-numbers.js";
import type { Endpoint, Evidence, WebFramework } from "../../model/types.js";
import { isServiceCode } from "../code-paths.js";
import { defineCheck } from "../define.js";
import type { Report } from "../types.js";

/** Frameworks that are one stack: FastAPI is Starlette underneath, DRF and Django Ninja are Django. */
const FAMILY: Record<WebFramework, string> = {
  fastapi: "FastAPI/Starlette",
  starlette: "FastAPI/Starlette",
  django: "Django",
  drf: "Django",
  ninja: "Django",
  flask: "Flask",
  quart: "Quart",
  aiohttp: "aiohttp",
  pyramid: "Pyramid",
  litestar: "Litestar",
};

export default defineCheck({
  id: "ARCH007",
  area: "architecture",
  title: "Two web frameworks serving HTTP in one deployable",
  severity: "low",
  kind: "concern",
  confidence: "medium",
  why: "Two frameworks in one service mean two request models, two ways to authenticate, validate, handle errors and add middleware, and two sets of upgrades and security advisories. A cross-cutting rule (auth, rate limits, CORS, error format) added to one stack silently misses the routes of the other.",
  recommendation: "Finish the migration to one framework, or split the second into its own deployable. While both live, mount one inside the other explicitly (FastAPI's `WSGIMiddleware`, Starlette `Mount`) and share one authentication dependency and one error format.",
  example: {
    bad: "# api/main.py\napp = FastAPI()\n# api/legacy.py\nlegacy = Flask(__name__)\n@legacy.route('/orders')\ndef orders(): ...",
    good: "# api/main.py: one framework serves every route\napp = FastAPI()\napp.include_router(orders.router)",
  },
  references: ["https://fastapi.tiangolo.com/advanced/wsgi/", "https://martinfowler.com/bliki/StranglerFigApplication.html"],
  effort: "L",
  libraries: ["fastapi", "flask", "django"],
  run({ model }) {
    const byPackage = new Map<string, Map<string, Endpoint[]>>();
    for (const e of model.endpoints) {
      if (fileRole(e.file) !== "application" || !isServiceCode(e.file)) continue;
      const pkg = topPackage(e.file);
      const families = byPackage.get(pkg) ?? new Map<string, Endpoint[]>();
      const family = FAMILY[e.framework];
      families.set(family, [...(families.get(family) ?? []), e]);
      byPackage.set(pkg, families);
    }
    const reports: Report[] = [];
    for (const [pkg, families] of byPackage) {
      if (families.size < 2) continue;
      const sorted = [...families].sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1));
      const describe = sorted.map(([family, endpoints]) => `${family} (${endpoints.length} route${endpoints.length === 1 ? "" : "s"}, first ${endpoints[0]?.method} ${endpoints[0]?.path} at ${endpoints[0]?.file}:${endpoints[0]?.line})`);
      const evidence: Evidence[] = sorted.map(([, endpoints]) => endpoints[0] as Endpoint).map((e) => ({ file: e.file, line: e.line, snippet: `${e.method} ${e.path} (${FAMILY[e.framework]})` }));
      reports.push({ message: `${sorted.length} web frameworks serve HTTP in package ${pkg}: ${describe.join(" and ")}. Cross-cutting rules (auth, errors, rate limits) must be kept in step in both.`, evidence });
    }
    return reports;
  },
});
