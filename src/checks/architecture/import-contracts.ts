import type { ImportContracts } from "../../config/load-config.js";
import type { Evidence } from "../../model/types.js";
import type { ImportFact } from "../../python/facts.js";
import type { ProjectIndex } from "../../python/project-index.js";
import { defineCheck } from "../define.js";
import type { Report } from "../types.js";

/** One import statement: the module that imports, what it imports (a project module, or a third-party name), where. */
interface Edge {
  from: string;
  to: string;
  file: string;
  line: number;
  text: string;
}

const MAX_CHAIN_SHOWN = 6;
const MAX_PER_CONTRACT = 10;

const within = (module: string, pkg: string) => module === pkg || module.startsWith(`${pkg}.`);

function importText(imp: ImportFact): string {
  if (imp.names === null) return `import ${imp.module}`;
  return `from ${".".repeat(imp.level)}${imp.module} import ${imp.names.map((n) => n.name).join(", ")}`.slice(0, 160);
}

/**
 * Every import of every module, at module level or inside a function (both run), to the project module it reaches or,
 * for third-party code, to the dotted name it names. Imports under `if TYPE_CHECKING:` never run and are left out.
 */
function importEdges(index: ProjectIndex): Map<string, Edge[]> {
  const out = new Map<string, Edge[]>();
  for (const mod of index.modules.values()) {
    const edges: Edge[] = [];
    const seen = new Set<string>();
    const add = (to: string, imp: ImportFact) => {
      if (to === mod.name || seen.has(to)) return;
      seen.add(to);
      edges.push({ from: mod.name, to, file: mod.file, line: imp.line, text: importText(imp) });
    };
    for (const imp of mod.facts.imports) {
      if (imp.typeCheckingOnly) continue;
      const base = imp.level ? index.absolutize(`${".".repeat(imp.level)}${imp.module}`, mod.name) : imp.module;
      const names = imp.names === null ? [null] : imp.names.map((n) => n.name);
      for (const name of names) {
        const candidate = name === null || name === "*" ? base : index.modules.has(`${base}.${name}`) ? `${base}.${name}` : index.resolveSymbol(`${base}.${name}`, mod.name);
        const project = index.projectModuleOf(candidate) ?? (index.modules.has(base) ? base : null);
        if (project) add(project, imp);
        else if (base) add(name === null || name === "*" ? base : `${base}.${name}`, imp);
      }
    }
    out.set(mod.name, edges);
  }
  return out;
}

/** `shop.api.* -> shop.db`: `*` matches one name segment, as in import-linter's `ignore_imports`. */
function ignoredBy(patterns: string[] | undefined): (edge: Edge) => boolean {
  const compiled = (patterns ?? []).map((p) => {
    const [from, to] = p.split("->").map((s) => s.trim());
    const re = (s: string) => new RegExp(`^${s.replace(/\./g, "\\.").replace(/\*/g, "[^.]+")}$`);
    return { from: re(from ?? ""), to: re(to ?? "") };
  });
  return (edge) => compiled.some((c) => c.from.test(edge.from) && c.to.test(edge.to));
}

/**
 * The shortest import chain from a module in `sources` to a module (or third-party name) in `targets`, following
 * project imports; null when there is none.
 */
function chain(edges: Map<string, Edge[]>, modules: string[], sources: string[], targets: string[], ignored: (e: Edge) => boolean, avoid: string[] = []): Edge[] | null {
  const isTarget = (m: string) => targets.some((t) => within(m, t));
  const start = modules.filter((m) => sources.some((s) => within(m, s)) && !isTarget(m));
  const previous = new Map<string, Edge | null>(start.map((m) => [m, null]));
  let frontier = start;
  while (frontier.length) {
    const next: string[] = [];
    for (const m of frontier) {
      for (const edge of edges.get(m) ?? []) {
        if (ignored(edge) || previous.has(edge.to)) continue;
        previous.set(edge.to, edge);
        if (isTarget(edge.to)) {
          const path: Edge[] = [];
          for (let e: Edge | null | undefined = edge; e; e = previous.get(e.from)) path.unshift(e);
          return path;
        }
        // only project modules are followed (a third-party package's own imports are not the project's), and not
        // through another layer: a chain via a lower layer is that layer's violation, reported for it
        if (edges.has(edge.to) && !avoid.some((a) => within(edge.to, a))) next.push(edge.to);
      }
    }
    frontier = next;
  }
  return null;
}

function describeChain(path: Edge[]): string {
  const names = [path[0]?.from, ...path.map((e) => e.to)];
  return names.join(" -> ");
}

function chainEvidence(path: Edge[]): Evidence[] {
  return path.slice(0, MAX_CHAIN_SHOWN).map((e) => ({ file: e.file, line: e.line, snippet: e.text }));
}

function configEvidence(contracts: ImportContracts): Evidence[] {
  const file = contracts.source.split(" ")[0] ?? "pyproject.toml";
  return [{ file, line: null, snippet: contracts.source }];
}

export default defineCheck({
  id: "ARCH008",
  area: "architecture",
  title: "Import contract broken",
  severity: "high",
  kind: "concern",
  confidence: "high",
  why: "The team declared which packages may depend on which (layers, forbidden imports, independent modules). An import that breaks a declared contract is the architecture drifting from its design: the inner layer now changes when the outer one does, and the boundary the team relies on for testing, ownership and extraction no longer holds.",
  recommendation: "Remove the import or invert it (the inner layer defines an interface, the outer one implements it and is injected), move the shared code to a lower layer, or, when the contract is wrong, change the contract on purpose. Run import-linter (`lint-imports`) in CI so the contract is enforced on every change.",
  example: {
    bad: "# [[tool.archscope.contracts.layers]] layers = [\"shop.api\", \"shop.services\", \"shop.domain\"]\n# shop/domain/order.py\nfrom shop.api.schemas import OrderOut",
    good: "# shop/api/orders.py\nfrom shop.domain.order import Order\nreturn OrderOut.model_validate(order)",
  },
  references: ["https://import-linter.readthedocs.io/en/stable/contract_types.html", "https://github.com/seddonym/import-linter"],
  effort: "M",
  libraries: ["import-linter"],
  run({ index, context }) {
    const contracts = context.contracts;
    if (!contracts) return [];
    const edges = importEdges(index);
    const modules = [...index.modules.keys()].sort();
    const exists = (name: string) => modules.some((m) => within(m, name));
    const reports: Report[] = [];
    const missing = (label: string, names: string[]): boolean => {
      const absent = names.filter((n) => !exists(n));
      if (!absent.length) return false;
      reports.push({ message: `Contract ${label} names ${absent.map((n) => `\`${n}\``).join(", ")}, which no module of the project matches: the contract checks nothing there (a typo, or a package that moved).`, evidence: configEvidence(contracts), severity: "low" });
      return true;
    };

    for (const [i, c] of (contracts.layers ?? []).entries()) {
      const label = `"${c.name ?? `layers #${i + 1}`}" (layers)`;
      const containers = c.containers?.length ? c.containers : [null];
      let found = 0;
      for (const container of containers) {
        const layers = c.layers.map((l) => l.split("|").map((s) => (container ? `${container}.${s.trim()}` : s.trim())));
        if (missing(label, layers.flat())) continue;
        const ignored = ignoredBy(c.ignore_imports);
        for (let low = layers.length - 1; low > 0 && found < MAX_PER_CONTRACT; low--) {
          for (let high = 0; high < low && found < MAX_PER_CONTRACT; high++) {
            const others = layers.filter((_, k) => k !== low && k !== high).flat();
            const path = chain(edges, modules, layers[low] as string[], layers[high] as string[], ignored, others);
            if (!path) continue;
            found++;
            const direct = path.length === 1;
            reports.push({
              message: `Contract ${label} broken: lower layer \`${(layers[low] as string[]).join(" | ")}\` imports higher layer \`${(layers[high] as string[]).join(" | ")}\` ${direct ? "directly" : "indirectly"}: ${describeChain(path)}.`,
              evidence: chainEvidence(path),
            });
          }
        }
      }
    }

    for (const [i, c] of (contracts.forbidden ?? []).entries()) {
      const label = `"${c.name ?? `forbidden #${i + 1}`}" (forbidden)`;
      if (missing(label, c.source_modules)) continue;
      const ignored = ignoredBy(c.ignore_imports);
      let found = 0;
      for (const source of c.source_modules) {
        for (const target of c.forbidden_modules) {
          if (found >= MAX_PER_CONTRACT) break;
          const path = chain(edges, modules, [source], [target], ignored);
          if (!path) continue;
          found++;
          reports.push({ message: `Contract ${label} broken: \`${source}\` imports forbidden \`${target}\` ${path.length === 1 ? "directly" : "indirectly"}: ${describeChain(path)}.`, evidence: chainEvidence(path) });
        }
      }
    }

    for (const [i, c] of (contracts.independent ?? []).entries()) {
      const label = `"${c.name ?? `independent #${i + 1}`}" (independent)`;
      if (missing(label, c.modules)) continue;
      const ignored = ignoredBy(c.ignore_imports);
      let found = 0;
      for (const a of c.modules) {
        for (const b of c.modules) {
          if (a === b || found >= MAX_PER_CONTRACT) continue;
          // a chain through a third listed module is that module's violation, reported for it
          const path = chain(edges, modules, [a], [b], ignored, c.modules.filter((m) => m !== a && m !== b));
          if (!path) continue;
          found++;
          reports.push({ message: `Contract ${label} broken: \`${a}\` imports \`${b}\` ${path.length === 1 ? "directly" : "indirectly"}: ${describeChain(path)}.`, evidence: chainEvidence(path) });
        }
      }
    }
    return reports;
  },
});
