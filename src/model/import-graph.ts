import { compareCodeUnits } from "../core/diagnostics.js";
import type { ProjectIndex } from "../python/project-index.js";
import type { ImportGraphSummary, Layer, PackageNode } from "./types.js";

/** Layers inferred from package and module names, outermost first. */
const LAYER_NAMES: Array<{ layer: Layer; pattern: RegExp }> = [
  { layer: "api", pattern: /^(api|apis|routers?|routes|views?|endpoints|controllers?|handlers|resources|graphql|web|http|rest|urls)$/ },
  { layer: "services", pattern: /^(services?|usecases?|use_cases|application|domain|logic|interactors?|commands|queries)$/ },
  { layer: "repositories", pattern: /^(repositories|repository|repos?|crud|dao|daos|stores?|persistence|db|database|dal)$/ },
  { layer: "models", pattern: /^(models?|entities|entity|orm|tables)$/ },
  { layer: "schemas", pattern: /^(schemas?|serializers?|dto|dtos|forms)$/ },
  { layer: "core", pattern: /^(core|config|conf|settings|common|utils?|lib|shared|helpers?)$/ },
  { layer: "tasks", pattern: /^(tasks?|workers?|jobs|celery|consumers?)$/ },
];

/** The layer a module belongs to: the deepest segment of its dotted name that names a layer. */
export function layerOf(module: string): Layer | null {
  const segments = module.split(".");
  for (let i = segments.length - 1; i >= 0; i--) {
    const hit = LAYER_NAMES.find((l) => l.pattern.test(segments[i] as string));
    if (hit) return hit.layer;
  }
  return null;
}

/**
 * The import graph of project packages: cycles (with the import lines that make them), and per
 * package its layer, fan-in and fan-out, so coupling hot spots and layering can be read off.
 */
export function importGraph(index: ProjectIndex): ImportGraphSummary {
  const packageOf = (module: string) => {
    const info = index.modules.get(module);
    return info?.isPackage ? module : module.includes(".") ? module.slice(0, module.lastIndexOf(".")) : module;
  };
  const packages = new Map<string, { modules: number; file: string; out: Set<string>; in: Set<string> }>();
  const node = (name: string) => {
    let n = packages.get(name);
    if (!n) {
      n = { modules: 0, file: "", out: new Set(), in: new Set() };
      packages.set(name, n);
    }
    return n;
  };
  for (const [module, info] of index.modules) {
    const n = node(packageOf(module));
    n.modules++;
    // the package's first file by path (its __init__.py when it has one): where a reader starts
    if (!n.file || compareCodeUnits(info.file, n.file) < 0) n.file = info.file;
  }
  for (const edge of index.imports) {
    const from = packageOf(edge.from);
    const to = packageOf(edge.to);
    if (from === to) continue;
    node(from).out.add(to);
    node(to).in.add(from);
  }
  const packageNodes: PackageNode[] = [...packages.entries()]
    .map(([name, n]) => ({ name, file: n.file, modules: n.modules, layer: layerOf(name), fanIn: n.in.size, fanOut: n.out.size }))
    .sort((a, b) => compareCodeUnits(a.name, b.name));
  return {
    modules: index.modules.size,
    edges: index.imports.length,
    packages: packageNodes,
    cycles: index.cycles.map((cycle) => ({
      modules: cycle,
      evidence: cycle.slice(0, -1).map((from, i) => {
        const to = cycle[i + 1] as string;
        const edge = index.imports.find((e) => e.from === from && e.to === to);
        return { file: edge?.file ?? index.modules.get(from)?.file ?? from, line: edge?.line ?? null, snippet: `${from} imports ${to}` };
      }),
    })),
  };
}
