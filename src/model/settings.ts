import { compareCodeUnits } from "../core/diagnostics.js";
import type { ProjectIndex } from "../python/project-index.js";
import type { WorkspaceFile } from "../workspace/types.js";
import { isSettingsModule } from "./infrastructure.js";
import type { SettingsSource } from "./types.js";

const PYDANTIC_SETTINGS = /^(pydantic_settings\.BaseSettings|pydantic\.BaseSettings|pydantic\.env_settings\.BaseSettings)$/;
const FROM_ENVIRONMENT = /\bos\.environ\b|\bos\.getenv\(|\bgetenv\(|\benv\(|\benv\.(str|bool|int|float|list|dict|json|url|db|db_url|cache|cache_url|email_url|path|decimal)\(|\bconfig\(|\bEnv\(|\benviron\.get\(/;
const SETTING_NAME = /^[A-Z][A-Z0-9_]*$/;
const FLASK_CONFIG_LOADERS = /\.config\.(from_object|from_pyfile|from_envvar|from_prefixed_env|from_file|from_mapping)$/;

/**
 * Where configuration comes from: pydantic-settings classes (every field read from the
 * environment), Django settings modules (each UPPER_CASE setting, env-driven or literal),
 * Flask config loading and config classes, Dynaconf, and env templates (.env.example).
 * Only names are kept, never values.
 */
export function settingsSources(index: ProjectIndex, files: WorkspaceFile[]): SettingsSource[] {
  const out: SettingsSource[] = [];
  const isPydanticSettings = (qualified: string | null, module: string, depth = 0): boolean => {
    if (!qualified || depth > 5) return false;
    const resolved = index.resolve(qualified, module);
    if (PYDANTIC_SETTINGS.test(resolved)) return true;
    const symbol = index.symbol(resolved);
    return symbol?.kind === "class" && symbol.fact.bases.some((b) => isPydanticSettings(b.qualified, symbol.module, depth + 1));
  };
  for (const mod of index.modules.values()) {
    for (const cls of mod.facts.classes) {
      if (!cls.bases.some((b) => isPydanticSettings(b.qualified, mod.name))) continue;
      const fields = cls.assignments.filter((a) => !a.target.startsWith("_") && a.target !== "model_config" && a.target !== "Config");
      out.push({
        file: mod.file,
        line: cls.line,
        kind: "pydantic",
        name: `${mod.name}.${cls.qualname}`,
        fromEnvironment: fields.map((f) => f.target).sort(compareCodeUnits),
        literal: fields.filter((f) => f.value !== undefined && f.value !== null && f.value !== "").map((f) => f.target).sort(compareCodeUnits),
      });
    }
    if (isSettingsModule(mod.name)) {
      const settings = mod.facts.assignments.filter((a) => SETTING_NAME.test(a.target));
      if (settings.length) {
        out.push({
          file: mod.file,
          line: settings[0]?.line ?? 1,
          kind: "django",
          name: mod.name,
          fromEnvironment: settings.filter((a) => FROM_ENVIRONMENT.test(a.text)).map((a) => a.target).sort(compareCodeUnits),
          literal: settings.filter((a) => !FROM_ENVIRONMENT.test(a.text)).map((a) => a.target).sort(compareCodeUnits),
        });
      }
    }
    for (const call of mod.facts.calls) {
      const resolved = call.qualified ? index.resolve(call.qualified, mod.name) : "";
      if (FLASK_CONFIG_LOADERS.test(call.callee)) {
        const source = call.args[0];
        const target = source?.qualified ? index.symbol(index.resolve(source.qualified, mod.name)) : undefined;
        const fields = target?.kind === "class" ? target.fact.assignments.filter((a) => SETTING_NAME.test(a.target)) : [];
        out.push({
          file: mod.file,
          line: call.line,
          kind: "flask",
          name: target?.kind === "class" ? `${target.module}.${target.fact.qualname}` : call.snippet,
          fromEnvironment: [...fields.filter((a) => FROM_ENVIRONMENT.test(a.text)).map((a) => a.target), ...(call.callee.endsWith("from_prefixed_env") || call.callee.endsWith("from_envvar") ? ["(environment)"] : [])].sort(compareCodeUnits),
          literal: fields.filter((a) => !FROM_ENVIRONMENT.test(a.text)).map((a) => a.target).sort(compareCodeUnits),
        });
      }
      if (resolved === "dynaconf.Dynaconf" || resolved === "dynaconf.LazySettings") {
        out.push({ file: mod.file, line: call.line, kind: "dynaconf", name: call.snippet, fromEnvironment: [], literal: [] });
      }
    }
  }
  for (const f of files) {
    if (f.kind !== "env" || f.text === undefined || !/\.(example|sample|template|dist)$/i.test(f.path)) continue;
    const keys = [...f.text.matchAll(/^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/gm)].map((m) => m[1] as string);
    out.push({ file: f.path, line: 1, kind: "file", name: f.path, fromEnvironment: [...new Set(keys)].sort(compareCodeUnits), literal: [] });
  }
  return out.sort((a, b) => compareCodeUnits(a.file, b.file) || a.line - b.line);
}
