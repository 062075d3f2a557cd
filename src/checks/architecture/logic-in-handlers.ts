import { fileRole } from "../../core/file-roles.js";
import type { Endpoint, Evidence } from "../../model/types.js";
import type { FunctionInfo, ProjectIndex } from "../../python/project-index.js";
import { isServiceCode } from "../code-paths.js";
import { defineCheck } from "../define.js";
import { shortName } from "../handlers.js";

/** A handler this branchy and this long holds decisions of its own, not just parsing, one call and a response. */
const HEAVY_COMPLEXITY = 12;
const HEAVY_LINES = 50;
/** HTML built in Python (tagflow's `tag.div`, dominate, htpy): a long page is presentation, not business rules. */
const MARKUP_CALL = /^(tag|tags|html|h|dominate(\.tags)?|htpy|tagflow(\.\w+)?)\.\w+$|^(text|classes|attr)$/;
/** A handler whose calls are mostly markup builders renders a page. */
const MARKUP_SHARE = 0.3;
/** Findings need several such handlers: one long handler is a code smell, several are where the rules live. */
const MIN_HEAVY = 3;
/** ...and they must be a noticeable share of the handlers. */
const MIN_SHARE = 0.05;
const MAX_LISTED = 5;

/** The function (or, for a class-based view, the method for the route's verb) that handles an endpoint. */
function handlerFunction(index: ProjectIndex, e: Endpoint): FunctionInfo | undefined {
  return index.functions.get(e.handler) ?? index.functions.get(`${e.handler}.${e.method.toLowerCase()}`);
}

/** Project classes that other project classes extend: generic views, mixins, base handlers. */
function subclassedClasses(index: ProjectIndex): Set<string> {
  const out = new Set<string>();
  for (const mod of index.modules.values()) {
    for (const c of mod.facts.classes) for (const b of c.bases) if (b.qualified) out.add(index.resolve(b.qualified, mod.name));
  }
  return out;
}

export default defineCheck({
  id: "ARCH009",
  area: "architecture",
  title: "Domain logic in the web layer",
  severity: "medium",
  kind: "concern",
  confidence: "low",
  why: "Business rules written inside request handlers can only run through HTTP: a Celery task, a management command or another endpoint that needs the same rule copies it, tests must go through the web stack, and the rules change whenever the framework or the API shape does. Branch-heavy handlers are where that logic accumulates.",
  recommendation: "Move the decisions and calculations into plain functions or service classes in a domain or services module (no request objects, no framework imports), and keep handlers to parsing the request, calling the service and shaping the response. import-linter contracts keep the web layer out of the domain once it is separated.",
  example: {
    bad: '@router.post("/orders")\ndef create(order: OrderIn, db: Session = Depends(get_db)):\n    if order.coupon and order.total > 100:\n        discount = ...  # 60 more lines of pricing and stock rules',
    good: '@router.post("/orders")\ndef create(order: OrderIn, service: OrderService = Depends()):\n    return service.place(order)  # rules live in shop/orders/service.py',
  },
  references: ["https://martinfowler.com/eaaCatalog/serviceLayer.html", "https://www.cosmicpython.com/book/chapter_04_service_layer.html", "https://github.com/HackSoftware/Django-Styleguide#services"],
  effort: "L",
  libraries: ["import-linter"],
  run({ model, index }) {
    const bases = subclassedClasses(index);
    const seen = new Set<string>();
    const handlers: FunctionInfo[] = [];
    for (const e of model.endpoints) {
      if (fileRole(e.file) !== "application" || !isServiceCode(e.file)) continue;
      const fn = handlerFunction(index, e);
      // a method of a view class other views extend (netbox's `generic.BulkEditView`) is the project's own view framework
      if (!fn || seen.has(fn.id) || (fn.fact.className !== null && bases.has(`${fn.module}.${fn.fact.className}`))) continue;
      seen.add(fn.id);
      handlers.push(fn);
    }
    const rendersMarkup = (fn: FunctionInfo) => {
      const calls = index.callsIn(fn.id);
      return calls.length > 0 && calls.filter(({ call, resolved }) => MARKUP_CALL.test(call.callee) || (resolved !== null && /^(tagflow|dominate|htpy)\./.test(resolved))).length >= calls.length * MARKUP_SHARE;
    };
    const heavy = handlers.filter((fn) => fn.fact.complexity >= HEAVY_COMPLEXITY && fn.fact.codeLines >= HEAVY_LINES && !rendersMarkup(fn)).sort((a, b) => b.fact.complexity - a.fact.complexity || (a.id < b.id ? -1 : 1));
    if (heavy.length < MIN_HEAVY || heavy.length < handlers.length * MIN_SHARE) return [];
    const share = Math.round((heavy.length / handlers.length) * 100);
    const examples = heavy.slice(0, MAX_LISTED).map((fn) => `${shortName(fn.id)} (${fn.file}:${fn.fact.line}, ${fn.fact.codeLines} lines, complexity ${fn.fact.complexity})`);
    const evidence: Evidence[] = heavy.slice(0, MAX_LISTED).map((fn) => ({ file: fn.file, line: fn.fact.line, endLine: fn.fact.endLine, snippet: `def ${fn.fact.name}(...): ${fn.fact.codeLines} lines, complexity ${fn.fact.complexity}` }));
    return [
      {
        message: `${heavy.length} of ${handlers.length} request handlers (${share}%) are long and branch-heavy (complexity ${HEAVY_COMPLEXITY}+ over ${HEAVY_LINES}+ lines), so business rules likely live in the web layer: ${examples.join("; ")}. Read from size and branching alone; templates are not read.`,
        evidence,
      },
    ];
  },
});
