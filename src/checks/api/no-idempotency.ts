import type { Endpoint } from "../../model/types.js";
import type { ProjectIndex } from "../../python/project-index.js";
import { fileRole, runsInProduction } from "../../core/file-roles.js";
import { defineCheck } from "../define.js";
import { literalSegments, usesLibrary, where } from "./api-surface.js";

/** Words of a path or handler name that say money moves or an order is placed. */
const MONEY_WORD = /^(payments?|pay|charges?|orders?|checkouts?|transfers?|payouts?|refunds?|subscriptions?|purchases?)$/;
/** A subscription is billing only beside money words (`/billing/subscriptions`); alone it is often a notification subscription. */
const BILLING_CONTEXT = /^(billing|fiat|stripe|paddle|plans?|payments?|checkout|invoices?|pricing|prices?|customers?)$/;
/** Handler names that create such a thing (`create_order`, `charge_card`, `checkout`, `place_order`). */
const CREATING_HANDLER = /^(create|add|new|place|submit|make|start|initiate|process|confirm|complete|charge|pay|checkout|refund|transfer|payout|purchase|post)$/;
/** Path words that say the POST reads, previews or receives rather than creates. */
const NOT_CREATING = /^(search|query|filter|preview|estimate|quote|calculate|validate|verify|webhooks?|callbacks?|hooks?|notify|notifications?|ipn|events?|export|import|reports?|bulk[-_]?delete|cancel|status|reorder|ordering)$/;
const IDEMPOTENCY_PACKAGES = ["django-idempotency-key", "drf-idempotency", "fastapi-idempotency", "idempotency-header", "fastapi-idempotency-header", "idempotency", "django-idempotency", "flask-idempotency", "asgi-idempotency-header"];
const IDEMPOTENCY = /idempoten/i;

function words(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** Why the endpoint creates a payment, order or transfer-like thing, or null. */
function createsMoneyThing(e: Endpoint): string | null {
  if (e.method !== "POST") return null;
  const segments = literalSegments(e.path);
  const pathWords = segments.flatMap(words);
  if (pathWords.some((w) => NOT_CREATING.test(w))) return null;
  const name = e.handler.slice(e.handler.lastIndexOf(".") + 1);
  const nameWords = words(name);
  if (nameWords.some((w) => NOT_CREATING.test(w))) return null;
  // the last literal segment names the thing created (`/orders`, `/checkout`, `/payments/charge`)
  const last = segments[segments.length - 1] ?? "";
  const endsWithParam = !e.path.replace(/\/$/, "").endsWith(last);
  const money = (w: string, all: string[]) => MONEY_WORD.test(w) && (!/^subscriptions?$/.test(w) || all.some((x) => BILLING_CONTEXT.test(x)));
  if (!endsWithParam && words(last).some((w) => money(w, pathWords))) return `the path ${e.path}`;
  // the handler's name says it creates one (`create_order`, `charge_customer`, `checkout`)
  if (nameWords.some((w) => money(w, [...nameWords, ...pathWords])) && (CREATING_HANDLER.test(nameWords[0] ?? "") || money(nameWords[0] ?? "", [...nameWords, ...pathWords]))) return `the handler ${name}`;
  return null;
}

/** Where the project mentions idempotency: a parameter, a field, a header name, an argument or a module. */
function idempotencyAnywhere(index: ProjectIndex): string | null {
  for (const mod of index.modules.values()) {
    if (!runsInProduction(fileRole(mod.file))) continue;
    const f = mod.facts;
    for (const fn of f.functions) if (fn.params.some((p) => IDEMPOTENCY.test(p.name) || IDEMPOTENCY.test(p.default ?? ""))) return `${mod.file}:${fn.line}`;
    for (const c of f.classes) {
      const a = c.assignments.find((x) => IDEMPOTENCY.test(x.target));
      if (a) return `${mod.file}:${a.line}`;
    }
    for (const a of f.assignments) if (IDEMPOTENCY.test(a.target) || IDEMPOTENCY.test(a.text)) return `${mod.file}:${a.line}`;
    for (const call of f.calls) if (call.args.some((a) => IDEMPOTENCY.test(a.name ?? "") || IDEMPOTENCY.test(a.text))) return `${mod.file}:${call.line}`;
    for (const imp of f.imports) if (IDEMPOTENCY.test(imp.module) || imp.names?.some((n) => IDEMPOTENCY.test(n.name))) return `${mod.file}:${imp.line}`;
    if (IDEMPOTENCY.test(mod.name)) return mod.file;
  }
  return null;
}

export default defineCheck({
  id: "API011",
  area: "api",
  title: "Create or charge endpoints without idempotency support",
  severity: "low",
  kind: "concern",
  confidence: "medium",
  why: "Clients retry: a mobile app on a flaky network, a proxy that times out, a user who clicks twice. A POST that creates an order, a charge or a transfer and has no idempotency key runs again on every retry, so the customer is charged twice or two orders ship; the server cannot tell a retry from a new request.",
  recommendation: "Accept an `Idempotency-Key` header on these POSTs: store the key with the result (a unique column, or Redis with a TTL) and answer a repeated key with the stored response instead of running the operation again. django-idempotency-key, drf-idempotency or an ASGI idempotency middleware do this; payment providers take the same key on the outbound call (`stripe.PaymentIntent.create(..., idempotency_key=key)`).",
  example: {
    bad: '@router.post("/orders", response_model=OrderRead)\ndef create_order(order: OrderCreate, db: Session = Depends(get_db)): ...',
    good: '@router.post("/orders", response_model=OrderRead)\ndef create_order(order: OrderCreate, idempotency_key: str = Header(alias="Idempotency-Key"), db: Session = Depends(get_db)):\n    if (done := find_result(db, idempotency_key)) is not None:\n        return done\n    ...',
  },
  references: ["https://datatracker.ietf.org/doc/draft-ietf-httpapi-idempotency-key-header/", "https://docs.stripe.com/api/idempotent_requests"],
  effort: "M",
  libraries: ["django-idempotency-key", "drf-idempotency"],
  run({ model, index }) {
    const found = model.endpoints.filter((e) => runsInProduction(fileRole(e.file))).flatMap((e) => {
      const reason = createsMoneyThing(e);
      return reason ? [{ e, reason }] : [];
    });
    if (!found.length) return [];
    if (usesLibrary(model, index, IDEMPOTENCY_PACKAGES, /idempoten/i) || idempotencyAnywhere(index)) return [];
    const seen = new Set<string>();
    const unique = found.filter(({ e }) => !seen.has(`${e.method} ${e.path}`) && seen.add(`${e.method} ${e.path}`));
    const listed = unique.map(({ e }) => `POST ${e.path} (${where(e)})`);
    return [
      {
        message: `${unique.length === 1 ? "This POST creates" : `${unique.length} POSTs create`} orders, payments or transfers and nothing in the project takes an idempotency key (no \`Idempotency-Key\` header, no \`idempotency_key\` parameter or field, no idempotency library): ${listed.slice(0, 8).join(", ")}${listed.length > 8 ? ` and ${listed.length - 8} more` : ""}. A retried request runs twice.`,
        evidence: unique.slice(0, 10).map(({ e }) => ({ file: e.file, line: e.line, snippet: `POST ${e.path} → ${e.handler}` })),
      },
    ];
  },
});
