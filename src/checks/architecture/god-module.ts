import { fileRole } from "../../core/file-roles.js";
import { isSettingsModule } from "../../model/infrastructure.js";
import type { Evidence } from "../../model/types.js";
import type { ModuleInfo, ProjectIndex } from "../../python/project-index.js";
import { writtenFiles } from "../code/application-code.js";
import { defineCheck } from "../define.js";
import type { Report } from "../types.js";

const MAX_CODE_LINES = 1000;
const MAX_DEFINITIONS = 40;
/** Forty one-line exception or enum classes are a catalogue, not a god module: the count needs some code behind it. */
const MIN_LINES_FOR_DEFINITIONS = 600;
/** Below this share of code in functions and methods, a module is data (tables, schemas, declarative classes), not logic. */
const MIN_LOGIC_SHARE = 0.25;
/** A class with this many methods of its own does the work of several. */
const GOD_CLASS_METHODS = 100;
/** A hub package is imported by, and imports, at least this share of the other packages... */
const HUB_SHARE = 0.5;
/** ...in a project with at least this many packages. */
const MIN_PACKAGES_FOR_HUB = 8;
const MAX_LISTED = 5;

/** Generated code, and settings modules that are long by nature: not designed by hand as modules. */
const GENERATED = /(_pb2|_pb2_grpc|_pb2\.pyi|_generated|_gen)$|(^|\.)(generated|gen|autogen|migrations)(\.|$)/;

interface BigModule {
  mod: ModuleInfo;
  codeLines: number;
  definitions: number;
  importers: number;
}

/** Top-level functions and classes of a module. */
function topLevelDefinitions(mod: ModuleInfo): number {
  const functions = mod.facts.functions.filter((f) => f.className === null && !f.qualname.includes(".")).length;
  const classes = mod.facts.classes.filter((c) => !c.qualname.includes(".")).length;
  return functions + classes;
}

/**
 * Data rather than logic: a table of constants (`iata.py`, `words.py`), or a catalogue of declarative classes with
 * hardly a method (pydantic or GraphQL schema classes, choice sets), as code generators write them.
 */
function isDataModule(mod: ModuleInfo, definitions: number): boolean {
  const logic = mod.facts.functions.reduce((sum, f) => sum + f.codeLines, 0);
  if (logic >= mod.facts.codeLines * MIN_LOGIC_SHARE) return false;
  const methods = mod.facts.functions.filter((f) => f.className !== null).length;
  return definitions <= 5 || methods < definitions * 0.5;
}

function isHandWrittenApplication(mod: ModuleInfo): boolean {
  return fileRole(mod.file) === "application" && !GENERATED.test(mod.name) && !isSettingsModule(mod.name) && !/(^|\/)(generated|__generated__)\//.test(mod.file);
}

function importersOf(index: ProjectIndex): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const edge of index.imports) out.set(edge.to, (out.get(edge.to) ?? new Set()).add(edge.from));
  return out;
}

export default defineCheck({
  id: "ARCH005",
  area: "architecture",
  title: "God module: one module or package does the work of many",
  severity: "low",
  kind: "concern",
  confidence: "high",
  why: "A module of thousands of lines or dozens of unrelated definitions, or a package everything imports and that imports everything, is where every change lands: merge conflicts pile up there, tests of one part load all of it, nobody owns it, and it ties the rest of the code base into one piece that cannot be split or extracted.",
  recommendation: "Split the module along its responsibilities (one module per aggregate or feature, with a package `__init__.py` re-exporting what callers use, so imports keep working), move shared helpers down into small focused modules, and keep the boundaries with an import-linter contract; for a god class, extract collaborators the class delegates to.",
  example: { bad: "# app/utils.py: 2,400 lines, 85 functions (dates, e-mail, billing, permissions)", good: "# app/utils/dates.py, app/notifications/email.py, app/billing/prices.py: one concern each" },
  references: ["https://import-linter.readthedocs.io/", "https://refactoring.guru/smells/large-class", "https://docs.python.org/3/tutorial/modules.html#packages"],
  effort: "L",
  libraries: ["import-linter", "pydeps", "radon"],
  run({ model, index }) {
    const importers = importersOf(index);
    const written = writtenFiles(index);
    const big: BigModule[] = [];
    for (const mod of index.modules.values()) {
      if (!isHandWrittenApplication(mod) || written.has(mod.file.split("/").slice(-2).join("/"))) continue;
      const codeLines = mod.facts.codeLines;
      const definitions = topLevelDefinitions(mod);
      if (codeLines > MAX_CODE_LINES || (definitions > MAX_DEFINITIONS && codeLines >= MIN_LINES_FOR_DEFINITIONS)) {
        if (!isDataModule(mod, definitions)) big.push({ mod, codeLines, definitions, importers: importers.get(mod.name)?.size ?? 0 });
      }
    }
    // the same module twice, line for line (`v2026_04/outputs.py`, `v2026_10/outputs.py`): generated per version, not designed
    const shape = (b: BigModule) => `${b.mod.name.split(".").pop()}:${b.codeLines}:${b.definitions}`;
    const shapes = new Map<string, number>();
    for (const b of big) shapes.set(shape(b), (shapes.get(shape(b)) ?? 0) + 1);
    big.splice(0, big.length, ...big.filter((b) => (shapes.get(shape(b)) ?? 0) === 1));
    // the biggest first: lines of code, then definitions, then how many modules depend on it
    big.sort((a, b) => b.codeLines - a.codeLines || b.definitions - a.definitions || b.importers - a.importers || (a.mod.name < b.mod.name ? -1 : 1));

    const godClasses: Array<{ mod: ModuleInfo; name: string; line: number; methods: number }> = [];
    for (const mod of index.modules.values()) {
      if (!isHandWrittenApplication(mod)) continue;
      for (const cls of mod.facts.classes) {
        const methods = mod.facts.functions.filter((f) => f.className === cls.name && f.qualname === `${cls.qualname}.${f.name}`).length;
        if (methods >= GOD_CLASS_METHODS) godClasses.push({ mod, name: cls.qualname, line: cls.line, methods });
      }
    }
    godClasses.sort((a, b) => b.methods - a.methods);

    // a package most others import and that imports most others: everything passes through it
    const packages = model.importGraph.packages.filter((p) => fileRole(p.file) === "application" && !isSettingsModule(p.name));
    const others = packages.length - 1;
    // the project's root package (`dispatch` above `dispatch.incident`, `dispatch.case`...) assembles the app: it is above them, not among them
    const isRoot = (name: string) => packages.filter((p) => p.name.startsWith(`${name}.`)).length >= others * 0.8;
    const hubs = packages.length < MIN_PACKAGES_FOR_HUB ? [] : packages.filter((p) => p.fanIn >= others * HUB_SHARE && p.fanOut >= others * HUB_SHARE && !isRoot(p.name)).sort((a, b) => b.fanIn + b.fanOut - (a.fanIn + a.fanOut));

    if (!big.length && !godClasses.length && !hubs.length) return [];
    // one finding: the biggest modules, then god classes, then hub packages
    const listed = big.slice(0, MAX_LISTED);
    const classes = godClasses.slice(0, MAX_LISTED);
    const hubsListed = hubs.slice(0, MAX_LISTED);
    const describe = (b: BigModule) => `${b.mod.name} (${b.codeLines.toLocaleString("en-US")} lines of code, ${b.definitions} top-level definitions, imported by ${b.importers} module${b.importers === 1 ? "" : "s"})`;
    const parts: string[] = [];
    if (listed.length) parts.push(`${big.length} oversized module${big.length === 1 ? "" : "s"} (over ${MAX_CODE_LINES.toLocaleString("en-US")} lines of code or ${MAX_DEFINITIONS} top-level definitions)${big.length > listed.length ? `, the ${listed.length} biggest` : ""}: ${listed.map(describe).join("; ")}.`);
    if (classes.length) parts.push(`God class${classes.length === 1 ? "" : "es"}: ${classes.map((c) => `${c.mod.name}.${c.name} with ${c.methods} methods`).join("; ")}.`);
    if (hubsListed.length) parts.push(`Hub package${hubsListed.length === 1 ? "" : "s"} most others import and that import${hubsListed.length === 1 ? "s" : ""} most others: ${hubsListed.map((h) => `${h.name} (imported by ${h.fanIn} of the ${others} other packages, imports ${h.fanOut} of them)`).join("; ")}; every change anywhere can reach ${hubsListed.length === 1 ? "it" : "them"}.`);
    const evidence: Evidence[] = [
      ...listed.map((b) => ({ file: b.mod.file, line: 1, snippet: `${b.codeLines} lines of code, ${b.definitions} definitions` })),
      ...classes.map((c) => ({ file: c.mod.file, line: c.line, snippet: `class ${c.name}: ${c.methods} methods` })),
      ...hubsListed.map((h) => ({ file: h.file, line: 1, snippet: `${h.name}: fan-in ${h.fanIn}, fan-out ${h.fanOut}, ${h.modules} modules` })),
    ];
    return [{ message: parts.join(" "), evidence }] satisfies Report[];
  },
});
