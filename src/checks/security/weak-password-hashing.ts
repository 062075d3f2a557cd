import { isServiceCode } from "../code-paths.js";
import { defineCheck } from "../define.js";
import type { Report } from "../types.js";

/** Fast digests: fine for checksums, broken for passwords (billions of guesses per second on a GPU). */
const FAST_DIGEST = /^hashlib\.(md5|sha1|sha224|sha256|sha384|sha512|sha3_\d+|blake2[bs]|new)$/;
/** An argument that is a password (`password.encode()`, `raw_password`, `pwd + salt`). */
const PASSWORD = /\b\w*(password|passwd|passwort|pwd)\w*\b/i;
/** Django hashers that are fast or unsalted. */
const WEAK_DJANGO_HASHER = /(MD5PasswordHasher|SHA1PasswordHasher|UnsaltedMD5PasswordHasher|UnsaltedSHA1PasswordHasher|CryptPasswordHasher)/;
/** passlib schemes that are fast, unsalted or plain text. */
const WEAK_PASSLIB = /^(md5_crypt|des_crypt|bsdi_crypt|bigcrypt|crypt16|plaintext|ldap_md5|ldap_sha1|ldap_plaintext|hex_md5|hex_sha1|hex_sha256|hex_sha512|mysql323|mysql41|postgres_md5|oracle10|lmhash|nthash|msdcc|unix_disabled)$/;

export default defineCheck({
  id: "SEC007",
  area: "security",
  title: "Weak password hashing",
  severity: "high",
  kind: "concern",
  confidence: "medium",
  why: "MD5 and the SHA family are built to be fast: a GPU tries billions of them per second, so a leaked table of such hashes gives up most passwords within days, and unsalted ones fall to precomputed tables at once. Password storage needs a slow, salted, memory-hard function.",
  recommendation: "Hash passwords with Argon2id (pwdlib, argon2-cffi) or bcrypt, through the framework's hasher (Django's `PASSWORD_HASHERS` with Argon2 first, passlib's CryptContext with `argon2`), and rehash old hashes on the next login.",
  example: { bad: "hashed = hashlib.sha256(password.encode()).hexdigest()", good: "hashed = PasswordHash.recommended().hash(password)  # pwdlib, Argon2id" },
  references: ["https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html", "https://docs.djangoproject.com/en/stable/topics/auth/passwords/", "https://cwe.mitre.org/data/definitions/916.html"],
  effort: "M",
  libraries: ["pwdlib", "argon2-cffi", "bcrypt"],
  cwe: "CWE-916",
  owasp: "API2:2023",
  run({ index }) {
    const reports: Report[] = [];
    for (const mod of index.modules.values()) {
      if (!isServiceCode(mod.file)) continue;
      for (const call of mod.facts.calls) {
        const resolved = call.qualified ? index.resolve(call.qualified, mod.name) : null;
        const evidence = [{ file: mod.file, line: call.line, snippet: call.snippet }];
        if (resolved && FAST_DIGEST.test(resolved)) {
          // `usedforsecurity=False`: the code says the digest protects nothing (a Have I Been Pwned range query)
          if (call.args.some((a) => a.name === "usedforsecurity" && a.text === "False")) continue;
          // inside a hasher class (a legacy format wrapped in a PBKDF2 round, as Saleor's Symfony migration does),
          // or next to key stretching, the digest is one step of a slow scheme
          const owner = call.enclosing?.split(".").slice(0, -1).join(".");
          const cls = owner ? mod.facts.classes.find((c) => c.qualname === owner) : undefined;
          if (cls?.bases.some((b) => /Hasher$|Hasher\b|PasswordHash/.test(b.text))) continue;
          if (mod.facts.calls.some((c) => c.enclosing === call.enclosing && /(pbkdf2_hmac|scrypt|bcrypt|argon2)/i.test(c.qualified ?? c.callee))) continue;
          const hashed = call.args.filter((a) => a.name === null || a.name === "data" || a.name === "string").find((a) => PASSWORD.test(a.text));
          if (hashed) reports.push({ message: `${call.callee}() hashes ${hashed.text.slice(0, 60)}: a fast digest, which leaked hashes give up to brute force.`, evidence });
          continue;
        }
        // passlib: CryptContext(schemes=["md5_crypt", ...]) hashes new passwords with the first scheme
        if (resolved === "passlib.context.CryptContext") {
          const schemes = call.args.find((a) => a.name === "schemes");
          const first = schemes?.items?.[0];
          const deflt = call.args.find((a) => a.name === "default");
          const scheme = typeof deflt?.value === "string" ? deflt.value : first;
          if (scheme && WEAK_PASSLIB.test(scheme)) reports.push({ message: `CryptContext hashes new passwords with ${scheme}: fast or unsalted.`, evidence });
        }
      }
      // Django: the first entry of PASSWORD_HASHERS hashes every new password; when the module sets it more
      // than once (`if DEVELOPMENT:` fast, `else:` Argon2), only a weak choice in every branch is the deployed one
      const all = mod.facts.assignments.filter((a) => a.target === "PASSWORD_HASHERS");
      const hashers = all[0];
      const first = hashers?.items?.[0];
      const everyWeak = all.every((a) => WEAK_DJANGO_HASHER.test(a.items?.[0] ?? ""));
      if (hashers && first && everyWeak) {
        reports.push({ message: `PASSWORD_HASHERS puts ${first.split(".").pop()} first: every new password is stored with a fast digest.`, evidence: [{ file: mod.file, line: hashers.line, snippet: `PASSWORD_HASHERS = [${first}, ...]` }] });
      }
    }
    return reports;
  },
});
