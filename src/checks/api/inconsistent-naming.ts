import type { Endpoint, Evidence } from "../../model/types.js";
import type { ProjectIndex } from "../../python/project-index.js";
import { defineCheck } from "../define.js";
import { apiEndpoints, handlerOf, literalSegments, mostlyPages, where } from "./api-surface.js";

type CaseStyle = "camelCase" | "snake_case" | "kebab-case";

/** Verbs that make a path a remote procedure name (`/getUser`, `/create_order`, `/delete-item`). */
const CRUD_VERB = /^(get|fetch|retrieve|list|create|add|insert|new|update|edit|modify|set|save|delete|remove|destroy|put|post|patch|do|make)$/;
/** What follows the verb and makes it a conventional action rather than a procedure name (`set-password`, `get-token`). */
const CONVENTIONAL_OBJECT = /^(password|passwords|token|tokens|csrf|session|status|config|settings|started|default|primary|me|self|current|all|dialog|modal|form|page|view|preview|button)$/;
/** A fraction of the multi-word segments written in a second style that is a habit, not a slip. */
const MINORITY_SHARE = 0.2;
const MIN_MINORITY = 2;
const MIN_VERB_PATHS = 2;

function styleOf(segment: string): CaseStyle | null {
  if (/^[a-z][a-z0-9]*([A-Z][a-z0-9]*)+$/.test(segment)) return "camelCase";
  if (/^[a-z][a-z0-9]*(_[a-z0-9]+)+$/.test(segment)) return "snake_case";
  if (/^[a-z][a-z0-9]*(-[a-z0-9]+)+$/.test(segment)) return "kebab-case";
  return null;
}

function wordsOf(segment: string): string[] {
  return segment
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .split(/[-_]/)
    .filter(Boolean);
}

/** A DRF `@action` (its path is an action by design) or a route the team marks as an RPC call. */
function isDeclaredAction(index: ProjectIndex, e: Endpoint): boolean {
  return handlerOf(index, e)?.fact.decorators.some((d) => /(^|\.)action$/.test(d.name) || /(^|\.)(detail_route|list_route)$/.test(d.name)) ?? false;
}

/** `/getUser` → `get`: a path segment that is a verb and the thing it acts on. */
function verbSegment(segment: string): string | null {
  const words = wordsOf(segment);
  if (words.length < 2 || !CRUD_VERB.test(words[0] as string)) return null;
  if (words.slice(1).some((w) => CONVENTIONAL_OBJECT.test(w))) return null;
  return segment;
}

/** The plural a resource segment would have (`user` → `users`, `category` → `categories`). */
function pluralOf(word: string): string {
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(word)) return `${word}es`;
  return `${word}s`;
}

function example(e: Endpoint): string {
  return `${e.method} ${e.path} (${where(e)})`;
}

export default defineCheck({
  id: "API007",
  area: "api",
  title: "Inconsistent resource naming",
  severity: "low",
  kind: "concern",
  confidence: "medium",
  why: "Paths are the API's vocabulary. When some are camelCase and others snake_case, some name verbs (`/getUser`) and others resources, and one resource is `/user` here and `/users` there, every client developer has to look each route up, generated SDKs get uneven method names, and each new route adds to the mix instead of following a rule.",
  recommendation: "Pick one convention and write it down: plural nouns for collections (`/users`, `/users/{id}`), one case style for multi-word segments (kebab-case is the most common in URLs), and HTTP methods instead of verbs (`POST /orders` rather than `/createOrder`); keep verbs for actions that are not CRUD (`/orders/{id}/cancel`). Rename in a new API version, keeping old paths as aliases until clients move.",
  example: { bad: "GET /getUser/{id}\nPOST /create_order\nGET /orderItems", good: "GET /users/{id}\nPOST /orders\nGET /order-items" },
  references: ["https://cloud.google.com/apis/design/resource_names", "https://github.com/microsoft/api-guidelines/blob/vNext/azure/Guidelines.md"],
  effort: "M",
  libraries: [],
  run({ model, index }) {
    const api = apiEndpoints(model, index);
    if (api.length < 3 || mostlyPages(model, api)) return [];
    const problems: string[] = [];
    const evidence: Evidence[] = [];
    const cite = (e: Endpoint) => {
      if (!evidence.some((x) => x.file === e.file && x.line === e.line)) evidence.push({ file: e.file, line: e.line, snippet: `${e.method} ${e.path} → ${e.handler}` });
    };

    // case styles, over distinct multi-word literal segments
    const byStyle = new Map<CaseStyle, Map<string, Endpoint>>();
    for (const e of api) {
      if (isDeclaredAction(index, e)) continue;
      for (const s of literalSegments(e.path)) {
        const style = styleOf(s);
        if (!style) continue;
        const seen = byStyle.get(style) ?? new Map<string, Endpoint>();
        if (!seen.has(s)) seen.set(s, e);
        byStyle.set(style, seen);
      }
    }
    const styles = [...byStyle].sort((a, b) => b[1].size - a[1].size);
    const total = styles.reduce((n, [, s]) => n + s.size, 0);
    const [majority, ...minorities] = styles;
    const mixed = minorities.filter(([, segs]) => segs.size >= MIN_MINORITY && segs.size >= MINORITY_SHARE * total);
    if (majority && mixed.length && total >= 5) {
      const parts = mixed.map(([style, segs]) => `${segs.size} ${style} (${[...segs].slice(0, 3).map(([s, e]) => `\`${s}\` in ${example(e)}`).join(", ")})`);
      problems.push(`path segments mix case styles: ${majority[1].size} ${majority[0]} (e.g. \`${[...majority[1].keys()][0]}\`) against ${parts.join(" and ")}`);
      for (const [, segs] of mixed) for (const e of [...segs.values()].slice(0, 3)) cite(e);
    }

    // verbs in paths
    const verbPaths = api.filter((e) => !isDeclaredAction(index, e) && literalSegments(e.path).some((s) => verbSegment(s) !== null)).sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
    if (verbPaths.length >= MIN_VERB_PATHS) {
      problems.push(`${verbPaths.length} paths name a verb instead of a resource (${verbPaths.slice(0, 4).map(example).join(", ")})`);
      for (const e of verbPaths.slice(0, 4)) cite(e);
    }

    // singular and plural of one resource: `/user/{id}` beside `/users`
    const segmentsUsed = new Map<string, Endpoint>();
    for (const e of api) for (const s of literalSegments(e.path)) if (!segmentsUsed.has(s)) segmentsUsed.set(s, e);
    const pairs: string[] = [];
    for (const e of api) {
      const parts = e.path.split("/").filter(Boolean);
      for (let i = 0; i + 1 < parts.length; i++) {
        const word = parts[i] as string;
        // a singular segment addressing one item by id, where the plural segment exists too
        if (!/^[a-z][a-z-]*[a-rt-z]$/.test(word) || !/^[{<]/.test(parts[i + 1] as string)) continue;
        const other = segmentsUsed.get(pluralOf(word));
        if (other && !pairs.some((p) => p.startsWith(`\`/${word}/`))) {
          pairs.push(`\`/${word}/${parts[i + 1]}\` in ${example(e)} beside \`/${pluralOf(word)}\` in ${example(other)}`);
          cite(e);
          cite(other);
        }
      }
    }
    if (pairs.length) problems.push(`singular and plural name one resource: ${pairs.slice(0, 3).join("; ")}`);

    if (!problems.length) return [];
    return [{ message: `Route names follow no single convention: ${problems.join("; ")}.`, evidence: evidence.slice(0, 12) }];
  },
});
