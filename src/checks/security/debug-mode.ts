import { fileRole, runsInProduction } from "../../core/file-roles.js";
import { isSettingsModule } from "../../model/infrastructure.js";
import type { ArgumentFact, AssignmentFact, CallFact } from "../../python/facts.js";
import { defineCheck } from "../define.js";
import type { Report } from "../types.js";

/** Application constructors whose `debug=True` serves tracebacks to clients. */
const APP_CONSTRUCTORS = /^(fastapi\.FastAPI|starlette\.applications\.Starlette)$/;
/** Environment lookups: `os.getenv`, `os.environ.get`, django-environ's `env.bool`, python-decouple's `config`. */
const ENV_LOOKUP = /(^|\.)(getenv|environ\.get|bool|config|env)$/;
const TRUTHY = /^["']?(true|1|yes|on)["']?$/i;
/** Flask's (and Quart's) development server. */
const FLASK_RUN = /^(flask\.Flask|quart\.Quart)\.run$/;
/** Hosts that listen on every interface. */
const ALL_INTERFACES = /^["'](0\.0\.0\.0|::|\[::\])["']$/;

/**
 * `app.run(debug=True)`: the Werkzeug debugger, whose console runs Python for whoever opens it. Bound to every
 * interface it is reachable from the network (a container started with `python app.py` runs this line): high.
 * On the default loopback host it is a developer's server: low.
 */
function flaskDebugServer(call: CallFact, file: string): Report | null {
  const debug = call.args.find((a) => a.name === "debug");
  if (debug?.value !== true) return null;
  const host = call.args.find((a) => a.name === "host") ?? call.args.find((a) => a.name === null);
  const exposed = host !== undefined && ALL_INTERFACES.test(host.text.trim());
  const evidence = [{ file, line: call.line, snippet: call.snippet }];
  const where = call.guard?.includes("__main__") ? " under `if __name__ == \"__main__\"`, which runs whenever the file is started directly (`python app.py`, as a container command may)" : "";
  return exposed
    ? { message: `${call.callee}(${host?.text}, debug=True) starts the development server with the Werkzeug debugger on every network interface${where}: whoever reaches the port can run code through the debugger console.`, evidence, severity: "high" }
    : { message: `${call.callee}(debug=True) starts the development server with the Werkzeug debugger${where}; on the default loopback host only this machine reaches it, so it matters only if production runs this line.`, evidence, severity: "low", confidence: "medium" };
}

const truthy = (a: ArgumentFact | undefined) => a !== undefined && (a.value === true || (typeof a.value === "string" && TRUTHY.test(a.value)) || (typeof a.value === "number" && a.value !== 0));

/** `DEBUG = env.bool("DEBUG", default=True)`, `os.getenv("DEBUG", "1")`: the default when the variable is unset. */
function insecureDefault(a: AssignmentFact): boolean {
  if (a.kind !== "call" || !a.args || !ENV_LOOKUP.test(a.callee ?? a.text.split("(")[0] ?? "")) return false;
  const byName = a.args.find((x) => x.name === "default");
  return truthy(byName ?? a.args.filter((x) => x.name === null)[1]);
}

export default defineCheck({
  id: "SEC002",
  area: "security",
  title: "Debug mode on in deployable configuration",
  severity: "high",
  kind: "concern",
  confidence: "high",
  why: "Debug mode answers errors with full tracebacks, local variables and settings (Django's yellow page lists every setting, Werkzeug's debugger runs code), and Django in DEBUG keeps every SQL query in memory. In production that is an information leak and, with the Werkzeug console, remote code execution.",
  recommendation: "Read DEBUG from the environment with a safe default (`DEBUG = env.bool(\"DJANGO_DEBUG\", default=False)`), keep `DEBUG = True` in a development-only settings module, and never pass `debug=True` to the application in code that production imports.",
  example: { bad: 'DEBUG = True\nALLOWED_HOSTS = ["*"]', good: 'DEBUG = env.bool("DJANGO_DEBUG", default=False)\nALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")' },
  references: ["https://docs.djangoproject.com/en/stable/ref/settings/#debug", "https://docs.djangoproject.com/en/stable/howto/deployment/checklist/", "https://cwe.mitre.org/data/definitions/489.html"],
  effort: "S",
  libraries: ["django-environ", "pydantic-settings"],
  cwe: "CWE-489",
  owasp: "API8:2023",
  run({ model, index }) {
    const reports: Report[] = [];
    // settings modules that production may use, each file once, with its first (unconditional) DEBUG: a later
    // `DEBUG = True` under `if ENABLE_DB_LOGGING:` is an opt-in, not the default
    const seen = new Set<string>();
    const debugIn = [...index.modules.values()]
      .filter((m) => isSettingsModule(m.name) && runsInProduction(fileRole(m.file)) && !seen.has(m.file) && seen.add(m.file))
      .map((m) => ({ mod: m, debug: m.facts.assignments.find((a) => a.target === "DEBUG") }))
      .filter((x): x is { mod: (typeof x)["mod"]; debug: AssignmentFact } => x.debug !== undefined);
    const setByDeployment = model.configValues.some((v) => /^(DJANGO_)?DEBUG$/.test(v.key) && runsInProduction(fileRole(v.file)));
    for (const { mod, debug } of debugIn) {
      // another settings module that sets DEBUG any other way (False, from the environment) is the one deployed
      const overridden = debugIn.some((x) => x.mod.file !== mod.file && x.debug.value !== true && !insecureDefault(x.debug));
      const evidence = [{ file: mod.file, line: debug.line, snippet: `DEBUG = ${debug.text}`.slice(0, 160) }];
      if (debug.value === true && !overridden) {
        reports.push({ message: `DEBUG = True in ${mod.name}, and no other settings module turns it off: tracebacks and settings are shown to clients.`, evidence });
      } else if (insecureDefault(debug) && !setByDeployment) {
        reports.push({ message: `DEBUG in ${mod.name} comes from the environment but defaults to on (${debug.text.slice(0, 80)}), and no deployment file sets it: a deployment that forgets the variable runs in debug mode.`, evidence, severity: "medium" });
      }
    }
    for (const mod of index.modules.values()) {
      for (const call of mod.facts.calls) {
        const resolved = call.qualified ? index.resolve(call.qualified, mod.name) : null;
        if (resolved && FLASK_RUN.test(resolved)) {
          const report = flaskDebugServer(call, mod.file);
          if (report) reports.push(report);
          continue;
        }
        if (!resolved || !APP_CONSTRUCTORS.test(resolved)) continue;
        const debug = call.args.find((a) => a.name === "debug");
        if (debug?.value === true) reports.push({ message: `${call.callee}(debug=True) serves tracebacks to clients on every error.`, evidence: [{ file: mod.file, line: call.line, snippet: call.snippet }] });
      }
    }
    return reports;
  },
});
