import type { Evidence, SystemModel, ToolConfig } from "../../model/types.js";
import type { FunctionFact } from "../../python/facts.js";
import { defineCheck } from "../define.js";
import { appFile } from "../handlers.js";
import { applicationModules } from "./application-code.js";

/** Below this share of fully annotated functions, and with no type checker, the code is effectively untyped. */
const LOW_COVERAGE = 0.5;
/** Too few functions to speak of a codebase's habits. */
const MIN_FUNCTIONS = 20;
const MAX_LISTED = 4;
/** Receivers and catch-alls that are conventionally left unannotated. */
const IMPLICIT_PARAMS = new Set(["self", "cls", "mcs", "metacls", "args", "kwargs"]);

/** Parameters and return both annotated (`__init__` needs no return annotation once a parameter is annotated, as mypy reads it). */
function fullyAnnotated(fn: FunctionFact): boolean {
  const params = fn.params.filter((p) => !IMPLICIT_PARAMS.has(p.name));
  if (params.some((p) => p.annotation === null)) return false;
  return fn.returns !== null || (fn.name === "__init__" && params.length > 0);
}

function anyAnnotation(fn: FunctionFact): boolean {
  return fn.returns !== null || fn.params.some((p) => p.annotation !== null);
}

/** Places an annotation can go (explicit parameters and the return, `__init__`'s return aside) and how many have one. */
function slots(fn: FunctionFact): { total: number; annotated: number } {
  const params = fn.params.filter((p) => !IMPLICIT_PARAMS.has(p.name));
  const wantsReturn = fn.name !== "__init__";
  return { total: params.length + (wantsReturn ? 1 : 0), annotated: params.filter((p) => p.annotation !== null).length + (wantsReturn && fn.returns !== null ? 1 : 0) };
}

/** Functions of modules and methods of their classes; closures inside functions are left out (their types are inferred from the outer one's). */
function topLevel(fn: FunctionFact): boolean {
  return fn.qualname.split(".").length <= (fn.className ? 2 : 1);
}

const at = (t: ToolConfig) => `${t.file}${t.line !== null ? `:${t.line}` : ""}`;

/** A type checker the repository configures, runs as a hook or runs in CI; null when none. */
export function configuredTypeChecker(model: SystemModel): string | null {
  const tool = (model.toolConfigs ?? []).find((t) => t.kind === "type-checker" && t.source !== "dependency");
  if (tool) return `${tool.tool} (${tool.detail}, ${at(tool)})`;
  const ci = model.ci.find((c) => c.jobs.some((j) => j.typeCheck));
  return ci ? `a type check in CI (${ci.file})` : null;
}

export default defineCheck({
  id: "CODE002",
  area: "code",
  title: "Low type-hint coverage and no type checker",
  severity: "low",
  kind: "concern",
  confidence: "medium",
  why: "Without annotations and a type checker, the contracts between modules live only in their authors' heads: a renamed field, a `None` that was never expected or a wrong argument order is found in production rather than in the editor or CI. Annotations also document the code, and they are what FastAPI, pydantic and editors build on.",
  recommendation: "Configure a type checker (mypy or pyright) in pyproject.toml and run it in CI and pre-commit; start lenient (check the annotated code, `ignore_missing_imports`), annotate the public functions of the service and repository layers first, then tighten module by module (`disallow_untyped_defs` per package). MonkeyType or pyannotate can draft annotations from a test run.",
  example: {
    bad: "def apply_discount(order, code):\n    ...",
    good: "def apply_discount(order: Order, code: str) -> Decimal:\n    ...\n\n# pyproject.toml\n[tool.mypy]\nstrict = false\nwarn_unused_ignores = true",
  },
  references: ["https://mypy.readthedocs.io/en/stable/existing_code.html", "https://microsoft.github.io/pyright/#/configuration", "https://peps.python.org/pep-0484/"],
  effort: "M",
  libraries: ["mypy", "pyright", "monkeytype"],
  run({ model, index }) {
    let total = 0;
    let full = 0;
    let partial = 0;
    let slotTotal = 0;
    let slotAnnotated = 0;
    const byModule: Array<{ file: string; total: number; bare: FunctionFact[] }> = [];
    for (const mod of applicationModules(index)) {
      const fns = mod.facts.functions.filter(topLevel);
      const bare = fns.filter((f) => !fullyAnnotated(f));
      total += fns.length;
      full += fns.length - bare.length;
      partial += fns.filter((f) => anyAnnotation(f)).length;
      for (const f of fns) {
        const { total: t, annotated: a } = slots(f);
        slotTotal += t;
        slotAnnotated += a;
      }
      if (bare.length) byModule.push({ file: mod.file, total: fns.length, bare });
    }
    if (total < MIN_FUNCTIONS) return [];
    // low by both measures: functions fully annotated, and parameters and returns annotated (code that annotates its
    // parameters but not its returns is documented, if not checked)
    const slotShare = slotTotal ? slotAnnotated / slotTotal : 0;
    if (full / total >= LOW_COVERAGE || slotShare >= LOW_COVERAGE) return [];
    if (configuredTypeChecker(model)) return [];
    const pct = (n: number) => `${Math.round((n / total) * 100)} %`;
    byModule.sort((a, b) => b.bare.length - a.bare.length || (a.file < b.file ? -1 : 1));
    const worst = byModule.slice(0, MAX_LISTED);
    const installed = (model.toolConfigs ?? []).filter((t) => t.kind === "type-checker" && t.source === "dependency");
    const installedNote = installed.length
      ? ` ${installed.map((t) => `${t.tool} is installed (${t.detail}, ${at(t)})`).join("; ")} but not configured nor run in CI or pre-commit${installed.some((t) => t.tool === "mypy") ? ", and mypy skips the bodies of unannotated functions by default" : ""}.`
      : " No type checker (mypy, pyright, pyre) is configured, run in CI or installed.";
    const evidence: Evidence[] = [
      // the fix belongs in pyproject.toml; a dev requirements file would read as tooling, so it comes second
      { file: model.manifests.find((m) => m === "pyproject.toml") ?? model.manifests.find((m) => m.endsWith("pyproject.toml")) ?? model.appFiles[0] ?? worst[0]?.file ?? appFile(model), line: null },
      ...installed.slice(0, 1).map((t) => ({ file: t.file, line: t.line, snippet: t.detail })),
      ...worst.map((m) => ({ file: m.file, line: m.bare[0]?.line ?? null, snippet: `${m.bare.length} of ${m.total} functions not fully annotated` })),
    ];
    return [
      {
        message: `${full.toLocaleString("en-US")} of ${total.toLocaleString("en-US")} application functions (${pct(full)}) annotate every parameter and the return; ${pct(partial)} have at least one annotation, and ${Math.round(slotShare * 100)} % of parameters and returns are annotated.${installedNote} Least annotated: ${worst.map((m) => `${m.file} (${m.bare.length} of ${m.total})`).join(", ")}.`,
        evidence,
      },
    ];
  },
});
