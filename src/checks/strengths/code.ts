import { fileRole, runsInProduction } from "../../core/file-roles.js";
import type { SettingsSource } from "../../model/types.js";
import scatteredEnvironmentReads from "../code/scattered-environment-reads.js";
import { isServiceCode } from "../code-paths.js";
import { defineCheck } from "../define.js";
import { callEvidence, concernFires, inMainService, joinAnd, mainServiceFolder, plural, serviceCallsResolved, STRENGTH } from "./shared.js";

/** Env readers that parse and type values in a Django settings module: django-environ, environs, python-decouple. */
const ENV_OBJECT = /^(environ\.Env|environ\.environ\.Env|environs\.Env)$/;

const inService = (s: SettingsSource) => isServiceCode(s.file) && runsInProduction(fileRole(s.file));

export const centralSettings = defineCheck({
  id: "CODE-S002",
  area: "code",
  title: "Settings in one typed object",
  ...STRENGTH,
  confidence: "medium",
  why: "Configuration read from the environment once, into one typed object, lists what the service needs to start, fails fast on a missing or malformed value, and lets tests pass settings instead of patching the environment.",
  recommendation: "Keep secrets as `SecretStr`, validate required values at startup, and document every variable in `.env.example`.",
  references: ["https://docs.pydantic.dev/latest/concepts/pydantic_settings/", "https://django-environ.readthedocs.io/", "https://12factor.net/config"],
  effort: "S",
  libraries: ["pydantic-settings", "django-environ"],
  run(input) {
    const { model, index } = input;
    // modules all over the code that read the environment themselves (CODE006): the object is not the one place
    if (concernFires(scatteredEnvironmentReads, input)) return [];
    // the service's own settings: a settings class of a sidecar (`mcp/config.py`) next to a Django API is not how the API is configured
    const ours = inMainService(model);
    const pydantic = model.settings.filter((s) => s.kind === "pydantic" && inService(s) && ours(s.file)).sort((a, b) => b.fromEnvironment.length - a.fromEnvironment.length || (a.file < b.file ? -1 : 1));
    const main = pydantic[0];
    if (main && main.fromEnvironment.length >= 3) {
      const others = pydantic.length > 1 ? `, with ${plural(pydantic.length - 1, "more settings class")}` : "";
      return [{ message: `Configuration is read from the environment into a typed pydantic-settings object, ${main.name.split(".").pop()} in ${main.file} (${plural(main.fromEnvironment.length, "field")})${others}.`, evidence: [{ file: main.file, line: main.line, snippet: `class ${main.name.split(".").pop()}(BaseSettings)` }] }];
    }
    // Django: the settings module reads the environment through one env object (django-environ, environs)
    for (const hit of serviceCallsResolved(index)) {
      if (!ENV_OBJECT.test(hit.resolved)) continue;
      const module = model.settings.find((s) => s.kind === "django" && s.file === hit.mod.file);
      if (!module || module.fromEnvironment.length < 3) continue;
      const library = hit.resolved.startsWith("environs") ? "environs" : "django-environ";
      return [{ message: `The Django settings module ${hit.mod.file} reads ${plural(module.fromEnvironment.length, "setting")} from the environment through one ${library} object (line ${hit.call.line}), which parses and types each value.`, evidence: [callEvidence(hit)] }];
    }
    const dynaconf = model.settings.find((s) => s.kind === "dynaconf" && inService(s) && ours(s.file));
    if (dynaconf) return [{ message: `Configuration is loaded through one Dynaconf object in ${dynaconf.file}, layering settings files and the environment.`, evidence: [{ file: dynaconf.file, line: dynaconf.line, snippet: dynaconf.name }] }];
    return [];
  },
});

export const typeCheckerConfigured = defineCheck({
  id: "CODE-S003",
  area: "code",
  title: "Type checker configured",
  ...STRENGTH,
  confidence: "high",
  why: "A configured type checker (mypy, pyright) catches wrong arguments, missing attributes and unhandled `None` before the code runs, and keeps type hints honest as the code grows.",
  recommendation: "Run it in CI on every change, and tighten the configuration module by module (`strict = true`, `disallow_untyped_defs`).",
  references: ["https://mypy.readthedocs.io/en/stable/config_file.html", "https://microsoft.github.io/pyright/#/configuration"],
  effort: "S",
  libraries: ["mypy", "pyright"],
  run({ model }) {
    // configured: a `[tool.mypy]` table, its own file or a pre-commit hook; a checker that is only installed shows nothing
    const configs = (model.toolConfigs ?? []).filter((t) => t.kind === "type-checker" && t.source !== "dependency" && runsInProduction(fileRole(t.file)));
    // the service's own configuration first (`server/pyproject.toml`, not a lambda's or an SDK's), tables before hooks
    const ours = inMainService(model);
    const rank = (t: (typeof configs)[number]) => (ours(t.file) ? 0 : 10) + (t.source === "config" ? 0 : 5) + (t.line === null ? 3 : 0) + t.file.split("/").length;
    const first = [...configs].sort((a, b) => rank(a) - rank(b) || (a.file < b.file ? -1 : 1))[0];
    if (!first) return [];
    const tools = [...new Set(configs.map((t) => t.tool))];
    // the job of the service's pipeline (`test_server.yaml` for `server/`), else of the pipeline running most checks
    const folder = mainServiceFolder(model);
    const score = (p: (typeof model.ci)[number]) => (folder && p.file.slice(p.file.lastIndexOf("/") + 1).includes(folder) ? 100 : 0) + p.jobs.filter((j) => j.tests || j.lint || j.typeCheck).length;
    const ci = [...model.ci].sort((a, b) => score(b) - score(a) || (a.file < b.file ? -1 : 1)).flatMap((p) => p.jobs.filter((j) => j.typeCheck).map((j) => ({ file: p.file, job: j })))[0];
    const inCi = ci ? `, and CI runs a type check (job ${ci.job.name} in ${ci.file})` : "";
    const evidence = [{ file: first.file, line: first.line, snippet: first.detail }, ...(ci ? [{ file: ci.file, line: ci.job.line, snippet: `job ${ci.job.name}` }] : [])];
    return [{ message: `${joinAnd(tools)} ${tools.length === 1 ? "is" : "are"} configured (${first.detail} in ${first.file}${first.line ? `:${first.line}` : ""})${inCi}.`, evidence }];
  },
});

export const CODE_STRENGTHS = [centralSettings, typeCheckerConfigured];
