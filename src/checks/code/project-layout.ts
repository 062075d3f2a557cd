import { fileRole, runsInProduction } from "../../core/file-roles.js";
import type { Evidence } from "../../model/types.js";
import type { ModuleInfo } from "../../python/project-index.js";
import { defineCheck } from "../define.js";
import { plural } from "../../core/prose.js";
import { applicationModules } from "./application-code.js";

const MAX_PACKAGES = 8;
const MAX_ENTRY_POINTS = 4;

/** The folder a test file sits under, as a reader names it: `tests/`, `app/tests/`, or `beside the code`. */
function testHome(path: string): string {
  const parts = path.split("/");
  const at = parts.findIndex((p) => /^(tests?|testing|e2e|integration_tests|unit_tests)$/i.test(p));
  if (at === 0) return `${parts[0]}/`;
  if (at > 0) return at === 1 ? `${parts[0]}/${parts[1]}/` : `${parts[at]}/ folders inside packages`;
  return "test_*.py files beside the code";
}

/** The folder of the top-level package a module belongs to (`src/shop`, `backend/app`), or null for a standalone module. */
function packageFolder(mod: ModuleInfo): string | null {
  const top = mod.name.split(".")[0] as string;
  // `gunicorn-prod.conf.py` reads as a dotted name but is one file
  if ((!mod.name.includes(".") && !mod.isPackage) || !/^[A-Za-z_]\w*$/.test(top)) return null;
  const parts = mod.file.split("/");
  const at = parts.lastIndexOf(top, parts.length - (mod.name.split(".").length - (mod.isPackage ? 0 : 1)));
  return at >= 0 ? parts.slice(0, at + 1).join("/") : top;
}

export default defineCheck({
  id: "CODE001",
  area: "code",
  title: "Project layout",
  severity: "info",
  kind: "info",
  confidence: "high",
  why: "Where the code, its entry points and its tests live decides how the service is packaged, imported and tested: a src layout keeps tests honest about the installed package, a flat layout lets them import the working tree; entry points show how it starts; size figures put every other finding in proportion.",
  recommendation: "Keep one obvious layout: the application as an importable package (a `src/` layout for libraries and multi-package repositories), tests in a `tests/` folder that mirrors it, and one documented entry point per process (web server, worker, CLI) declared in `pyproject.toml` `[project.scripts]` or the deployment files.",
  example: { bad: "main.py, utils.py, models.py and test_models.py side by side at the repository root", good: "src/shop/{api,orders,payments}/ ; tests/{api,orders,payments}/ ; pyproject.toml with [project.scripts]" },
  references: ["https://packaging.python.org/en/latest/discussions/src-layout-vs-flat-layout/", "https://docs.pytest.org/en/stable/explanation/goodpractices.html#choosing-a-test-layout"],
  effort: "S",
  libraries: [],
  run({ model, index }) {
    const modules = applicationModules(index);
    if (!modules.length) return [];
    const src = modules.filter((m) => m.file.startsWith("src/")).length;
    const layout = src >= modules.length / 2 ? "src layout (code under src/)" : "flat layout (packages at the repository root or in service folders)";
    const packages = new Map<string, { lines: number; file: string }>();
    let standalone = 0;
    for (const mod of modules) {
      const top = packageFolder(mod);
      if (top === null) {
        standalone++;
        continue;
      }
      const entry = packages.get(top) ?? { lines: 0, file: mod.file };
      entry.lines += mod.facts.codeLines;
      packages.set(top, entry);
    }
    const ranked = [...packages].sort((a, b) => b[1].lines - a[1].lines || (a[0] < b[0] ? -1 : 1));
    const codeLines = modules.reduce((sum, m) => sum + m.facts.codeLines, 0);
    const functions = modules.reduce((sum, m) => sum + m.facts.functions.length, 0);
    const classes = modules.reduce((sum, m) => sum + m.facts.classes.length, 0);
    const entryPoints = [
      ...model.appFiles.filter((f) => fileRole(f) === "application").map((f) => `${f} (web application)`),
      ...modules.filter((m) => /(^|\/)manage\.py$/.test(m.file)).map((m) => `${m.file} (Django management)`),
      ...model.composeServices.filter((c) => c.server && runsInProduction(fileRole(c.file))).map((c) => `${c.name} in ${c.file} (${c.server?.server})`),
    ];
    const uniqueEntries = [...new Set(entryPoints)];
    const homes = new Map<string, number>();
    for (const path of model.tests.paths) homes.set(testHome(path), (homes.get(testHome(path)) ?? 0) + 1);
    const tests = model.tests.files
      ? `${plural(model.tests.files, "test file")} with ${plural(model.tests.functions, "test function")}, in ${[...homes].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([home, n]) => `${home} (${n})`).join(", ")}`
      : "no test files";
    const parts = [
      `${layout}`,
      `${plural(packages.size, "top-level package")}${packages.size ? `: ${ranked.slice(0, MAX_PACKAGES).map(([name, p]) => `${name} (${p.lines.toLocaleString("en-US")} lines)`).join(", ")}${packages.size > MAX_PACKAGES ? ", ..." : ""}` : ""}${standalone ? ` and ${plural(standalone, "standalone module")}` : ""}`,
      `entry points: ${uniqueEntries.length ? uniqueEntries.slice(0, MAX_ENTRY_POINTS).join(", ") + (uniqueEntries.length > MAX_ENTRY_POINTS ? `, and ${uniqueEntries.length - MAX_ENTRY_POINTS} more` : "") : "none found"}`,
      `tests: ${tests}`,
      `size: ${plural(modules.length, "application module")}, ${codeLines.toLocaleString("en-US")} lines of code, ${plural(functions, "function")}, ${plural(classes, "class")}, ${plural(model.endpoints.length, "route")}`,
    ];
    const evidence: Evidence[] = [{ file: model.manifests.find((m) => m.endsWith("pyproject.toml")) ?? model.appFiles[0] ?? (modules[0] as ModuleInfo).file, line: null, snippet: layout }];
    return [{ message: `Layout: ${parts.join("; ")}.`, evidence }];
  },
});
