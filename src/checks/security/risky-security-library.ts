import { defineCheck } from "../define.js";
import type { Report } from "../types.js";

const SECURITY_CATEGORIES = new Set(["auth", "password-hashing", "crypto"]);

export default defineCheck({
  id: "SEC029",
  area: "security",
  title: "Unmaintained or risky security library",
  severity: "medium",
  kind: "concern",
  confidence: "high",
  why: "Authentication, password hashing and cryptography code must get security fixes promptly. An unmaintained library (passlib, PyCrypto) or one with a history of slow fixes (python-jose) leaves known weaknesses in the most sensitive part of the service, and often breaks on new Python versions.",
  recommendation: "Move to the maintained alternative named in the finding (PyJWT or joserfc for JWT, pwdlib or argon2-cffi for password hashing, cryptography for primitives) behind a small wrapper so the swap touches one module.",
  example: { bad: "from jose import jwt\nfrom passlib.context import CryptContext", good: "import jwt  # PyJWT\nfrom pwdlib import PasswordHash" },
  references: ["https://github.com/mpdavis/python-jose/issues", "https://foss.heptapod.net/python-libs/passlib", "https://cryptography.io/"],
  effort: "M",
  libraries: ["pyjwt", "joserfc", "pwdlib", "argon2-cffi", "cryptography"],
  run({ model }) {
    const reports: Report[] = [];
    for (const t of model.technologies) {
      if (!SECURITY_CATEGORIES.has(t.category) || !t.maintenance || t.maintenance === "maintained") continue;
      // declared only for development or tests and imported by no code: nothing the service runs depends on it
      const declared = model.dependencies.filter((d) => t.evidence.some((e) => e.file === d.manifest && e.line === d.line));
      const imported = t.evidence.some((e) => e.file.endsWith(".py"));
      const devOnly = !imported && declared.length > 0 && declared.every((d) => d.dev);
      reports.push({
        message: `${t.name} is ${t.maintenance}${t.alternative ? `; move to ${t.alternative}` : ""}.${devOnly ? " It is declared only as a development dependency and no code imports it: drop it from the development requirements." : ""}`,
        // code that imports it runs in production: that import leads, whatever file declares the package
        evidence: (imported ? [...t.evidence.filter((e) => e.file.endsWith(".py")), ...t.evidence.filter((e) => !e.file.endsWith(".py"))] : t.evidence).slice(0, 3),
        ...(devOnly ? { severity: "low" as const } : {}),
      });
    }
    return reports;
  },
});
