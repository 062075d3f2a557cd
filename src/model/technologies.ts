import { compareCodeUnits } from "../core/diagnostics.js";
import type { ProjectIndex } from "../python/project-index.js";
import { catalogByImport, catalogByPackage } from "./catalog/index.js";
import type { CatalogEntry } from "./catalog/types.js";
import type { ComposeService, Dependency, Evidence, Technology } from "./types.js";

/** Images whose name tells which data store or infrastructure piece a service runs. */
const IMAGE_TECHNOLOGIES: Array<{ pattern: RegExp; name: string; category: Technology["category"] }> = [
  { pattern: /(^|\/)(postgres|postgis\/postgis|bitnami\/postgresql)(:|$)/, name: "PostgreSQL", category: "database" },
  { pattern: /(^|\/)(mysql)(:|$)/, name: "MySQL", category: "database" },
  { pattern: /(^|\/)(mariadb)(:|$)/, name: "MariaDB", category: "database" },
  { pattern: /(^|\/)(mongo)(:|$)/, name: "MongoDB", category: "database" },
  { pattern: /(^|\/)(redis|valkey\/valkey|bitnami\/redis)(:|$)/, name: "Redis", category: "cache" },
  { pattern: /(^|\/)(memcached)(:|$)/, name: "Memcached", category: "cache" },
  { pattern: /(^|\/)(rabbitmq)(:|$)/, name: "RabbitMQ", category: "queue" },
  { pattern: /(kafka)(:|$)/, name: "Kafka", category: "queue" },
  { pattern: /(elasticsearch)(:|$)/, name: "Elasticsearch", category: "search" },
  { pattern: /(opensearch)(:|$)/, name: "OpenSearch", category: "search" },
  { pattern: /(^|\/)(nginx)(:|$)/, name: "nginx", category: "server" },
  { pattern: /(^|\/)(traefik)(:|$)/, name: "Traefik", category: "server" },
  { pattern: /(^|\/)(minio\/minio|minio)(:|$)/, name: "MinIO", category: "storage" },
];

/** Technologies from declared dependencies, third-party imports and container images, each with evidence. */
export function detectTechnologies(dependencies: Dependency[], index: ProjectIndex, compose: ComposeService[]): Technology[] {
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
  const images = new Map<string, Technology>();
  for (const service of compose) {
    if (!service.image) continue;
    for (const known of IMAGE_TECHNOLOGIES) {
      if (!known.pattern.test(service.image.toLowerCase())) continue;
      const tech = images.get(known.name) ?? { name: known.name, category: known.category, evidence: [] };
      tech.evidence.push({ file: service.file, line: service.line, snippet: `image: ${service.image}` });
      images.set(known.name, tech);
    }
  }
  return [...found.values(), ...images.values()].sort((a, b) => compareCodeUnits(a.category, b.category) || compareCodeUnits(a.name, b.name));
}
