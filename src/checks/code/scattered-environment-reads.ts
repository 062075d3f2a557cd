import { isSettingsModule } from "../../model/infrastructure.js";
import type { Evidence } from "../../model/types.js";
import type { ModuleInfo, ProjectIndex } from "../../python/project-index.js";
import { defineCheck } from "../define.js";
import { plural } from "../../core/prose.js";
import { applicationModules } from "./application-code.js";

/** Reading one variable: `os.getenv("X")`, `os.environ.get("X")`. */
const ENV_CALL = /^os\.(getenv|environ\.get|environ\.__getitem__|getenvb)$/;
/** `os.environ["X"]` in a value's text (module and class level, call arguments): subscripts are not calls. */
const ENV_SUBSCRIPT = /\bos\.environ\s*\[/;
/**
 * Modules whose job is configuration (settings, config, env), and the process's entry files (`wsgi.py`, `asgi.py`,
 * `celery.py`, `gunicorn.conf.py`, `__main__.py`), where reading the environment is the point.
 */
const CONFIG_PACKAGE = /(^|\.)(settings|config|configs|conf|configuration|environments?)(\.|$)/;
const CONFIG_FILE = /^(settings|config|configs|conf|configuration|env|environment|envs|wsgi|asgi|celery|celeryconfig|celery_app|gunicorn_conf|gunicorn|__main__|manage|main|app|server|instance|constants|[\w]+_(settings|config|conf))$/;
const isConfigModule = (name: string) => CONFIG_PACKAGE.test(name) || CONFIG_FILE.test(name.slice(name.lastIndexOf(".") + 1));
/** Variables that tell a process which settings to load, or how it runs: not configuration of the application. */
const BOOTSTRAP_VARIABLE = /DJANGO_SETTINGS_MODULE|DJANGO_CONFIGURATION|FLASK_APP|PYTEST|CI\b|DEBUG_TOOLBAR/;
/**
 * Variables the platform sets to describe where the code runs (CI providers, Kubernetes, AWS Lambda, the shell):
 * probes of the runtime, not the application's configuration.
 */
const PLATFORM_VARIABLE = /["'](GITHUB_|GITLAB_|CI_|CIRCLE|BUILDKITE|BITBUCKET_|TRAVIS|JENKINS|BUILD_|KUBERNETES_|K_SERVICE|AWS_LAMBDA_|AWS_EXECUTION_ENV|LAMBDA_TASK_ROOT|FUNCTIONS_|WEBSITE_|DYNO|HOSTNAME|HOME|PATH|USER|SHELL|TERM|LANG|TZ|PWD|VIRTUAL_ENV|PYTHON\w*|COLUMNS|NO_COLOR)/;
const ignored = (text: string) => BOOTSTRAP_VARIABLE.test(text) || PLATFORM_VARIABLE.test(text);
/** Below this many modules, reading the environment in a few places is a choice, not a pattern. */
const MIN_MODULES = 5;
const MIN_READS = 10;
/** "All over the code": this many modules, or `MIN_MODULES` that are this share of the application's modules. */
const MANY_MODULES = 8;
const MIN_MODULE_SHARE = 0.05;
const MAX_LISTED = 5;

interface Read {
  line: number;
  snippet: string;
}

function environmentReads(index: ProjectIndex, mod: ModuleInfo): Read[] {
  const out: Read[] = [];
  for (const call of mod.facts.calls) {
    const resolved = call.qualified ? index.resolve(call.qualified, mod.name) : "";
    if (ignored(call.snippet)) continue;
    if (ENV_CALL.test(resolved) || call.args.some((a) => ENV_SUBSCRIPT.test(a.text))) out.push({ line: call.line, snippet: call.snippet });
  }
  const assignments = [...mod.facts.assignments, ...mod.facts.classes.flatMap((c) => c.assignments)];
  for (const a of assignments) if (ENV_SUBSCRIPT.test(a.text) && !ignored(a.text)) out.push({ line: a.line, snippet: `${a.target} = ${a.text}`.slice(0, 160) });
  return [...new Map(out.map((r) => [r.line, r])).values()].sort((a, b) => a.line - b.line);
}

export default defineCheck({
  id: "CODE006",
  area: "code",
  title: "Configuration read from the environment all over the code",
  severity: "low",
  kind: "concern",
  confidence: "medium",
  why: "When modules throughout the code read `os.environ` / `os.getenv` themselves, nobody can list what the service needs to start: a missing or misspelt variable surfaces as a `None` deep in a request path, defaults differ from one module to the next, values are parsed (booleans, integers) in several inconsistent ways, and tests must patch the environment instead of passing settings.",
  recommendation: "Read the environment once, at startup, into one typed settings object and import that everywhere: pydantic-settings (`class Settings(BaseSettings)`) for FastAPI and Flask, django-environ or `environ.Env` inside Django's settings module (and `django.conf.settings` elsewhere), or dynaconf. Fail fast on missing required values, and document them in `.env.example`.",
  example: {
    bad: '# app/billing.py\nSTRIPE_KEY = os.getenv("STRIPE_KEY")\n# app/mail.py\nif os.environ.get("SMTP_TLS") == "1": ...',
    good: "# app/config.py\nclass Settings(BaseSettings):\n    stripe_key: SecretStr\n    smtp_tls: bool = True\nsettings = Settings()\n# app/billing.py\nfrom app.config import settings",
  },
  references: ["https://docs.pydantic.dev/latest/concepts/pydantic_settings/", "https://django-environ.readthedocs.io/", "https://12factor.net/config", "https://www.dynaconf.com/"],
  effort: "M",
  libraries: ["pydantic-settings", "django-environ", "dynaconf", "python-decouple"],
  run({ model, index }) {
    const settingsFiles = new Set(model.settings.filter((s) => s.kind !== "file").map((s) => s.file));
    const byModule: Array<{ mod: ModuleInfo; reads: Read[] }> = [];
    for (const mod of applicationModules(index)) {
      if (settingsFiles.has(mod.file) || isSettingsModule(mod.name) || isConfigModule(mod.name)) continue;
      const reads = environmentReads(index, mod);
      if (reads.length) byModule.push({ mod, reads });
    }
    const total = byModule.reduce((sum, m) => sum + m.reads.length, 0);
    const modules = applicationModules(index).length;
    if (total < MIN_READS || byModule.length < MIN_MODULES || (byModule.length < MANY_MODULES && byModule.length < modules * MIN_MODULE_SHARE)) return [];
    byModule.sort((a, b) => b.reads.length - a.reads.length || (a.mod.file < b.mod.file ? -1 : 1));
    // the settings object of the code that reads the environment most: the one sharing the longest folder prefix
    const shared = (a: string, b: string) => {
      const x = a.split("/");
      const y = b.split("/");
      let n = 0;
      while (n < x.length && x[n] === y[n]) n++;
      return n;
    };
    const central = model.settings
      .filter((s) => s.kind === "pydantic" || s.kind === "django" || s.kind === "dynaconf")
      .map((s) => ({ s, score: byModule.reduce((sum, m) => sum + shared(s.file, m.mod.file), 0) }))
      .sort((a, b) => b.score - a.score || (a.s.file < b.s.file ? -1 : 1))[0]?.s;
    const listed = byModule.slice(0, MAX_LISTED).map(({ mod, reads }) => `${mod.file} (${reads.length})`);
    const evidence: Evidence[] = byModule.slice(0, MAX_LISTED).map(({ mod, reads }) => ({ file: mod.file, line: (reads[0] as Read).line, snippet: (reads[0] as Read).snippet }));
    const settingsNote = central
      ? ` A settings object exists (${central.kind} at ${central.file}:${central.line}) but these modules bypass it.`
      : " No central settings object (pydantic-settings, Django settings, dynaconf) was found.";
    return [
      {
        message: `${plural(total, "environment read")} (\`os.environ\`/\`os.getenv\`) in ${plural(byModule.length, "module")} outside the settings and entry modules; the most: ${listed.join(", ")}${byModule.length > MAX_LISTED ? `, and ${byModule.length - MAX_LISTED} more` : ""}.${settingsNote}`,
        evidence,
      },
    ];
  },
});
