import type { ArgumentFact, CallFact } from "../../python/facts.js";
import type { ModuleInfo, ProjectIndex } from "../../python/project-index.js";
import { applicationCalls } from "../code-paths.js";
import { defineCheck } from "../define.js";
import type { Report } from "../types.js";

const WEAK_DIGEST = /^hashlib\.(md5|sha1)$/;
const WEAK_DIGEST_NAME = /^(md5|sha1|sha-1|md5-sha1)$/i;
/** What SEC007 reports: a fast digest over a password (see weak-password-hashing.ts). */
const PASSWORD_ARG = /\b\w*(password|passwd|passwort|pwd)\w*\b/i;
/** `random` functions that draw from the Mersenne Twister, whose output can be predicted from earlier output. */
const WEAK_RANDOM = /^random\.(random|randint|randrange|choice|choices|getrandbits|sample|uniform|shuffle|randbytes|triangular)$/;
/** Broken or obsolete ciphers and modes: cryptography (primitives and decrepit), pycryptodome (Crypto and Cryptodome). */
const CRYPTOGRAPHY_CIPHER = /^cryptography\.hazmat\.(primitives|decrepit)\.ciphers\.(modes\.ECB|algorithms\.(ARC4|TripleDES|Blowfish|CAST5|IDEA|SEED|DES))$/;
const PYCRYPTO_CIPHER = /^(Crypto|Cryptodome)\.Cipher\.(DES|DES3|ARC4|ARC2|Blowfish|CAST)\.new$/;
const PYCRYPTO_AES = /^(Crypto|Cryptodome)\.Cipher\.\w+\.new$/;
/** Asymmetric key generation with a size argument. */
const CRYPTOGRAPHY_KEYGEN = /^cryptography\.hazmat\.primitives\.asymmetric\.(rsa|dsa)\.generate_private_key$/;
const PYCRYPTO_KEYGEN = /^(Crypto|Cryptodome)\.PublicKey\.(RSA|DSA)\.generate$|^rsa\.newkeys$/;

/**
 * Words in a name (an assigned variable, the enclosing function, a keyword) that say a value guards access.
 * Digests: no bare `password` (password hashing is SEC007's), but password-reset tokens are here.
 */
const SECURITY_FOR_DIGEST = /(^|_)(tokens?|signatures?|sign|signed|signing|secrets?|hmac|mac|otp|totp|hotp|nonce|csrf|reset|apikey|api_key|access_key|secret_key|session_id|session_key|sessionid|auth_code|verification_code|verify_code|activation|invite_code|integrity)(_|$)/;
const SECURITY_FOR_RANDOM = /(^|_)(tokens?|secrets?|otp|totp|hotp|pin|nonce|salt|csrf|passwords?|passwd|pwd|passphrase|apikey|api_key|access_key|secret_key|session_id|session_key|sessionid|auth_code|verification_code|verify_code|code_verifier|challenge|activation|invite_code|reset)(_|$)/;
/** Names that say the digest is an identifier, not a secret: cache keys, ETags, checksums, fingerprints, buckets. */
const NOT_SECURITY = /(^|_)(cache|cached|caches|etag|checksum|checksums|fingerprint|digest|gravatar|avatar|file|files|filename|content|contents|dedup|dedupe|shard|bucket|partition|color|colour|path|lock|hash_key|cache_key|unique_key|idempotency|sample|shuffle|jitter|backoff|retry|delay|test|dummy|fake|mock|seed|choice|color)(_|$)/;

/** `fooBar` and `FooBar` → `foo_bar`, lower-case, so names split into words on underscores. */
function words(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/[^A-Za-z0-9_]/g, "_")
    .toLowerCase();
}

/** The names around a call: what its value is assigned to, the keyword it is passed as, and the enclosing function. */
function namesAround(mod: ModuleInfo, call: CallFact): { target: string | null; keyword: string | null; fn: string | null } {
  const flow = mod.facts.flows.find((f) => f.enclosing === call.enclosing && f.line === call.line && f.targets.length > 0 && f.targets[0] !== "return");
  const assignment = call.enclosing === null ? mod.facts.assignments.find((a) => a.line === call.line) : undefined;
  const written = /^\s*(?:self\.|cls\.)?([A-Za-z_]\w*)\s*(?::[^=]+)?=[^=]/.exec(call.snippet)?.[1];
  const target = flow?.targets[0] ?? assignment?.target ?? written ?? null;
  // `User(password=random_string())`, `dict(token=...)`: the keyword of an outer call on the same line that holds this one
  const outer = mod.facts.calls.find((c) => c !== call && c.line === call.line && c.args.some((a) => a.name !== null && a.text.includes(call.callee)));
  const keyword = outer?.args.find((a) => a.name !== null && a.text.includes(call.callee))?.name ?? /["'](\w+)["']\s*:\s*[^,]*$/.exec(call.snippet.slice(0, Math.max(0, call.snippet.indexOf(`${call.callee}(`))))?.[1] ?? null;
  const fn = call.enclosing?.split(".").pop() ?? null;
  return { target, keyword, fn };
}

/** The name that makes this a security use, or null; a benign name anywhere (cache key, checksum) wins. */
function securityName(names: { target: string | null; keyword: string | null; fn: string | null }, security: RegExp): string | null {
  const all = [names.target, names.keyword, names.fn].filter((n): n is string => n !== null);
  if (all.some((n) => NOT_SECURITY.test(words(n)))) return null;
  for (const n of [names.target, names.keyword, names.fn]) if (n && security.test(words(n))) return n;
  return null;
}

function numberOf(index: ProjectIndex, mod: ModuleInfo, arg: ArgumentFact | undefined): number | null {
  if (!arg) return null;
  if (typeof arg.value === "number") return arg.value;
  const constant = arg.qualified ? index.constantValue(arg.qualified, mod.name) : undefined;
  return typeof constant === "number" ? constant : null;
}

function describe(names: { target: string | null; keyword: string | null; fn: string | null }, name: string): string {
  if (name === names.target) return `assigned to \`${name}\``;
  if (name === names.keyword) return `passed as \`${name}\``;
  return `in \`${name}()\``;
}

export default defineCheck({
  id: "SEC008",
  area: "security",
  title: "Weak cryptography",
  severity: "medium",
  kind: "concern",
  confidence: "medium",
  why: "MD5 and SHA-1 have practical collisions, so a signature or token built on them can be forged; DES, 3DES, RC4 and Blowfish are broken or too small, and ECB mode leaks the structure of what it encrypts; RSA and DSA keys under 2048 bits are within reach of a determined attacker. The `random` module is a Mersenne Twister: after 624 outputs its next values are known, so tokens, OTPs and reset codes drawn from it can be predicted.",
  recommendation: "Draw tokens, OTPs, salts and generated passwords from `secrets` (`secrets.token_urlsafe(32)`, `secrets.choice`, `secrets.randbelow`); sign with `hmac` over SHA-256 or with itsdangerous/Django's `signing`; encrypt with AES-GCM or ChaCha20-Poly1305 (`cryptography`'s AESGCM, or Fernet); generate RSA keys of 3072 bits (2048 at least) or use Ed25519. Where MD5/SHA-1 only names content (cache keys, ETags), pass `usedforsecurity=False` to say so.",
  example: { bad: 'reset_token = "".join(random.choices(string.ascii_letters, k=32))', good: "reset_token = secrets.token_urlsafe(32)" },
  references: ["https://docs.python.org/3/library/secrets.html", "https://docs.python.org/3/library/hashlib.html", "https://cryptography.io/en/latest/hazmat/primitives/symmetric-encryption/", "https://cheatsheetseries.owasp.org/cheatsheets/Cryptographic_Storage_Cheat_Sheet.html", "https://cwe.mitre.org/data/definitions/327.html", "https://cwe.mitre.org/data/definitions/338.html"],
  effort: "S",
  libraries: ["cryptography", "itsdangerous"],
  cwe: "CWE-327",
  owasp: "A02:2021",
  run({ index }) {
    const reports: Report[] = [];
    for (const { mod, call, resolved } of applicationCalls(index)) {
      if (!resolved) continue;
      const evidence = [{ file: mod.file, line: call.line, snippet: call.snippet }];
      const positional = call.args.filter((a) => a.name === null);
      // MD5 / SHA-1 (and hashlib.new("md5")) where the names around say the digest guards access
      const viaNew = resolved === "hashlib.new" && typeof (call.args.find((a) => a.name === "name") ?? positional[0])?.value === "string" && WEAK_DIGEST_NAME.test(String((call.args.find((a) => a.name === "name") ?? positional[0])?.value));
      if (WEAK_DIGEST.test(resolved) || viaNew) {
        const used = call.args.find((a) => a.name === "usedforsecurity");
        if (used && (used.value === false || used.text === "False")) continue;
        const data = viaNew ? positional.slice(1) : positional;
        if (data.some((a) => PASSWORD_ARG.test(a.text)) || call.args.some((a) => (a.name === "data" || a.name === "string") && PASSWORD_ARG.test(a.text))) continue;
        const names = namesAround(mod, call);
        const name = securityName(names, SECURITY_FOR_DIGEST);
        if (!name) continue;
        const algorithm = viaNew ? String((call.args.find((a) => a.name === "name") ?? positional[0])?.value).toUpperCase() : (resolved.split(".").pop() ?? "").toUpperCase();
        reports.push({ message: `\`${call.callee}()\` ${describe(names, name)}: ${algorithm} is broken for security purposes (collisions are practical), so a value built on it can be forged (judged from the name; pass usedforsecurity=False if it only identifies content).`, evidence });
        continue;
      }
      if (WEAK_RANDOM.test(resolved)) {
        const names = namesAround(mod, call);
        const name = securityName(names, SECURITY_FOR_RANDOM);
        if (!name) continue;
        reports.push({ message: `\`${call.callee}()\` ${describe(names, name)}: the random module is predictable, so the value can be guessed from earlier outputs; use secrets (judged from the name).`, evidence });
        continue;
      }
      if (CRYPTOGRAPHY_CIPHER.test(resolved) || PYCRYPTO_CIPHER.test(resolved)) {
        const what = CRYPTOGRAPHY_CIPHER.test(resolved) ? (resolved.split(".").pop() as string) : (resolved.split(".").slice(-2, -1)[0] as string);
        const label = what === "ECB" ? "ECB mode, which encrypts equal blocks to equal ciphertext" : `${what}, a broken or obsolete cipher`;
        reports.push({ message: `\`${call.callee}()\` uses ${label}.`, evidence, confidence: "high" });
        continue;
      }
      if (PYCRYPTO_AES.test(resolved)) {
        const mode = call.args.find((a) => a.name === "mode") ?? positional[1];
        if (mode && /(^|\.)MODE_ECB$/.test(mode.qualified ?? mode.text)) reports.push({ message: `\`${call.callee}()\` with ${mode.text}: ECB mode encrypts equal blocks to equal ciphertext.`, evidence, confidence: "high" });
        continue;
      }
      if (CRYPTOGRAPHY_KEYGEN.test(resolved) || PYCRYPTO_KEYGEN.test(resolved)) {
        const sizeArg = CRYPTOGRAPHY_KEYGEN.test(resolved) ? (call.args.find((a) => a.name === "key_size") ?? positional[1]) : (call.args.find((a) => a.name === "bits" || a.name === "nbits") ?? positional[0]);
        const size = numberOf(index, mod, sizeArg);
        if (size !== null && size < 2048) {
          const kind = /dsa|DSA/.test(resolved) && !/rsa|RSA/.test(resolved) ? "DSA" : "RSA";
          reports.push({ message: `\`${call.callee}()\` generates a ${size}-bit ${kind} key: under the 2048 bits now required.`, evidence, confidence: "high" });
        }
      }
    }
    return reports;
  },
});
