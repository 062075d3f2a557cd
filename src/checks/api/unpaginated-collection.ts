import type { Endpoint } from "../../model/types.js";
import type { ProjectIndex } from "../../python/project-index.js";
import { defineCheck } from "../define.js";
import type { Report } from "../types.js";
import { byRole, GROUP_FROM } from "../grouping.js";

const LIST_SCHEMA = /^(list|List|Sequence|Iterable|set|tuple)\[/;
const PRIMITIVE_LIST = /^(list|List|Sequence|Iterable|set|tuple)\[\s*(str|int|float|bool|UUID|uuid\.UUID)\s*(,\s*\.\.\.)?\]$/;

/** A list of the children of one resource: a path parameter in the path, or a required `*_id` parameter of the handler. */
function scopedToOneResource(index: ProjectIndex, e: Endpoint): boolean {
  if (/\{[^}]+\}/.test(e.path)) return true;
  const fn = index.functions.get(e.handler);
  return fn?.fact.params.some((p) => /(^|_)(id|uuid|slug|key)$/.test(p.name) && (p.default === null || /^(Query|Path)\(\s*(\.\.\.)?\s*[,)]/.test(p.default))) ?? false;
}

export default defineCheck({
  id: "API003",
  area: "api",
  title: "Collection endpoint without pagination",
  severity: "medium",
  kind: "concern",
  confidence: "medium",
  why: "A GET that returns a whole collection gets slower and heavier as the table grows: one request can load every row into memory, serialise megabytes and hold a database connection for seconds; clients then time out or the worker runs out of memory.",
  recommendation: "Page every collection: `limit`/`offset` (with a maximum) or cursor parameters applied to the query, or a paginator (fastapi-pagination, DRF `DEFAULT_PAGINATION_CLASS`, flask-smorest `@blp.paginate`), and return the page with its total or next cursor.",
  example: { bad: '@router.get("/users", response_model=list[UserRead])\ndef list_users(db: Session = Depends(get_db)):\n    return db.scalars(select(User)).all()', good: '@router.get("/users", response_model=list[UserRead])\ndef list_users(limit: int = Query(50, le=200), offset: int = 0, db: Session = Depends(get_db)):\n    return db.scalars(select(User).limit(limit).offset(offset)).all()' },
  references: ["https://uriyyo-fastapi-pagination.netlify.app/", "https://www.django-rest-framework.org/api-guide/pagination/"],
  effort: "S",
  libraries: ["fastapi-pagination", "djangorestframework"],
  run({ model, index }) {
    const top: Endpoint[] = [];
    const nested: Endpoint[] = [];
    for (const e of model.endpoints) {
      // only where the declared response says it is a list: evidence, not a guess from the path
      if (e.method !== "GET" || e.pagination || !e.responseSchema || !LIST_SCHEMA.test(e.responseSchema.trim())) continue;
      // a list of names or numbers is an enumeration (currencies, capabilities), not a table
      if (PRIMITIVE_LIST.test(e.responseSchema.trim())) continue;
      // the children of one resource (`/cases/{id}/participants`) are bounded by that resource: worth a look, not a medium
      // (a path parameter, or a required `*_id` filter such as `?flow_run_id=`)
      (scopedToOneResource(index, e) ? nested : top).push(e);
    }
    const one = (e: Endpoint, severity?: "low"): Report => ({
      message: `GET ${e.path} returns ${e.responseSchema} with no limit, offset, page or cursor parameter and no paginator${severity ? "; it lists the children of one resource, so it grows only as that resource does" : ""}.`,
      evidence: [{ file: e.file, line: e.line, snippet: `GET ${e.path} → ${e.handler}` }],
      ...(severity ? { severity } : {}),
    });
    const reports: Report[] = [];
    // many unpaged lists are one design choice of the API: one finding with every endpoint
    for (const part of byRole(top, (e) => e.file)) {
      if (part.length >= GROUP_FROM) {
        reports.push({
          message: `${part.length} collection endpoints return whole lists with no limit, offset, page or cursor parameter and no paginator (for example GET ${part[0]?.path} → ${part[0]?.responseSchema}).`,
          evidence: part.map((e) => ({ file: e.file, line: e.line, snippet: `GET ${e.path} → ${e.handler}` })),
        });
      } else reports.push(...part.map((e) => one(e)));
    }
    reports.push(...nested.map((e) => one(e, "low")));
    return reports;
  },
});
