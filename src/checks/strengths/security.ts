import type { Evidence } from "../../model/types.js";
import weakPasswordHashing from "../security/weak-password-hashing.js";
import { defineCheck } from "../define.js";
import { callEvidence, serviceCallsResolved, serviceModules, settingAssignments, STRENGTH } from "./shared.js";

/** passlib schemes and pwdlib/argon2-cffi/bcrypt APIs that hash passwords slowly, salted. */
const STRONG_PASSLIB = /^(argon2|bcrypt|bcrypt_sha256|scrypt|pbkdf2_sha256|pbkdf2_sha512)$/;
const STRONG_DJANGO = /(Argon2PasswordHasher|BCryptSHA256PasswordHasher|BCryptPasswordHasher|ScryptPasswordHasher|PBKDF2PasswordHasher|PBKDF2SHA1PasswordHasher)$/;
const LIBRARY_CALLS: Array<{ pattern: RegExp; what: (args: string) => string }> = [
  { pattern: /^pwdlib\.PasswordHash\.recommended$/, what: () => "pwdlib's recommended hasher (Argon2id)" },
  { pattern: /^pwdlib\.PasswordHash$/, what: (args) => `pwdlib with ${/Argon2/.test(args) ? "Argon2" : /Bcrypt/.test(args) ? "bcrypt" : "its hashers"}` },
  { pattern: /^argon2\.PasswordHasher$/, what: () => "argon2-cffi (Argon2id)" },
  { pattern: /^bcrypt\.(hashpw|gensalt)$/, what: () => "bcrypt" },
  { pattern: /^flask_bcrypt\.(Bcrypt|generate_password_hash)$/, what: () => "Flask-Bcrypt" },
  { pattern: /^werkzeug\.security\.generate_password_hash$/, what: (args) => `werkzeug's ${/scrypt/.test(args) ? "scrypt" : "PBKDF2"} hashing` },
];
/** Django calls that store or check a password through the configured hashers. */
const DJANGO_PASSWORD_API = /^django\.contrib\.auth\.(hashers\.(make_password|check_password)|authenticate)$|(^|\.)set_password$/;
/** `authenticate()` checks a password only when given one: with an OIDC or remote-user backend it hashes nothing. */
const AUTHENTICATE = /^django\.contrib\.auth\.authenticate$/;
const DJANGO_USER_BASE = /^django\.contrib\.auth\.(models\.)?(AbstractBaseUser|AbstractUser)$|^django\.contrib\.auth\.base_user\.AbstractBaseUser$/;

/** The first place the running service chooses a slow, salted password hash, and what it is. */
function strongHashing(index: Parameters<typeof serviceModules>[0]): { what: string; evidence: Evidence } | null {
  for (const hit of serviceCallsResolved(index)) {
    const args = hit.call.args.map((a) => `${a.name ?? ""}=${a.text}`).join(",");
    if (hit.resolved === "passlib.context.CryptContext") {
      const schemes = hit.call.args.find((a) => a.name === "schemes");
      const deflt = hit.call.args.find((a) => a.name === "default");
      const scheme = typeof deflt?.value === "string" ? deflt.value : schemes?.items?.[0];
      if (scheme && STRONG_PASSLIB.test(scheme)) return { what: `passlib's CryptContext with ${scheme} first`, evidence: callEvidence(hit) };
      continue;
    }
    const library = LIBRARY_CALLS.find((l) => l.pattern.test(hit.resolved));
    if (!library) continue;
    // werkzeug hashes with PBKDF2 or scrypt by default, but an explicit fast method (`method="sha256"` in old versions) is not
    if (hit.resolved.startsWith("werkzeug") && !hit.call.args.some((a) => a.name === "method" && /^["']?(scrypt|pbkdf2)/.test(a.text))) continue;
    return { what: library.what(args), evidence: callEvidence(hit) };
  }
  // Django: PASSWORD_HASHERS with a slow hasher first
  const hashers = settingAssignments(index, "PASSWORD_HASHERS");
  const first = hashers[0];
  if (first && hashers.every((h) => STRONG_DJANGO.test(h.items[0] ?? ""))) {
    const name = (first.items[0] ?? "").split(".").pop() ?? "";
    return { what: `Django's ${name} (first in PASSWORD_HASHERS)`, evidence: { file: first.mod.file, line: first.line, snippet: `PASSWORD_HASHERS = [${first.items[0]}, ...]` } };
  }
  // `[*global_settings.PASSWORD_HASHERS, ...]`: Django's defaults first
  if (first && hashers.every((h) => /global_settings\.PASSWORD_HASHERS$/.test(h.items[0] ?? ""))) {
    return { what: "Django's default hashers first in PASSWORD_HASHERS (PBKDF2-SHA256, salted, with a high iteration count)", evidence: { file: first.mod.file, line: first.line, snippet: `PASSWORD_HASHERS = [${first.items[0]}, ...]` } };
  }
  if (hashers.length) return null;
  // Django's default (PBKDF2-SHA256, salted, with a high iteration count), said only where the project authenticates its own users
  for (const mod of serviceModules(index)) {
    const user = mod.facts.classes.find((c) => c.bases.some((b) => b.qualified !== null && DJANGO_USER_BASE.test(index.resolve(b.qualified, mod.name))));
    if (user) return { what: "Django's default hasher (PBKDF2-SHA256, salted, with a high iteration count) for its own user model", evidence: { file: mod.file, line: user.line, snippet: `class ${user.name}(${user.bases.map((b) => b.text).join(", ")})` } };
  }
  for (const hit of serviceCallsResolved(index)) {
    if (AUTHENTICATE.test(hit.resolved) && !hit.call.args.some((a) => a.name === "password")) continue;
    if (DJANGO_PASSWORD_API.test(hit.resolved) && (hit.resolved.startsWith("django") || hasDjangoAuth(index))) {
      return { what: "Django's default hasher (PBKDF2-SHA256, salted, with a high iteration count)", evidence: callEvidence(hit) };
    }
  }
  return null;
}

function hasDjangoAuth(index: Parameters<typeof serviceModules>[0]): boolean {
  return settingAssignments(index, "INSTALLED_APPS").some((a) => a.items.includes("django.contrib.auth"));
}

export const passwordHashing = defineCheck({
  id: "SEC-S002",
  area: "security",
  title: "Passwords hashed with a slow, salted algorithm",
  ...STRENGTH,
  confidence: "medium",
  why: "Argon2, bcrypt, scrypt and PBKDF2 with many iterations make each guess against a leaked password table expensive, so a breach of the database does not give the passwords away.",
  recommendation: "Prefer Argon2id for new hashes, and rehash old ones on the next successful login when parameters change.",
  references: ["https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html", "https://docs.djangoproject.com/en/stable/topics/auth/passwords/"],
  effort: "S",
  libraries: ["pwdlib", "argon2-cffi", "bcrypt"],
  owasp: "API2:2023",
  run(input) {
    const found = strongHashing(input.index);
    // a weak hash for passwords elsewhere (SEC007) is the weakest link
    if (!found) return [];
    // a weak hash for passwords elsewhere (SEC007) is the weakest link; a digest marked `usedforsecurity=False` (the
    // k-anonymity prefix sent to Have I Been Pwned) stores nothing
    const notForSecurity = new Set([...serviceCallsResolved(input.index)].filter((c) => c.call.args.some((a) => a.name === "usedforsecurity" && a.text === "False")).map((c) => `${c.mod.file}:${c.call.line}`));
    const weak = weakPasswordHashing.run(input).filter((r) => !notForSecurity.has(`${r.evidence[0]?.file}:${r.evidence[0]?.line}`));
    if (weak.length) return [];
    return [{ message: `Passwords are hashed with ${found.what}: ${found.evidence.file}:${found.evidence.line}.`, evidence: [found.evidence] }];
  },
});

export const SECURITY_STRENGTHS = [passwordHashing];
