import type { Evidence } from "../../model/types.js";
import type { ProjectIndex } from "../../python/project-index.js";
import { productionSettingsModules } from "../database/production-signals.js";

/*
 * Django's cache backends as the production settings configure them, for the checks that ask whether state kept
 * in the cache (sessions, throttle counters) is per process: LocMemCache is, and it is Django's default.
 */

const LOCMEM = "django.core.cache.backends.locmem.LocMemCache";

export interface DjangoCaches {
  /** Backend per alias, where every production settings module that sets it names a literal backend. */
  backends: Map<string, string>;
  /** Where CACHES is set, null when no production settings module sets it (Django's default LocMemCache). */
  evidence: Evidence | null;
  /** Some CACHES is built in a way not read here (from the environment, a helper, several modules disagreeing). */
  unknown: boolean;
}

/** The Django project's production CACHES, or null when the project has no Django settings. */
export function djangoCaches(index: ProjectIndex): DjangoCaches | null {
  const modules = productionSettingsModules(index).filter((m) => m.facts.assignments.some((a) => a.target === "INSTALLED_APPS" || a.target === "MIDDLEWARE" || a.target === "ROOT_URLCONF"));
  if (!modules.length) return null;
  const all = productionSettingsModules(index);
  const assignments = all.flatMap((m) => m.facts.assignments.filter((a) => a.target === "CACHES").map((a) => ({ m, a })));
  const changed = all.some((m) => m.facts.mutations.some((x) => x.name === "CACHES" || x.name.startsWith("CACHES[")) || m.facts.calls.some((c) => c.callee.startsWith("CACHES.")));
  if (!assignments.length) return { backends: changed ? new Map() : new Map([["default", LOCMEM]]), evidence: null, unknown: changed };
  const backends = new Map<string, string>();
  let unknown = changed;
  for (const { a } of assignments) {
    const found = [...a.text.matchAll(/["']([\w-]+)["']\s*:\s*\{[^{}]*?["']BACKEND["']\s*:\s*["']([\w.]+)["']/g)];
    if (!found.length) unknown = true;
    for (const [, alias, backend] of found) {
      if (!alias || !backend) continue;
      const earlier = backends.get(alias);
      if (earlier && earlier !== backend) unknown = true;
      backends.set(alias, backend);
    }
  }
  const first = assignments[0] as (typeof assignments)[number];
  return { backends, evidence: { file: first.m.file, line: first.a.line, snippet: `CACHES = ${first.a.text}`.slice(0, 160) }, unknown };
}

/** Whether a cache alias is LocMemCache for sure, and how that is known. */
export function locmemAlias(caches: DjangoCaches, alias: string): { how: string; evidence: Evidence | null } | null {
  if (caches.unknown || caches.backends.get(alias) !== LOCMEM) return null;
  return caches.evidence ? { how: `CACHES["${alias}"] is LocMemCache, ${caches.evidence.file}:${caches.evidence.line}`, evidence: caches.evidence } : { how: "Django's default: no production settings module sets CACHES", evidence: null };
}

/** The default cache, when it is LocMemCache for sure. */
export function djangoDefaultCache(index: ProjectIndex): { kind: "locmem"; how: string; evidence: Evidence | null } | null {
  const caches = djangoCaches(index);
  const locmem = caches ? locmemAlias(caches, "default") : null;
  return locmem ? { kind: "locmem", ...locmem } : null;
}
