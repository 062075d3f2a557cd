import type { Check, Finding } from "../checks/types.js";
import type { SystemModel } from "../model/types.js";
import type { ChecklistItem } from "./types.js";

/** The security checklist: each item passes, fails (with the finding) or is unknown (not checked yet). */
const ITEMS: Array<{ item: string; checks: string[]; applies?: (m: SystemModel) => boolean }> = [
  { item: "No secrets committed in code, settings, env files or deployment files", checks: ["SEC001", "SEC018"] },
  { item: "SQL built only with bound parameters", checks: ["SEC003"] },
  { item: "Every state-changing endpoint requires authentication", checks: ["API002"], applies: (m) => m.endpoints.length > 0 },
  { item: "Authentication mechanism present", checks: ["SEC016"], applies: (m) => m.endpoints.length > 0 },
  { item: "Authorisation beyond authentication (roles, scopes, object ownership)", checks: ["SEC017"] },
  { item: "Debug mode off in deployable configuration", checks: ["SEC002"] },
  { item: "CORS restricted to known origins", checks: ["SEC011"] },
  { item: "Password hashing with a slow, salted algorithm", checks: ["SEC007"] },
  { item: "JWT signatures verified with pinned algorithms", checks: ["SEC009"] },
  { item: "TLS verification on for outbound calls", checks: ["SEC010"] },
  { item: "Rate limiting on public and authentication endpoints", checks: ["API005"] },
  { item: "Containers run as an unprivileged user", checks: ["DEP002"], applies: (m) => m.dockerfiles.length > 0 },
  { item: "Dependencies locked and scanned for vulnerabilities in CI", checks: ["SEC019"] },
  { item: "Outbound calls bounded by timeouts", checks: ["RES001"] },
];

export function securityChecklist(checks: readonly Check[], findings: Finding[], model: SystemModel): ChecklistItem[] {
  const implemented = new Set(checks.map((c) => c.id));
  return ITEMS.map(({ item, checks: ids, applies }) => {
    const failing = findings.filter((f) => ids.includes(f.id) && !f.suppressed && f.kind === "concern");
    const ran = ids.filter((id) => implemented.has(id));
    if (failing.length) {
      const first = failing[0]?.evidence[0];
      return { item, status: "fail", checks: ids, detail: `${failing.length} finding${failing.length === 1 ? "" : "s"} (${[...new Set(failing.map((f) => f.id))].join(", ")}), first at ${first ? `${first.file}${first.line ? `:${first.line}` : ""}` : "?"}` };
    }
    if (ran.length === 0) return { item, status: "unknown", checks: ids, detail: "not checked by this version of archscope" };
    if (applies && !applies(model)) return { item, status: "unknown", checks: ids, detail: "nothing of this kind found to check" };
    return { item, status: "pass", checks: ids, detail: `checked by ${ran.join(", ")}: no finding` };
  });
}
