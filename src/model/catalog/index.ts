import { normaliseName } from "../manifests/pep508.js";
import { PACKAGES } from "./packages.js";
import type { CatalogEntry } from "./types.js";

const byPackage = new Map<string, CatalogEntry>(PACKAGES.map((p) => [normaliseName(p.package), p]));
const byImport = new Map<string, CatalogEntry[]>();
for (const entry of PACKAGES) {
  for (const name of entry.imports) {
    const list = byImport.get(name) ?? [];
    list.push(entry);
    byImport.set(name, list);
  }
}

export function catalogByPackage(name: string): CatalogEntry | undefined {
  return byPackage.get(normaliseName(name));
}

/**
 * Catalog entries an import may come from: the longest dotted prefix that is an import name
 * (`google.cloud.storage.Client` → google-cloud-storage). Several when packages share a name (psycopg2).
 */
export function catalogByImport(module: string): CatalogEntry[] {
  const parts = module.split(".");
  for (let i = parts.length; i >= 1; i--) {
    const hit = byImport.get(parts.slice(0, i).join("."));
    if (hit) return hit;
  }
  return [];
}

export { PACKAGES };
