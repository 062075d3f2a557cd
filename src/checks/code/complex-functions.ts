import type { Evidence } from "../../model/types.js";
import type { FunctionFact } from "../../python/facts.js";
import { defineCheck } from "../define.js";
import { plural } from "../../core/prose.js";
import { applicationModules } from "./application-code.js";

/** McCabe's own threshold is 10; Ruff's C901 default too. Over 15 is hard to test and review by any standard. */
const MAX_COMPLEXITY = 15;
const MAX_CODE_LINES = 100;
/** A long function with hardly a branch is a table or a template context (`return {...}` over 150 lines): long, not complex. */
const MIN_COMPLEXITY_FOR_LENGTH = 5;
/** One or two long functions are a fact of life; the finding needs a pattern, or one extreme case. */
const MIN_FUNCTIONS = 3;
const EXTREME_COMPLEXITY = 30;
const EXTREME_LINES = 200;
const MAX_LISTED = 5;

interface Complex {
  file: string;
  fn: FunctionFact;
}

/** Worst first: complexity over the threshold weighs more than length. */
function badness(f: FunctionFact): number {
  return Math.max(f.complexity / MAX_COMPLEXITY, f.codeLines / MAX_CODE_LINES);
}

export default defineCheck({
  id: "CODE005",
  area: "code",
  title: "Very complex functions",
  severity: "low",
  kind: "concern",
  confidence: "high",
  why: "A function with more than 15 independent paths, or more than 100 lines, cannot be understood in one reading nor tested path by path: bugs hide in branches no test reaches, and every change to it risks the others. Such functions are also where merge conflicts and duplicated fixes gather.",
  recommendation: "Split the worst functions along their branches: extract each case into a named helper or a small strategy table, return early instead of nesting, and move validation into pydantic models or DRF serializers. Keep it from growing back with Ruff's `C901` (mccabe) and `PLR0912`/`PLR0915` rules, or radon/xenon in CI.",
  example: {
    bad: "def checkout(cart, user, coupon, region):  # 180 lines, complexity 34\n    if user.is_guest:\n        ...",
    good: "def checkout(cart, user, coupon, region):\n    price = price_cart(cart, coupon)\n    tax = tax_for(region, price)\n    return place_order(user, cart, price + tax)",
  },
  references: ["https://docs.astral.sh/ruff/rules/complex-structure/", "https://radon.readthedocs.io/en/latest/intro.html", "https://en.wikipedia.org/wiki/Cyclomatic_complexity"],
  effort: "M",
  libraries: ["ruff", "radon", "xenon", "mccabe"],
  run({ index }) {
    const all: Complex[] = [];
    let total = 0;
    for (const mod of applicationModules(index)) {
      for (const fn of mod.facts.functions) {
        total++;
        if (fn.complexity > MAX_COMPLEXITY || (fn.codeLines > MAX_CODE_LINES && fn.complexity >= MIN_COMPLEXITY_FOR_LENGTH)) all.push({ file: mod.file, fn });
      }
    }
    if (!all.length) return [];
    all.sort((a, b) => badness(b.fn) - badness(a.fn) || (a.file < b.file ? -1 : a.file > b.file ? 1 : a.fn.line - b.fn.line));
    const extreme = all.some(({ fn }) => fn.complexity >= EXTREME_COMPLEXITY || (fn.codeLines >= EXTREME_LINES && fn.complexity >= MIN_COMPLEXITY_FOR_LENGTH));
    if (all.length < MIN_FUNCTIONS && !extreme) return [];
    const branching = all.filter(({ fn }) => fn.complexity > MAX_COMPLEXITY).length;
    const long = all.filter(({ fn }) => fn.codeLines > MAX_CODE_LINES && fn.complexity >= MIN_COMPLEXITY_FOR_LENGTH).length;
    const worst = all.slice(0, MAX_LISTED);
    const listed = worst.map(({ file, fn }) => `${fn.qualname} (${file}:${fn.line}, complexity ${fn.complexity}, ${fn.codeLines} lines)`);
    const evidence: Evidence[] = worst.map(({ file, fn }) => ({ file, line: fn.line, endLine: fn.endLine, snippet: `def ${fn.name}(...): complexity ${fn.complexity}, ${fn.codeLines} lines` }));
    return [
      {
        message: `${plural(all.length, "function")} of ${total.toLocaleString("en-US")} in application code are very complex (${branching} with cyclomatic complexity over ${MAX_COMPLEXITY}, ${long} over ${MAX_CODE_LINES} lines of code); the worst: ${listed.join("; ")}${all.length > MAX_LISTED ? `, and ${all.length - MAX_LISTED} more` : ""}.`,
        evidence,
      },
    ];
  },
});
