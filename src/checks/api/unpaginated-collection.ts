import { defineCheck } from "../define.js";
import type { Report } from "../types.js";

const LIST_SCHEMA = /^(list|List|Sequence|Iterable|set|tuple)\[/;

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
  run({ model }) {
    const reports: Report[] = [];
    for (const e of model.endpoints) {
      // only where the declared response says it is a list: evidence, not a guess from the path
      if (e.method !== "GET" || e.pagination || !e.responseSchema || !LIST_SCHEMA.test(e.responseSchema.trim())) continue;
      reports.push({ message: `GET ${e.path} returns ${e.responseSchema} with no limit, offset, page or cursor parameter and no paginator.`, evidence: [{ file: e.file, line: e.line, snippet: `GET ${e.path} → ${e.handler}` }] });
    }
    return reports;
  },
});
