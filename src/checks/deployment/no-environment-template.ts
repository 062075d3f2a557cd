import { fileRole, runsInProduction } from "../../core/file-roles.js";
import { defineCheck } from "../define.js";

/** Settings read from the environment before a template is worth asking for. */
const MIN_SETTINGS = 5;
/** Documents about configuration (`docs/configuration.md`, `settings.rst`, `docs/environment-variables.md`). */
const CONFIG_DOCUMENT = /(^|\/)[^/]*(config|setting|environ|env[-_]?var)[^/]*\.(md|rst|txt|adoc)$/i;

export default defineCheck({
  id: "DEP013",
  area: "deployment",
  title: "No environment template or configuration documentation",
  severity: "low",
  kind: "concern",
  confidence: "medium",
  why: "When the settings a service reads from the environment are listed nowhere, every new deployment and every new developer finds the required ones by crashing on start-up, and a forgotten optional one (a timeout, a feature flag) silently takes its default in production.",
  recommendation: "Commit a `.env.example` (names and safe sample values, no secrets) next to the settings module, or a configuration page listing each variable, whether it is required and its default; pydantic-settings or django-environ make the list explicit in code.",
  example: { bad: "# settings.py reads 20 variables from os.environ; no .env.example, no docs", good: "# .env.example\nDATABASE_URL=postgresql://app:app@localhost:5432/app\nSECRET_KEY=change-me\nSENTRY_DSN=" },
  references: ["https://12factor.net/config", "https://docs.pydantic.dev/latest/concepts/pydantic_settings/"],
  effort: "S",
  libraries: ["pydantic-settings", "django-environ", "python-dotenv"],
  run({ model }) {
    const sources = model.settings.filter((s) => s.fromEnvironment.length > 0 && runsInProduction(fileRole(s.file)));
    const names = new Set(sources.flatMap((s) => s.fromEnvironment));
    if (names.size < MIN_SETTINGS) return [];
    // any committed env file lists variables (`.env.example`, a compose env file); so does a compose `environment:` block
    if (model.envFiles.length > 0 || model.composeServices.some((c) => c.environment.length > 0)) return [];
    if (model.documents.some((d) => CONFIG_DOCUMENT.test(d))) return [];
    const first = [...sources].sort((a, b) => b.fromEnvironment.length - a.fromEnvironment.length)[0];
    if (!first) return [];
    const shown = [...names].sort().slice(0, 5).join(", ");
    return [{
      message: `${names.size} settings are read from the environment (${shown}${names.size > 5 ? ", ..." : ""}), but the repository has no environment template (\`.env.example\`) and no configuration document listing them; if the README lists them, this does not apply.`,
      evidence: [{ file: first.file, line: first.line }],
    }];
  },
});
