import type { Check, Finding } from "../checks/types.js";
import type { SystemModel } from "../model/types.js";
import type { ChecklistItem } from "./types.js";

/** OWASP API Security Top 10, 2023 edition: the category each checklist item guards against. */
export const OWASP_API_2023 = {
  API1: "API1:2023 Broken Object Level Authorization",
  API2: "API2:2023 Broken Authentication",
  API3: "API3:2023 Broken Object Property Level Authorization",
  API4: "API4:2023 Unrestricted Resource Consumption",
  API5: "API5:2023 Broken Function Level Authorization",
  API6: "API6:2023 Unrestricted Access to Sensitive Business Flows",
  API7: "API7:2023 Server Side Request Forgery",
  API8: "API8:2023 Security Misconfiguration",
  API9: "API9:2023 Improper Inventory Management",
  API10: "API10:2023 Unsafe Consumption of APIs",
} as const;
type Owasp = keyof typeof OWASP_API_2023;

/** What the model alone can say about an item no implemented check covers: a pass with its evidence, or a hint that stays unknown. */
type ModelReading = { status: "pass" | "unknown"; detail: string } | null;

function authenticated(m: SystemModel): ModelReading {
  const yes = m.endpoints.filter((e) => e.auth === true);
  if (!yes.length) return null;
  const first = yes[0] as (typeof yes)[number];
  return { status: "pass", detail: `${yes.length} of ${m.endpoints.length} endpoints require authentication (first: ${first.method} ${first.path} at ${first.file}:${first.line})` };
}

function declared(category: string, what: string): (m: SystemModel) => ModelReading {
  return (m) => {
    const tech = m.technologies.filter((t) => t.category === category);
    return tech.length ? { status: "unknown", detail: `${tech.map((t) => t.name).join(", ")} declared; ${what} not verified by this version of archscope` } : null;
  };
}

const ITEMS: Array<{ item: string; checks: string[]; owasp: Owasp; applies?: (m: SystemModel) => boolean; fromModel?: (m: SystemModel) => ModelReading }> = [
  { item: "Objects are checked against their owner or tenant, not only the caller's login", checks: ["SEC017"], owasp: "API1" },
  { item: "Authentication mechanism present", checks: ["SEC016"], owasp: "API2", applies: (m) => m.endpoints.length > 0, fromModel: authenticated },
  { item: "Password hashing with a slow, salted algorithm", checks: ["SEC007"], owasp: "API2", fromModel: declared("password-hashing", "how every password is hashed") },
  { item: "JWT signatures verified with pinned algorithms", checks: ["SEC009"], owasp: "API2", fromModel: declared("auth", "how tokens are decoded") },
  { item: "Request data never unpacked straight into models (mass assignment)", checks: ["SEC025"], owasp: "API3" },
  { item: "Rate limiting on public and authentication endpoints", checks: ["API005"], owasp: "API4" },
  { item: "Collections paged, so one request cannot load a whole table", checks: ["API003"], owasp: "API4" },
  { item: "Every state-changing endpoint requires authentication", checks: ["API002"], owasp: "API5", applies: (m) => m.endpoints.length > 0 },
  { item: "No request-controlled URL reaches an HTTP client (SSRF)", checks: ["SEC020"], owasp: "API7" },
  { item: "No secrets committed in code, settings, env files or deployment files", checks: ["SEC001", "SEC018"], owasp: "API8" },
  { item: "SQL built only with bound parameters", checks: ["SEC003"], owasp: "API8" },
  { item: "Debug mode off in deployable configuration", checks: ["SEC002"], owasp: "API8" },
  { item: "CORS restricted to known origins", checks: ["SEC011"], owasp: "API8" },
  { item: "Containers run as an unprivileged user", checks: ["DEP002"], owasp: "API8", applies: (m) => m.dockerfiles.length > 0 },
  { item: "Dependencies locked and scanned for vulnerabilities in CI", checks: ["SEC019"], owasp: "API8" },
  { item: "API versions and interactive docs inventoried, not exposed by accident", checks: ["API006", "API009"], owasp: "API9", applies: (m) => m.endpoints.length > 0 },
  { item: "TLS verification on for outbound calls", checks: ["SEC010"], owasp: "API10" },
  { item: "Outbound calls bounded by timeouts", checks: ["RES001"], owasp: "API10" },
];

/** The security checklist: each item passes, fails (with the finding) or is unknown (not checked yet). */
export function securityChecklist(checks: readonly Check[], findings: Finding[], model: SystemModel): ChecklistItem[] {
  const implemented = new Set(checks.map((c) => c.id));
  return ITEMS.map(({ item, checks: ids, applies, owasp: category, fromModel }) => {
    const owasp = OWASP_API_2023[category];
    const failing = findings.filter((f) => ids.includes(f.id) && !f.suppressed && f.kind === "concern");
    const ran = ids.filter((id) => implemented.has(id));
    if (failing.length) {
      const first = failing[0]?.evidence[0];
      return { item, owasp, status: "fail", checks: ids, detail: `${failing.length} finding${failing.length === 1 ? "" : "s"} (${[...new Set(failing.map((f) => f.id))].join(", ")}), first at ${first ? `${first.file}${first.line ? `:${first.line}` : ""}` : "?"}` };
    }
    if (ran.length === 0) {
      const reading = fromModel?.(model);
      return { item, owasp, status: reading?.status ?? "unknown", checks: ids, detail: reading?.detail ?? "not checked by this version of archscope" };
    }
    if (applies && !applies(model)) return { item, owasp, status: "unknown", checks: ids, detail: "nothing of this kind found to check" };
    // what the model shows says more than "no finding" (how many endpoints require authentication)
    const reading = fromModel?.(model);
    return { item, owasp, status: "pass", checks: ids, detail: `checked by ${ran.join(", ")}: no finding${reading?.status === "pass" ? `; ${reading.detail}` : ""}` };
  });
}
