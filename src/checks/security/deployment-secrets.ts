import { posix } from "node:path";
import { fileRole } from "../../core/file-roles.js";
import { redactIn, redactSecret } from "../../core/redact.js";
import { judgeSecret } from "../../core/secrets.js";
import type { SystemModel } from "../../model/types.js";
import { defineCheck } from "../define.js";
import type { Report } from "../types.js";

/** `${NAME}`: compose interpolation, built so it is not mistaken for a JS template. */
const ref = (name: string): string => "$" + "{" + name + "}";

interface Candidate {
  file: string;
  line: number;
  key: string;
  value: string;
  where: string;
}

/** `.env.example`, `.env.sample`, `.env.template`, `.env.dist`, `.env.test`: templates and test values, not the deployment's. */
const TEMPLATE_ENV = /\.(example|sample|template|tmpl|dist|defaults?)$|\.env\.(test|ci)$|^(example|sample|template)\.env$/i;

/** Whether an env file is one the deployment reads: at the root, beside a compose file or Dockerfile, or named by a compose `env_file`. */
function loadedEnvFiles(model: SystemModel): (file: string) => boolean {
  const dirOf = (f: string) => (f.includes("/") ? f.slice(0, f.lastIndexOf("/")) : "");
  const dirs = new Set([...model.composeServices.map((c) => dirOf(c.file)), ...model.dockerfiles.map((d) => dirOf(d.file))]);
  const named = new Set<string>();
  for (const service of model.composeServices) {
    for (const env of service.envFiles) named.add(posix.normalize(posix.join(dirOf(service.file), env)));
  }
  return (file) => !file.includes("/") || dirs.has(dirOf(file)) || named.has(file);
}

/** Literal values of the deployment files: committed env files, compose `environment:`, Dockerfile ENV/ARG, Kubernetes Secrets. */
function candidates(model: SystemModel): Candidate[] {
  const out: Candidate[] = [];
  for (const v of model.configValues) {
    if (v.origin === "env") {
      const base = v.file.split("/").pop() ?? v.file;
      if (TEMPLATE_ENV.test(base)) continue;
      const envFile = model.envFiles.find((e) => e.file === v.file);
      // an env file git does not track, or ignores without tracking, stays on the machine that made it
      if (envFile?.tracked === false || (envFile?.gitignored && envFile.tracked !== true)) continue;
    }
    out.push({ file: v.file, line: v.line, key: v.key, value: v.value, where: v.origin === "env" ? "committed env file" : v.origin === "compose" ? "compose environment" : "Dockerfile ENV/ARG" });
  }
  return out;
}

/** Marks of a compose file for a developer's machine: a reloading or development server, DEBUG on, a development environment name. */
function developmentCompose(model: SystemModel): Map<string, string> {
  const out = new Map<string, string>();
  for (const c of model.composeServices) {
    if (out.has(c.file)) continue;
    if (c.server?.reload || (c.server && /^(runserver|flask run|fastapi dev)$/.test(c.server.server))) out.set(c.file, `service ${c.name} runs ${c.server.server}${c.server.reload ? " with --reload" : ""}`);
    else if (c.command && /\s--reload\b|\brunserver\b/.test(c.command)) out.set(c.file, `service ${c.name} runs a reloading development server`);
    else {
      const flag = c.environment.find((e) => (/(^|_)DEBUG$/.test(e.key) && /^(true|1|yes|on)$/i.test(e.value)) || (/(^|_)(ENV|ENVIRONMENT|STAGE)$/.test(e.key) && /^(dev|development|local)$/i.test(e.value)));
      if (flag) out.set(c.file, `service ${c.name} sets ${flag.key}=${flag.value}`);
    }
  }
  return out;
}

export default defineCheck({
  id: "SEC018",
  area: "security",
  title: "Secrets committed in deployment files",
  severity: "high",
  kind: "concern",
  confidence: "high",
  why: "Deployment files are copied, shared and baked into images: a secret in a committed `.env`, a compose file, a Dockerfile (ENV and ARG values stay in the image history) or a plain Kubernetes Secret (base64 is an encoding, not encryption) is readable by everyone with the repository or the image, and stays in git history after it is removed.",
  recommendation: "Keep only a template (`.env.example` with empty values) in git and ignore the real `.env`; pass secrets to compose with `" + ref("VAR") + "` interpolation or `secrets:`, to images at run time (or with BuildKit `--mount=type=secret`, never ENV/ARG), and to Kubernetes through Sealed Secrets, External Secrets, SOPS or the cloud secret manager. Rotate every value that was committed.",
  example: { bad: "# docker-compose.yml\nenvironment:\n  STRIPE_SECRET_KEY: sk_live_51H...\n# Dockerfile\nENV SECRET_KEY=9f2c1e7a0b4d...", good: "environment:\n  STRIPE_SECRET_KEY: " + ref("STRIPE_SECRET_KEY") + "\n# Dockerfile: nothing secret; the platform injects it at run time" },
  references: ["https://docs.docker.com/build/building/secrets/", "https://kubernetes.io/docs/concepts/security/secrets-good-practices/", "https://cwe.mitre.org/data/definitions/538.html", "https://12factor.net/config"],
  effort: "S",
  libraries: ["python-dotenv", "pydantic-settings", "django-environ"],
  cwe: "CWE-538",
  owasp: "A05:2021",
  run({ model }) {
    const reports: Report[] = [];
    const loaded = loadedEnvFiles(model);
    const seen = new Set<string>();
    const development = developmentCompose(model);
    for (const c of candidates(model)) {
      let found = judgeSecret(c.key, c.value);
      if (!found) continue;
      const key = `${c.file}:${c.line}:${c.key}`;
      if (seen.has(key)) continue;
      seen.add(key);
      let note = "";
      // a default account password matters where the application creates the account, not for a database container's bootstrap
      if (found.severity === "medium") found = { ...found, severity: "low", confidence: "low" };
      if (c.where === "committed env file" && !loaded(c.file) && found.severity !== "low") {
        found = { ...found, severity: "low", confidence: "low" };
        note = ` Nothing in the deployment loads ${c.file}.`;
      }
      const dev = c.where === "compose environment" ? development.get(c.file) : undefined;
      if (dev && found.severity !== "low") {
        found = { ...found, severity: "low", confidence: "low" };
        note = ` ${c.file} is a compose file for local development (${dev}): a throwaway value, as long as no real environment reuses it.`;
      }
      if (found.severity === "low" && !note) note = fileRole(c.file) === "tooling" ? " It sits in a file for local development and looks like a development value; make sure no real environment uses it." : " It looks like a development value for a local service; make sure no real environment uses it.";
      const shownValue = found.secret !== c.value && c.value.length <= 200 ? redactIn(c.value, found.secret) : redactSecret(found.secret);
      reports.push({
        message: `Secret committed in a deployment file (${found.kind}) in ${c.where}: ${c.key} = ${redactSecret(found.secret)}.${note}`,
        evidence: [{ file: c.file, line: c.line, snippet: redactIn(`${c.key}=${shownValue}`, found.secret) }],
        severity: found.severity,
        confidence: found.confidence,
      });
    }
    // Secret manifests: judged and redacted when the model read them
    for (const secret of model.securityConfig?.kubernetesSecrets ?? []) {
      for (const e of secret.entries) {
        const severity = e.severity === "medium" ? "low" : e.severity;
        const note = severity === "low" ? " It looks like a development value; make sure no real cluster uses it." : " Use Sealed Secrets, External Secrets or SOPS instead of a plain Secret in git.";
        reports.push({
          message: `Secret committed in a deployment file (${e.kind}) in Kubernetes Secret ${secret.name || "(unnamed)"}: ${e.key} = ${e.redacted}.${note}`,
          evidence: [{ file: secret.file, line: e.line, snippet: `${e.key}: ${e.redacted}` }],
          severity,
          confidence: severity === "low" ? "low" : e.confidence,
        });
      }
    }
    return reports;
  },
});
