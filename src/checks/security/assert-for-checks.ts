import { fileRole } from "../../core/file-roles.js";
import { isServiceCode } from "../code-paths.js";
import { defineCheck } from "../define.js";
import type { Report } from "../types.js";

/** Conditions that decide who may do what: permissions, roles, ownership, authentication, tokens and scopes. */
const ACCESS = /\b(has_perms?|has_permission|has_object_permission|is_staff|is_superuser|is_admin|is_authenticated|is_anonymous|is_owner|permissions?|roles?|scopes?|owner(_id)?|current_user|request\.user|user\.(id|role|is_\w+)|token|authori[sz]ed|can_\w+|allowed)\b/i;
/** Conditions that only narrow types or state invariants for the type checker. */
const TYPE_NARROWING = /^(isinstance\(|issubclass\(|callable\(|type\()|\bis not None$|^not isinstance\(|\bis None$/;

export default defineCheck({
  id: "SEC028",
  area: "security",
  title: "assert used for an access check",
  severity: "low",
  kind: "concern",
  confidence: "medium",
  why: "Python drops every `assert` when it runs with `-O` or `PYTHONOPTIMIZE` set, as some images and process managers do: an access check written as an assert then lets everyone through, silently. A failed assert is also an `AssertionError`, a 500, where the client should get a 403.",
  recommendation: "Raise the framework's own error: `raise PermissionDenied` (Django, DRF), `abort(403)` (Flask), `raise HTTPException(status_code=403)` (FastAPI); keep `assert` for invariants and type narrowing.",
  example: { bad: "assert request.user.has_perm(\"orders.refund\")", good: "if not request.user.has_perm(\"orders.refund\"):\n    raise PermissionDenied" },
  references: ["https://cwe.mitre.org/data/definitions/617.html", "https://docs.python.org/3/reference/simple_stmts.html#the-assert-statement", "https://docs.astral.sh/ruff/rules/assert/"],
  effort: "S",
  libraries: [],
  cwe: "CWE-617",
  owasp: "A01:2021",
  run({ index }) {
    const reports: Report[] = [];
    for (const mod of index.modules.values()) {
      if (!isServiceCode(mod.file) || fileRole(mod.file) !== "application") continue;
      for (const a of mod.facts.asserts ?? []) {
        if (!a.enclosing || TYPE_NARROWING.test(a.test) || !ACCESS.test(a.test)) continue;
        reports.push({ message: `\`assert ${a.test}\` in ${a.enclosing} checks access with an assert: under \`python -O\` the check disappears.`, evidence: [{ file: mod.file, line: a.line, snippet: `assert ${a.test}` }] });
      }
    }
    return reports;
  },
});
