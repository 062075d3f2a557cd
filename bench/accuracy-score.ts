/**
 * The pure parts of the accuracy benchmark (bench/accuracy.ts): semgrep-rules labels, the span of the
 * statement a label points at, scoring tool findings against labels, and the tables.
 */
import type { Node } from "web-tree-sitter";
import { pythonParser } from "../src/python/parser.js";
import { type Family, FAMILIES, familyOfRule, isSecurityRulePath, OTHER_SECURITY } from "./accuracy-families.js";

export type LabelKind = "ruleid" | "ok";

/** One `# ruleid: a, b` or `# ok: a` comment and the code line it labels. */
export interface Label {
  file: string;
  /** 1-based line of the code the comment labels: the next line that is neither blank nor a comment. */
  line: number;
  kind: LabelKind;
  rules: string[];
}

const LABEL = /^\s*#\s*(todoruleid|todook|ruleid|ok)\s*:\s*(.*?)\s*$/;

/**
 * The labels of one semgrep-rules test file. `# todoruleid:` and `# todook:` mark what the rule
 * should but does not yet do: they are left out, as `semgrep --test` leaves them out.
 */
export function parseLabels(file: string, text: string): Label[] {
  const lines = text.split(/\r?\n/);
  const labels: Label[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = LABEL.exec(lines[i] ?? "");
    if (!m || m[1]?.startsWith("todo")) continue;
    const rules = (m[2] ?? "").split(",").map((r) => r.trim()).filter(Boolean);
    if (rules.length === 0) continue;
    let next = i + 1;
    while (next < lines.length && /^\s*(#.*)?$/.test(lines[next] ?? "")) next++;
    if (next >= lines.length) continue;
    labels.push({ file, line: next + 1, kind: m[1] as LabelKind, rules });
  }
  return labels;
}

/** A first and last line, 1-based and inclusive. */
export type Span = [number, number];

const DEFINITIONS = new Set(["function_definition", "class_definition", "decorated_definition"]);

function isStatement(node: Node): boolean {
  return node.type.endsWith("_statement") || DEFINITIONS.has(node.type);
}

/**
 * What a label covers, as semgrep matches it: a match starts on the labelled line and can run on. A
 * statement that starts there is covered whole (a call whose `verify=False` sits on its third line);
 * a function or class definition with its body (rules that match a whole handler); a compound
 * statement (`with`, `if`, `for`) by its header only. A label inside a statement (on the
 * `allow_origins=["*"],` line of a multi-line call) covers the innermost statement around it, so that
 * a tool reporting the call and one reporting the argument are scored alike.
 */
export async function labelSpans(text: string, lines: readonly number[]): Promise<Map<number, Span>> {
  const spans = new Map<number, Span>();
  const parser = await pythonParser();
  const tree = parser.parse(text);
  if (!tree) {
    for (const line of lines) spans.set(line, [line, line]);
    return spans;
  }
  try {
    for (const line of lines) {
      const node = statementStartingAt(tree.rootNode, line - 1) ?? innermostStatementAround(tree.rootNode, line - 1);
      spans.set(line, node ? statementSpan(node) : [line, line]);
    }
  } finally {
    tree.delete();
  }
  return spans;
}

function statementStartingAt(node: Node, row: number): Node | null {
  if (node.startPosition.row === row && isStatement(node)) return node;
  for (const child of node.namedChildren) {
    if (child.startPosition.row <= row && child.endPosition.row >= row) {
      const found = statementStartingAt(child, row);
      if (found) return found;
    }
  }
  return null;
}

function innermostStatementAround(node: Node, row: number): Node | null {
  for (const child of node.namedChildren) {
    if (child.startPosition.row <= row && child.endPosition.row >= row) {
      const inner = innermostStatementAround(child, row);
      if (inner) return inner;
      // a definition or compound statement around the line only through its body is not the line's statement
      return isStatement(child) && !child.childForFieldName("body") ? child : null;
    }
  }
  return null;
}

function statementSpan(node: Node): Span {
  const start = node.startPosition.row + 1;
  if (DEFINITIONS.has(node.type) || node.type === "expression_statement" || !node.children.some((c) => c.type === ":")) return [start, node.endPosition.row + 1];
  // a compound statement: its header, up to the colon
  const colon = node.children.find((c) => c.type === ":");
  return [start, (colon?.endPosition.row ?? node.startPosition.row) + 1];
}

/** One labelled line for one family: what is scored. */
export interface Unit {
  file: string;
  line: number;
  span: Span;
  kind: LabelKind;
  family: string;
  rules: string[];
}

/**
 * The scored units of a file's labels: each label's rules mapped to families (security rules outside
 * every family go to "other security"; the rest are not scored), one unit per line, kind and family.
 */
export function unitsOf(labels: readonly Label[], spans: ReadonlyMap<number, Span>): { units: Unit[]; unscored: Map<string, number> } {
  const byKey = new Map<string, Unit>();
  const unscored = new Map<string, number>();
  for (const label of labels) {
    for (const rule of label.rules) {
      const family = familyOfRule(rule)?.id ?? (isSecurityRulePath(label.file) ? OTHER_SECURITY : null);
      if (!family) {
        unscored.set(rule, (unscored.get(rule) ?? 0) + 1);
        continue;
      }
      const key = `${label.line}\0${label.kind}\0${family}`;
      const unit = byKey.get(key);
      if (unit) {
        if (!unit.rules.includes(rule)) unit.rules.push(rule);
        continue;
      }
      byKey.set(key, { file: label.file, line: label.line, span: spans.get(label.line) ?? [label.line, label.line], kind: label.kind, family, rules: [rule] });
    }
  }
  return { units: [...byKey.values()], unscored };
}

/** Where a tool flagged something of one family: a file and a line range (an evidence item, a Ruff or Bandit result). */
export interface Hit {
  file: string;
  start: number;
  end: number;
  family: string;
  /** The tool's rule or check id, for the details. */
  rule: string;
}

export interface Score {
  must: number;
  ok: number;
  tp: number;
  fp: number;
  /** `ruleid` lines no hit covered. */
  missed: Unit[];
  /** `ok` lines a hit covered, with the hits. */
  flagged: Array<{ unit: Unit; hits: Hit[] }>;
}

function emptyScore(): Score {
  return { must: 0, ok: 0, tp: 0, fp: 0, missed: [], flagged: [] };
}

/**
 * Scores hits against units, per family. A `ruleid` line is a true positive when a hit of its family
 * overlaps its span; an `ok` line so overlapped is a false positive. Recall = tp / must, FP rate = fp / ok.
 */
export function score(units: readonly Unit[], hits: readonly Hit[]): Map<string, Score> {
  const hitsBy = new Map<string, Hit[]>();
  for (const hit of hits) {
    const key = `${hit.file}\0${hit.family}`;
    const list = hitsBy.get(key);
    if (list) list.push(hit);
    else hitsBy.set(key, [hit]);
  }
  const scores = new Map<string, Score>();
  for (const unit of units) {
    const s = scores.get(unit.family) ?? emptyScore();
    scores.set(unit.family, s);
    const covering = (hitsBy.get(`${unit.file}\0${unit.family}`) ?? []).filter((h) => h.start <= unit.span[1] && h.end >= unit.span[0]);
    if (unit.kind === "ruleid") {
      s.must++;
      if (covering.length > 0) s.tp++;
      else s.missed.push(unit);
    } else {
      s.ok++;
      if (covering.length > 0) {
        s.fp++;
        s.flagged.push({ unit, hits: covering });
      }
    }
  }
  return scores;
}

/** Sums scores (the overall row). */
export function total(scores: ReadonlyArray<Score | undefined>): Score {
  const sum = emptyScore();
  for (const s of scores) {
    if (!s) continue;
    sum.must += s.must;
    sum.ok += s.ok;
    sum.tp += s.tp;
    sum.fp += s.fp;
    sum.missed.push(...s.missed);
    sum.flagged.push(...s.flagged);
  }
  return sum;
}

export const recall = (s: Score): number | null => (s.must ? s.tp / s.must : null);
export const fpRate = (s: Score): number | null => (s.ok ? s.fp / s.ok : null);

/**
 * Whether `a` beats `b` on a family: recall at least as high and FP rate at most as high, and better on
 * one of them (or already perfect). A missing rate (no line of that kind) is neither better nor worse.
 */
export function beats(a: Score, b: Score): boolean {
  const ra = recall(a) ?? 0;
  const rb = recall(b) ?? 0;
  const fa = fpRate(a) ?? 0;
  const fb = fpRate(b) ?? 0;
  if (ra < rb || fa > fb) return false;
  return ra > rb || fa < fb || (ra === 1 && fa === 0);
}

function percent(part: number, whole: number): string {
  return whole ? `${Math.round((100 * part) / whole)}% (${part}/${whole})` : "–";
}

export interface Column {
  name: string;
  /** Scores per family; null: the tool did not run. */
  scores: ReadonlyMap<string, Score> | null;
}

export interface TableInput {
  archscope: ReadonlyMap<string, Score>;
  /** Family ids archscope has a registered check for. */
  covered: ReadonlySet<string>;
  others: readonly Column[];
  /** Which archscope checks are registered for each family. */
  registered: ReadonlyMap<string, string[]>;
}

/** The rows of the main table (covered families, overall) and of the not-covered table. */
export function tables(input: TableInput): { header: string[]; covered: string[][]; notCovered: string[][] } {
  const header = ["family", "checks", "must", "ok", "archscope recall", "archscope FP", ...input.others.flatMap((c) => [`${c.name} recall`, `${c.name} FP`]), "beats all"];
  const families = [...FAMILIES.map((f): Pick<Family, "id" | "checks"> => f), { id: OTHER_SECURITY, checks: [] }];
  const labelled = (id: string): Score | undefined => input.archscope.get(id);
  const cells = (s: Score): string[] => [percent(s.tp, s.must), percent(s.fp, s.ok)];
  const ran = input.others.filter((c) => c.scores);
  const verdict = (a: Score, others: Array<Score | undefined>): string => (ran.length === 0 ? "" : others.every((o, i) => !input.others[i]?.scores || beats(a, o ?? emptyScore())) ? "yes" : "no");
  const row = (id: string, checks: string, counts: Score, archscope: Score | null, others: Array<Score | undefined>, beatsAll: string): string[] => [
    id,
    checks,
    String(counts.must),
    String(counts.ok),
    ...(archscope ? cells(archscope) : ["not covered", ""]),
    ...others.flatMap((s, i) => (input.others[i]?.scores ? cells(s ?? blank(counts)) : ["not run", ""])),
    beatsAll,
  ];
  const otherScores = (ids: string[], fill: (id: string) => Score | undefined): Array<Score | undefined> =>
    input.others.map((c) => (c.scores ? total(ids.map((id) => c.scores?.get(id) ?? blank(fill(id)))) : undefined));
  const covered: string[][] = [];
  const notCovered: string[][] = [];
  for (const family of families) {
    const s = labelled(family.id);
    if (!s) continue;
    const others = otherScores([family.id], labelled);
    if (input.covered.has(family.id)) {
      covered.push(row(family.id, (input.registered.get(family.id) ?? []).join(" "), s, s, others, verdict(s, others)));
    } else {
      const planned = family.checks.length ? `${family.checks.join(" ")} (not registered)` : "none planned";
      notCovered.push(row(family.id, planned, s, null, others, ""));
    }
  }
  const coveredIds = families.map((f) => f.id).filter((id) => input.covered.has(id) && labelled(id));
  const overall = total(coveredIds.map(labelled));
  const overallOthers = otherScores(coveredIds, labelled);
  covered.push(row("overall (covered)", "", overall, overall, overallOthers, verdict(overall, overallOthers)));
  // every scored family, archscope's not-covered ones counting as misses: the figure to compare with the issue's
  const allIds = families.map((f) => f.id).filter((id) => labelled(id) && id !== OTHER_SECURITY);
  const all = total(allIds.map((id) => (input.covered.has(id) ? labelled(id) : blank(labelled(id)))));
  covered.push(row("all mapped families", "", all, all, otherScores(allIds, labelled), ""));
  return { header, covered, notCovered };
}

/** The labelled counts of a score with nothing found (a tool that does not cover the family). */
function blank(s: Score | undefined): Score {
  return { ...emptyScore(), must: s?.must ?? 0, ok: s?.ok ?? 0 };
}

export function renderText(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ").trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

export function renderMarkdown(header: string[], rows: string[][]): string {
  const line = (cells: string[]): string => `| ${cells.map((c) => c.replace(/\|/g, "\\|")).join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}
