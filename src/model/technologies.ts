import { compareCodeUnits } from "../core/diagnostics.js";
import type { ProjectIndex } from "../python/project-index.js";
import { catalogByImport, catalogByPackage } from "./catalog/index.js";
import type { CatalogEntry } from "./catalog/types.js";
import { DRIVER_STORES, djangoStores, IMAGE_TECHNOLOGIES, parseConnectionUrl, type StoreKind } from "./infrastructure.js";
import type { ComposeService, ConfigValue, Dependency, Evidence, Technology } from "./types.js";

/**
 * Technologies from declared dependencies, third-party imports, container images, connection
 * URLs (configuration values and string literals in code) and Django DATABASES/CACHES, each
 * with evidence.
 */
export function detectTechnologies(dependencies: Dependency[], index: ProjectIndex, compose: ComposeService[], configValues: ConfigValue[] = [], images: Array<{ image: string; file: string; line: number }> = []): Technology[] {
  const found = new Map<string, Technology>();
  const addEntry = (entry: CatalogEntry, evidence: Evidence) => {
    const key = entry.package;
    let tech = found.get(key);
    if (!tech) {
      tech = { name: entry.name, category: entry.category, package: entry.package, note: entry.note, maintenance: entry.maintenance, evidence: [] };
      if (entry.alternative) tech.alternative = entry.alternative;
      found.set(key, tech);
    }
    if (tech.evidence.length < 3) tech.evidence.push(evidence);
  };
  for (const dep of dependencies) {
    const entry = catalogByPackage(dep.name);
    if (entry) addEntry(entry, { file: dep.manifest, line: dep.line, snippet: `${dep.name}${dep.spec}` });
  }
  const project = index.topLevelPackages();
  for (const mod of [...index.modules.values()].sort((a, b) => compareCodeUnits(a.file, b.file))) {
    for (const imp of mod.facts.imports) {
      if (imp.level > 0 || project.has(imp.module.split(".")[0] ?? "")) continue;
      const entries = catalogByImport(imp.module);
      // an import shared by several packages counts only when one of them is declared
      const declared = entries.filter((e) => found.has(e.package));
      const chosen = declared.length ? declared : entries.length === 1 ? entries : [];
      for (const entry of chosen) addEntry(entry, { file: mod.file, line: imp.line, snippet: `import ${imp.module}` });
    }
  }
  const infrastructure = new Map<string, Technology>();
  const addStore = (store: StoreKind, evidence: Evidence) => {
    const tech = infrastructure.get(store.name) ?? { name: store.name, category: store.category, evidence: [] };
    if (tech.evidence.length < 3 && !tech.evidence.some((e) => e.file === evidence.file && e.line === evidence.line)) tech.evidence.push(evidence);
    infrastructure.set(store.name, tech);
  };
  for (const service of compose) {
    if (!service.image) continue;
    for (const known of IMAGE_TECHNOLOGIES) {
      if (known.pattern.test(service.image.toLowerCase())) addStore(known, { file: service.file, line: service.line, snippet: `image: ${service.image}` });
    }
  }
  for (const image of images) {
    for (const known of IMAGE_TECHNOLOGIES) {
      if (known.pattern.test(image.image.toLowerCase())) addStore(known, { file: image.file, line: image.line, snippet: `FROM ${image.image}` });
    }
  }
  for (const value of configValues) {
    const url = parseConnectionUrl(value.value);
    if (url?.store) addStore(url.store, { file: value.file, line: value.line, snippet: `${value.key}=${url.scheme}://…` });
  }
  for (const mod of [...index.modules.values()].sort((a, b) => compareCodeUnits(a.file, b.file))) {
    for (const a of mod.facts.assignments) {
      const url = typeof a.value === "string" ? parseConnectionUrl(a.value) : null;
      if (url?.store) addStore(url.store, { file: mod.file, line: a.line, snippet: `${a.target} = "${url.scheme}://…"` });
    }
    for (const c of mod.facts.classes) {
      for (const a of c.assignments) {
        const url = typeof a.value === "string" ? parseConnectionUrl(a.value) : null;
        if (url?.store) addStore(url.store, { file: mod.file, line: a.line, snippet: `${a.target} = "${url.scheme}://…"` });
      }
    }
    for (const call of mod.facts.calls) {
      for (const arg of call.args) {
        const url = typeof arg.value === "string" ? parseConnectionUrl(arg.value) : null;
        if (url?.store) addStore(url.store, { file: mod.file, line: call.line, snippet: `${call.callee}(${arg.name ? `${arg.name}=` : ""}"${url.scheme}://…")` });
      }
    }
  }
  // a declared database driver names its database (psycopg → PostgreSQL) even when only the ORM imports it
  for (const tech of found.values()) {
    if (tech.category !== "db-driver") continue;
    const entry = tech.package ? catalogByPackage(tech.package) : undefined;
    const store = entry?.imports.map((i) => DRIVER_STORES[i]).find((s) => s !== undefined);
    if (store && tech.evidence[0]) addStore(store, tech.evidence[0]);
  }
  for (const hit of djangoStores(index)) addStore(hit.store, { file: hit.file, line: hit.line, snippet: `${hit.setting}: ${hit.store.name}` });
  return [...found.values(), ...infrastructure.values()].sort((a, b) => compareCodeUnits(a.category, b.category) || compareCodeUnits(a.name, b.name));
}
