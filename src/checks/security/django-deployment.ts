import { fileRole, runsInProduction } from "../../core/file-roles.js";
import type { SystemModel } from "../../model/types.js";
import type { AssignmentFact, CallFact, ImportFact } from "../../python/facts.js";
import type { ModuleInfo, ProjectIndex } from "../../python/project-index.js";
import { productionSettingsModules } from "../database/production-signals.js";

/**
 * The Django settings a deployment runs with (SEC012, SEC014, SEC027): the module DJANGO_SETTINGS_MODULE names in
 * the deployment files or in wsgi.py/asgi.py, or else each production settings module no other one star-imports
 * (`settings/production.py`, a flat `settings.py`), together with what it star-imports (`from .base import *`),
 * base first. Development and test settings (`local.py`, `test.py`) are never part of it.
 */
export interface DeployedSettings {
  module: ModuleInfo;
  /** How the module was chosen, for messages. */
  reason: string;
  /** A deployment file (compose, Dockerfile, env file) names it in DJANGO_SETTINGS_MODULE. */
  namedByDeployment: boolean;
  /** The module and the production modules it star-imports, in the order Python applies them (bases first). */
  chain: ModuleInfo[];
  /** Every assignment of `name` in the chain, last applied last. */
  assignments(name: string): Array<{ fact: AssignmentFact; mod: ModuleInfo }>;
  /** Module-level calls in the chain (`MIDDLEWARE.remove(...)`, `INSTALLED_APPS.append(...)`), with their guard. */
  calls: Array<{ call: CallFact; mod: ModuleInfo }>;
  /** Whether `text` appears as a dotted string anywhere in the chain (`"django.middleware.csrf.CsrfViewMiddleware"`). */
  mentions(text: string): boolean;
  /** The chain builds settings in ways the facts cannot follow (django-split-settings `include()`, `globals().update()`). */
  dynamic: boolean;
}

const DJANGO_SETTINGS = new Set(["INSTALLED_APPS", "MIDDLEWARE", "ROOT_URLCONF"]);
const DYNAMIC = /^split_settings\.|^(globals|locals|exec)$|^(globals|locals)\(\)\.update$/;

function starSource(imp: ImportFact, mod: ModuleInfo): string | null {
  if (imp.insideFunction || !imp.names?.some((n) => n.name === "*")) return null;
  if (imp.level === 0) return imp.module;
  const parts = mod.name.split(".");
  const pkg = mod.isPackage ? parts : parts.slice(0, -1);
  return [...pkg.slice(0, Math.max(0, pkg.length - (imp.level - 1))), ...(imp.module ? [imp.module] : [])].join(".");
}

/** DJANGO_SETTINGS_MODULE as the deployment sets it: compose/Dockerfile/env values, then `os.environ.setdefault(...)` in wsgi/asgi modules. */
function namedSettingsModules(model: SystemModel, index: ProjectIndex): Array<{ name: string; where: string; fromEnvironment: boolean }> {
  const out: Array<{ name: string; where: string; fromEnvironment: boolean }> = [];
  for (const v of model.configValues) {
    if (v.key === "DJANGO_SETTINGS_MODULE" && runsInProduction(fileRole(v.file)) && /^[\w.]+$/.test(v.value) && !/\.env\.(example|sample|template)/.test(v.file)) out.push({ name: v.value, where: `${v.file}:${v.line}`, fromEnvironment: true });
  }
  if (out.length) return out;
  for (const mod of index.modules.values()) {
    if (!/(^|\.)(wsgi|asgi)$/.test(mod.name) || !runsInProduction(fileRole(mod.file))) continue;
    for (const call of mod.facts.calls) {
      const [key, value] = call.args;
      if (/(^|\.)setdefault$|(^|\.)environ\.__setitem__$/.test(call.callee) && key?.value === "DJANGO_SETTINGS_MODULE" && typeof value?.value === "string") out.push({ name: value.value, where: `${mod.file}:${call.line}`, fromEnvironment: false });
    }
  }
  return out;
}

function chainOf(index: ProjectIndex, root: ModuleInfo): ModuleInfo[] {
  const chain: ModuleInfo[] = [];
  const seen = new Set<string>();
  const visit = (mod: ModuleInfo, depth: number) => {
    if (seen.has(mod.name) || depth > 6) return;
    seen.add(mod.name);
    for (const imp of mod.facts.imports) {
      const source = starSource(imp, mod);
      const target = source ? index.modules.get(source) : undefined;
      // `try: from .local import *`: a developer's override, not what production runs
      if (target && runsInProduction(fileRole(target.file))) visit(target, depth + 1);
    }
    chain.push(mod);
  };
  visit(root, 0);
  return chain;
}

function build(index: ProjectIndex, module: ModuleInfo, reason: string, namedByDeployment = false): DeployedSettings {
  const chain = chainOf(index, module);
  const strings = new Set(chain.flatMap((m) => m.facts.dottedStrings));
  const calls = chain.flatMap((mod) => mod.facts.calls.filter((c) => c.enclosing === null).map((call) => ({ call, mod })));
  return {
    module,
    reason,
    namedByDeployment,
    chain,
    assignments: (name) => chain.flatMap((mod) => mod.facts.assignments.filter((a) => a.target === name).map((fact) => ({ fact, mod }))),
    calls,
    mentions: (text) => strings.has(text) || chain.some((m) => m.facts.assignments.some((a) => a.text.includes(text))),
    dynamic: calls.some(({ call, mod }) => DYNAMIC.test(call.qualified ? index.resolve(call.qualified, mod.name) : call.callee)),
  };
}

/** The settings each deployment of the project runs with; empty when the project has no Django settings. */
export function deployedDjangoSettings(model: SystemModel, index: ProjectIndex): DeployedSettings[] {
  const isDjango = (s: DeployedSettings) => s.chain.some((m) => m.facts.assignments.some((a) => DJANGO_SETTINGS.has(a.target)));
  const names = namedSettingsModules(model, index);
  const named = names
    .map((n) => ({ mod: index.modules.get(n.name), where: n.where, fromEnvironment: n.fromEnvironment }))
    .filter((n): n is { mod: ModuleInfo; where: string; fromEnvironment: boolean } => n.mod !== undefined && runsInProduction(fileRole(n.mod.file)));
  // the deployment names a module the repository does not hold (`bugsink_conf`, copied from a template at install time): its settings cannot be read
  if (names.length && !named.length && names.every((n) => !index.modules.has(n.name))) return [];
  // settings modules by name, and modules that build on a named one whatever their name (`config/django/production.py` over `base.py`)
  const namedFiles = new Set(named.map((n) => n.mod.file));
  const builders = [...index.modules.values()].filter((m) => runsInProduction(fileRole(m.file)) && !namedFiles.has(m.file) && m.facts.imports.some((i) => starSource(i, m) !== null) && chainOf(index, m).some((c) => namedFiles.has(c.file)));
  const candidates = [...new Map([...productionSettingsModules(index), ...builders].map((m) => [m.file, m])).values()];
  const imported = new Set(candidates.flatMap((m) => m.facts.imports.map((i) => starSource(i, m)).filter((s): s is string => s !== null)));
  const roots = candidates.filter((m) => !imported.has(m.name)).map((m) => build(index, m, `${m.name}, the settings module no other one builds on`));
  const byFile = new Map<string, DeployedSettings>();
  for (const n of named) {
    // wsgi.py's `setdefault` is only a default: production settings that build on it (`production.py` over `base.py`) are what is deployed
    const over = n.fromEnvironment ? [] : roots.filter((r) => r.module.file !== n.mod.file && r.chain.some((m) => m.file === n.mod.file));
    const chosen = over.length ? over.map((r) => ({ ...r, reason: `${r.module.name}, the production settings built on ${n.mod.name} (the default at ${n.where})` })) : [build(index, n.mod, `DJANGO_SETTINGS_MODULE=${n.mod.name} (${n.where})`, n.fromEnvironment)];
    for (const s of chosen) if (!byFile.has(s.module.file)) byFile.set(s.module.file, s);
  }
  const fromDeployment = [...byFile.values()].filter(isDjango);
  if (fromDeployment.length) return fromDeployment;
  // no module named: every production settings module that no other one builds on
  return roots.filter(isDjango);
}

/** Where the deployment runs `manage.py check --deploy` itself (a Dockerfile CMD, a compose command, a Procfile or start script). */
export function runsDeployCheck(model: SystemModel): string | null {
  const commands = [
    ...model.dockerfiles.flatMap((d) => [d.command, d.entrypoint].filter((c) => c !== null).map((c) => ({ text: c.text, where: `${d.file}:${c.line}` }))),
    ...model.composeServices.filter((c) => c.command).map((c) => ({ text: c.command ?? "", where: `${c.file}:${c.line}` })),
    ...model.procfile.map((p) => ({ text: p.command, where: `${p.file}:${p.line}` })),
  ];
  return commands.find((c) => /\bcheck\b[^|;&]*--deploy\b/.test(c.text))?.where ?? null;
}

/** `SILENCED_SYSTEM_CHECKS` entries in the chain (`security.W004`): warnings the team chose to silence. */
export function silencedChecks(s: DeployedSettings): Set<string> {
  return new Set(s.assignments("SILENCED_SYSTEM_CHECKS").flatMap((a) => a.fact.items ?? []));
}

/** The last value the chain gives `name`, as written, for messages. */
export function settingText(a: AssignmentFact): string {
  return `${a.target} = ${a.text}`.slice(0, 160);
}
