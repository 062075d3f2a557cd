import { redactIn, redactSecret } from "../../core/redact.js";
import { judgeSecret, TOKEN_FORMATS, URL_CREDENTIALS } from "../../core/secrets.js";
import type { Evidence } from "../../model/types.js";
import type { ProjectIndex } from "../../python/project-index.js";
import { defineCheck } from "../define.js";
import type { Report } from "../types.js";

interface Candidate {
  file: string;
  line: number;
  key: string;
  value: string;
  where: string;
}

const TEST_FILE = /(^|\/)(tests?|testing|fixtures?|examples?|samples?)(\/|$)|(^|[/_.-])(test|testing|example|sample)s?[_.-][^/]*$|_(test|testing)\.[a-z]+$/i;

const ENUM_BASE = /(^|\.)(Enum|StrEnum|IntEnum|Flag|IntFlag|TextChoices|IntegerChoices|Choices)$/;

/** A class built on `enum.Enum` (or Django's choices), directly or through project bases. */
function isEnumeration(index: ProjectIndex, bases: Array<{ text: string; qualified: string | null }>, module: string, depth = 0): boolean {
  return bases.some((b) => {
    const name = b.qualified ? index.resolve(b.qualified, module) : b.text;
    if (ENUM_BASE.test(name) || ENUM_BASE.test(b.text)) return true;
    const symbol = depth < 5 ? index.symbol(name) : undefined;
    return symbol?.kind === "class" && isEnumeration(index, symbol.fact.bases, symbol.module, depth + 1);
  });
}

/** Regular expressions: a character class with a range and a quantifier, escapes such as `\d`, anchors. */
const PATTERN_LIKE = /\[[^\]]*\w-\w[^\]]*\][+*?{]|\\[dwsDWS][+*{]|^\^.*\$$/;

/** JWT libraries' signing functions, whose second positional argument is the key. */
const JWT_SIGNING = /^(jwt|jose\.jwt|jwt\.api_jwt)\.(encode|decode)$/;

/** Reads of the environment: `os.getenv`, `os.environ[...]`, `env("X")`/`env.str(...)` (django-environ), `config("X")` (python-decouple). */
const FROM_ENVIRONMENT = /\bos\.(getenv|environ)\b|\bgetenv\(|\benviron(\.get)?[([]|\benv(\.\w+)?\(|\bconfig\(|\bEnv\(/;

/**
 * Another module that imports the one holding the literal and assigns `name` from the environment, as a production
 * settings module does over a base default (`from .base import *` then `SECRET_KEY = env("SECRET_KEY")`).
 */
function envOverride(index: ProjectIndex, name: string, file: string): { file: string; line: number } | null {
  const base = index.moduleByFile.get(file);
  if (!base) return null;
  for (const mod of index.modules.values()) {
    if (mod.file === file) continue;
    // it imports the base module (or one of its name, as a settings file copied into place at build time does:
    // `docker/config.py` with `from .common import *`, copied to `settings/config.py` by the Dockerfile)
    const last = base.slice(base.lastIndexOf(".") + 1);
    const builds = index.imports.some((e) => e.from === mod.name && e.to === base) || mod.facts.imports.some((i) => i.module === base || i.module.endsWith(`.${last}`) || i.module === last);
    if (!builds) continue;
    const a = mod.facts.assignments.find((x) => x.target === name && typeof x.value !== "string" && FROM_ENVIRONMENT.test(x.text));
    if (a) return { file: mod.file, line: a.line };
  }
  return null;
}

export default defineCheck({
  id: "SEC001",
  area: "security",
  title: "Hardcoded secret",
  severity: "high",
  kind: "concern",
  confidence: "high",
  why: "A secret in the repository is readable by everyone with access to the code, its history, its CI logs and every image built from it; it cannot be rotated without a code change, and it usually ends up the same in every environment.",
  recommendation: "Read secrets from the environment or a secret manager through one settings object (pydantic-settings, django-environ), rotate the exposed value, and purge it from history if the repository was ever shared.",
  example: {
    bad: 'SECRET_KEY = "9f2c1e7a0b4d..."',
    good: "class Settings(BaseSettings):\n    secret_key: SecretStr  # from SECRET_KEY in the environment",
  },
  references: ["https://cwe.mitre.org/data/definitions/798.html", "https://owasp.org/Top10/A07_2021-Identification_and_Authentication_Failures/", "https://12factor.net/config"],
  effort: "S",
  libraries: ["pydantic-settings", "django-environ", "python-dotenv"],
  cwe: "CWE-798",
  owasp: "A07:2021",
  run({ index }) {
    const candidates: Candidate[] = [];
    const jwtKeys: Array<{ file: string; line: number; value: string; where: string }> = [];
    for (const mod of index.modules.values()) {
      for (const a of mod.facts.assignments) {
        if (typeof a.value === "string") candidates.push({ file: mod.file, line: a.line, key: a.target, value: a.value, where: "module constant" });
      }
      for (const c of mod.facts.classes) {
        // enumeration members and choices are labels: `PASSWORD_TOO_SHORT = "password_too_short"`
        if (isEnumeration(index, c.bases, mod.name)) continue;
        for (const a of c.assignments) {
          if (typeof a.value === "string") candidates.push({ file: mod.file, line: a.line, key: a.target, value: a.value, where: `${c.name} default` });
        }
      }
      // a secret as a parameter's default (`def connect(password="hunter2")`): every call that omits it uses it
      for (const fn of mod.facts.functions) {
        for (const param of fn.params) {
          const literal = param.default ? /^[rRuU]?("|')(.*)\1$/s.exec(param.default) : null;
          if (literal && !literal[2]?.includes(literal[1] as string)) candidates.push({ file: mod.file, line: fn.line, key: param.name, value: literal[2] as string, where: `default of parameter \`${param.name}\` of ${fn.name}()` });
        }
      }
      // Flask configuration written item by item or as an attribute: `app.config["SECRET_KEY"] = "…"`, `app.secret_key = "…"`
      for (const store of mod.facts.literalStores ?? []) candidates.push({ file: mod.file, line: store.line, key: store.key, value: store.value, where: `${store.target} setting` });
      for (const call of mod.facts.calls) {
        // the signing key of `jwt.encode(payload, "…")`, by position or as `key=`, written in place or held by a module constant:
        // whatever it looks like ("secret" included), tokens signed with a key in the source can be forged by whoever reads it
        const signingKey = JWT_SIGNING.test(call.qualified ?? "") ? (call.args.find((a) => a.name === "key") ?? call.args.filter((a) => a.name === null)[1]) : undefined;
        const keyValue = typeof signingKey?.value === "string" ? signingKey.value : signingKey && /^[A-Za-z_][\w.]*$/.test(signingKey.text) ? index.constantValue(`#${signingKey.text}`, mod.name) : undefined;
        // a constant that looks like a secret is reported where it is defined (below): only a guessable one is added here
        const heldByConstant = typeof signingKey?.value !== "string";
        if (typeof keyValue === "string" && keyValue.trim() !== "" && !PATTERN_LIKE.test(keyValue) && !(heldByConstant && judgeSecret(signingKey?.text.split(".").pop() ?? "", keyValue))) {
          jwtKeys.push({ file: mod.file, line: call.line, value: keyValue, where: `${signingKey?.value === undefined ? `\`${signingKey?.text}\`, the key given to` : "the key argument of"} ${call.callee}()` });
          continue;
        }
        for (const arg of call.args) {
          if (typeof arg.value === "string" && (arg.name || URL_CREDENTIALS.test(arg.value) || TOKEN_FORMATS.some((f) => f.pattern.test(arg.value as string)))) {
            candidates.push({ file: mod.file, line: call.line, key: arg.name ?? "", value: arg.value, where: `argument of ${call.callee}()` });
          }
        }
      }
    }
    const reports: Report[] = [];
    // one report per key and file, with every place it signs or verifies: `encode` and `decode` with one key are one problem
    const byKey = new Map<string, typeof jwtKeys>();
    for (const k of jwtKeys) {
      const id = `${k.file}\u0000${k.value}`;
      byKey.set(id, [...(byKey.get(id) ?? []), k]);
    }
    for (const sites of byKey.values()) {
      const k = sites[0] as (typeof jwtKeys)[number];
      const test = TEST_FILE.test(k.file);
      const more = sites.length > 1 ? ` and ${sites.length - 1} other call${sites.length > 2 ? "s" : ""}` : "";
      reports.push({
        message: `JWT signing key written in the source (${k.where}${more}): ${redactSecret(k.value)}. Anyone who reads the code, or guesses a key like this, can sign tokens the service accepts.`,
        evidence: sites.map((site) => ({ file: site.file, line: site.line, snippet: `${site.where}: ${redactSecret(site.value)}` })),
        severity: test ? "low" : "high",
        confidence: test ? "low" : "high",
      });
    }
    const seen = new Set<string>();
    for (const c of candidates) {
      // a regular expression or a format placeholder under a secret-like name (`token=r"[a-zA-Z0-9]+"`) describes values
      if (PATTERN_LIKE.test(c.value)) continue;
      let found = judgeSecret(c.key, c.value);
      if (!found) continue;
      // a settings default that another settings module replaces from the environment (`SECRET_KEY = env("SECRET_KEY")`
      // in production.py) is the development value: the deployed settings do not use it
      const override = c.where === "module constant" && found.severity !== "low" ? envOverride(index, c.key, c.file) : null;
      if (override) found = { ...found, severity: "low", confidence: "low", kind: `${found.kind}; ${override.file}:${override.line} replaces it from the environment` };
      // test settings and fixtures hold throwaway values: reported low, as a reminder not to reuse them
      const verdict = TEST_FILE.test(c.file) && found.severity !== "low" ? { ...found, severity: "low" as const, confidence: "low" as const } : found;
      const key = `${c.file}:${c.line}:${c.key}`;
      if (seen.has(key)) continue;
      seen.add(key);
      // a password inside a URL is shown in place, so the reader sees which connection it is
      const shownValue = verdict.secret !== c.value && c.value.length <= 200 ? redactIn(c.value, verdict.secret) : redactSecret(verdict.secret);
      const shown = c.key ? `${c.key} = ${shownValue}` : shownValue;
      const evidence: Evidence = { file: c.file, line: c.line, snippet: redactIn(shown, verdict.secret) };
      const weak = verdict.severity === "low" ? " It looks like a development value; make sure no real environment uses it." : verdict.severity === "medium" ? " Unless the first login forces a change, every installation that keeps it can be entered with it." : "";
      reports.push({
        message: `Hardcoded secret (${verdict.kind}) in ${c.where}: ${redactSecret(verdict.secret)}.${weak}`,
        evidence: [evidence],
        severity: verdict.severity,
        confidence: verdict.confidence,
      });
    }
    return reports;
  },
});
