import { fileRole } from "../../core/file-roles.js";
import type { Endpoint, Evidence } from "../../model/types.js";
import type { FunctionInfo } from "../../python/project-index.js";
import { isServiceCode } from "../code-paths.js";
import { callsOf, modelIndex, ormCall } from "../database/orm-queries.js";
import { defineCheck } from "../define.js";
import { shortName } from "../handlers.js";

/** Calls into these are calls into a service or data-access layer: `app.services.orders`, `OrderRepository.get`, `crud.user`. */
const LAYER = /(^|\.)(services?|service_layer|repositor(y|ies)|repos?|crud|dal|data_access|use_?cases|interactors|selectors|queries|domain|actions|operations|logic|managers)(\.|$)|[a-z](Service|Repository|Repo|Manager|Dao|DAO|Gateway|UseCase|Store)(\.|\(\)|$)/;
/** Enough handlers to speak of "most endpoints". */
const MIN_HANDLERS = 6;
const MIN_SHARE = 0.5;
/** Above this share of handlers calling a layer, the project has one and uses it. */
const LAYER_SHARE = 0.2;
const MAX_LISTED = 5;
const DJANGO = new Set<Endpoint["framework"]>(["django", "drf", "ninja"]);

interface Direct {
  fn: FunctionInfo;
  line: number;
  snippet: string;
  queries: number;
}

export default defineCheck({
  id: "ARCH004",
  area: "architecture",
  title: "Route handlers query the database directly, with no service or repository layer",
  severity: "medium",
  kind: "concern",
  confidence: "medium",
  why: "When most route handlers build ORM queries and commit sessions themselves, the rules of the business live in the HTTP layer: they cannot be reused by a background task, a CLI or a second API without copying, they are tested only through HTTP, transactions end wherever each handler decides, and changing a table means reading every endpoint.",
  recommendation: "Move data access into a repository or selector module (functions or classes that own the queries) and business operations into a service layer that handlers call; handlers then only parse the request, call one service function and shape the response. With FastAPI inject the service or repository with `Depends`; in Django follow the services/selectors split (HackSoftware's Django Styleguide); keep the direction with an import-linter layers contract.",
  example: {
    bad: '@router.post("/orders")\ndef create(body: OrderIn, db: Session = Depends(get_db)):\n    if db.query(Order).filter_by(ref=body.ref).first():\n        raise HTTPException(409)\n    db.add(Order(**body.dict()))\n    db.commit()',
    good: '@router.post("/orders")\ndef create(body: OrderIn, orders: OrderService = Depends(order_service)):\n    return orders.place(body)',
  },
  references: ["https://martinfowler.com/eaaCatalog/serviceLayer.html", "https://www.cosmicpython.com/book/chapter_02_repository.html", "https://github.com/HackSoftware/Django-Styleguide#services", "https://import-linter.readthedocs.io/"],
  effort: "L",
  libraries: ["import-linter", "sqlalchemy", "fastapi"],
  run({ model, index }) {
    const models = modelIndex(index, model.dataModels);
    const handlers = new Map<string, { fn: FunctionInfo; endpoint: Endpoint }>();
    for (const e of model.endpoints) {
      if (handlers.has(e.handler) || fileRole(e.file) !== "application" || !isServiceCode(e.file)) continue;
      const fn = index.functions.get(e.handler);
      if (fn) handlers.set(e.handler, { fn, endpoint: e });
    }
    if (handlers.size < MIN_HANDLERS) return [];
    const direct: Direct[] = [];
    let layered = 0;
    for (const [id, { fn }] of handlers) {
      const queries = callsOf(index, fn).filter((call) => ormCall(index, fn.module, call, models) !== null);
      if (queries.length) direct.push({ fn, line: (queries[0] as { line: number }).line, snippet: (queries[0] as { snippet: string }).snippet, queries: queries.length });
      if (index.callsIn(id).some(({ resolved }) => resolved !== null && index.projectModuleOf(resolved) !== null && LAYER.test(resolved))) layered++;
    }
    const share = direct.length / handlers.size;
    if (share < MIN_SHARE || layered > handlers.size * LAYER_SHARE) return [];
    direct.sort((a, b) => b.queries - a.queries || (a.fn.file < b.fn.file ? -1 : a.fn.file > b.fn.file ? 1 : a.line - b.line));
    const percent = Math.round(share * 100);
    const djangoOnly = [...handlers.values()].every(({ endpoint }) => DJANGO.has(endpoint.framework));
    const listed = direct.slice(0, MAX_LISTED).map((d) => `${shortName(d.fn.id)} (${d.fn.file}:${d.fn.fact.line}, ${d.queries} ORM call${d.queries === 1 ? "" : "s"})`);
    const evidence: Evidence[] = direct.slice(0, MAX_LISTED).map((d) => ({ file: d.fn.file, line: d.line, snippet: d.snippet }));
    return [
      {
        message: `${direct.length} of ${handlers.size} route handlers (${percent}%) run ORM queries or session operations in their own body, and ${layered === 0 ? "none" : `only ${layered}`} call a service, repository or CRUD module: ${listed.join("; ")}${direct.length > MAX_LISTED ? `, and ${direct.length - MAX_LISTED} more` : ""}.${djangoOnly ? " Django's own tutorials query in views; this matters once the same rules are needed from tasks, commands or a second API." : ""}`,
        evidence,
        ...(djangoOnly ? { severity: "low" as const } : {}),
      },
    ];
  },
});
