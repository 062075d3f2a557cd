import { stringify } from "yaml";

/**
 * A lenient, partial Helm renderer: enough of Go templates to read a chart's workloads with the
 * chart's default values (`values.yaml`, `Chart.yaml`), never enough to replace `helm template`.
 * It follows the template as a stream of text and actions, with Go's `{{-`/`-}}` whitespace
 * trimming, so whole-line and inline control actions behave as in Helm. Whatever it cannot evaluate
 * (`include`, `.Release`, `$variables`, unknown functions) stays unknown: an inline expression
 * becomes a placeholder that reads back as its template text, a block one (`| nindent 8`) becomes a
 * placeholder entry, so the YAML around it still parses and "unknown" is never taken for "absent".
 * `range` renders its body once, with an unknown element.
 */

/** A value the renderer could not work out. */
export const UNKNOWN: unique symbol = Symbol("unknown");
type Value = unknown;

export interface ChartContext {
  /** Parsed `values.yaml`, UNKNOWN when the chart has none. */
  values: Value;
  /** Parsed `Chart.yaml`, UNKNOWN when absent. */
  chart: Value;
}

export interface RenderedTemplate {
  text: string;
  /** Line of the template for a line of `text`. */
  originalLine(line: number): number;
  /** A parsed value with placeholders resolved: known values in place, unknown ones as their `{{ ... }}` text. */
  resolve(value: unknown): unknown;
}

interface Placeholder {
  source: string;
  value: Value;
}

interface Frame {
  kind: "if" | "with" | "range" | "define" | "block";
  active: boolean;
  /** Some earlier branch of an if/else chain was taken for sure. */
  taken: boolean;
  /** An earlier branch's condition was unknown: every later branch is rendered too. */
  lenient: boolean;
  /** `.` inside this frame. */
  dot: Value;
}

/** `{{ action }}` with its trim markers: `{{- ` trims whitespace before, ` -}}` after. */
const ACTION = /\{\{(-\s)?\s*([\s\S]*?)\s*(\s-)?\}\}/g;
const PLACEHOLDER = /__tpl(\d+)__/g;

/** Renders a template, keeping a map from rendered lines back to template lines. */
export function renderTemplate(template: string, context: ChartContext): RenderedTemplate {
  const rootDot: Value = context.values === UNKNOWN ? UNKNOWN : { Values: context.values, Chart: context.chart };
  const lines: string[] = [""];
  const origins: number[] = [1];
  const placeholders: Placeholder[] = [];
  const frames: Frame[] = [];
  const isActive = () => frames.every((f) => f.active);
  const dot = (): Value => frames[frames.length - 1]?.dot ?? rootDot;

  /** Appends text; lines it starts come from `line` onwards (source text) or all from `line` (generated). */
  const emit = (text: string, line: number, generated: boolean) => {
    const parts = text.split("\n");
    lines[lines.length - 1] += parts[0] ?? "";
    for (let i = 1; i < parts.length; i++) {
      lines.push(parts[i] ?? "");
      origins.push(generated ? line : line + i);
    }
  };
  const trimOutputEnd = () => {
    while (lines.length > 1 && (lines[lines.length - 1] ?? "").trim() === "") {
      lines.pop();
      origins.pop();
    }
    lines[lines.length - 1] = (lines[lines.length - 1] ?? "").trimEnd();
  };
  const placeholder = (source: string, value: Value) => {
    placeholders.push({ source: `{{ ${source.replace(/\s+/g, " ")} }}`, value });
    return `__tpl${placeholders.length - 1}__`;
  };

  let position = 0;
  let line = 1;
  let trimNext = false;
  let previousWasEmittedText = false;
  const advance = (to: number) => {
    for (let i = position; i < to; i++) if (template.charCodeAt(i) === 10) line++;
    position = to;
  };

  for (const match of template.matchAll(ACTION)) {
    const start = match.index ?? 0;
    let text = template.slice(position, start);
    let textLine = line;
    if (trimNext) {
      const kept = text.trimStart();
      textLine += countNewlines(text.slice(0, text.length - kept.length));
      text = kept;
    }
    if (isActive() && text !== "") {
      emit(text, textLine, false);
      previousWasEmittedText = true;
    } else {
      previousWasEmittedText = false;
    }
    advance(start);
    const [whole, leftTrim, action = "", rightTrim] = match;
    if (leftTrim && previousWasEmittedText) trimOutputEnd();
    const actionLine = line;
    const restOfLine = template.slice(start + whole.length, indexOrEnd(template, "\n", start + whole.length));
    previousWasEmittedText = false;
    trimNext = Boolean(rightTrim);
    advance(start + whole.length);

    if (action.startsWith("/*") || applyControl(action, frames, context, dot, rootDot)) continue;
    if (!isActive()) continue;
    const { value, indent, newline, yaml } = evaluatePipeline(action, context, dot());
    const current = lines[lines.length - 1] ?? "";
    const atLineStart = current.trim() === "" && (restOfLine.trim() === "" || trimNext);
    if (value === UNKNOWN) {
      // Block content nobody can see (an `include`, values the renderer cannot read) becomes one
      // placeholder entry at its indentation; `x: {{- include ... | indent 4 }}` only parses in Helm
      // when the included text starts with a newline, so it is taken to.
      const blankLine = current.trim() === "";
      const ownLine = newline || (indent !== undefined && !blankLine);
      if (ownLine || (blankLine && (indent !== undefined || atLineStart))) {
        const at = clampUnderParent(lines, ownLine ? lines.length - 1 : lines.length - 2, (indent ?? 0) + (ownLine ? 0 : current.length));
        const token = placeholder(action, UNKNOWN);
        const entry = entryIsListItem(lines, template, position, at) ? `- ${token}` : `${token}:`;
        if (!ownLine) lines[lines.length - 1] = "";
        emit(`${ownLine ? "\n" : ""}${" ".repeat(at)}${entry}`, actionLine, true);
      } else {
        emit(placeholder(action, UNKNOWN), actionLine, true);
      }
    } else if (newline || indent !== undefined || (atLineStart && (yaml || isCollection(value)))) {
      const pad = " ".repeat(indent ?? 0);
      const block = dumpLines(value, yaml).map((l) => pad + l).join("\n");
      emit(newline ? `\n${block}` : block, actionLine, true);
    } else {
      emit(placeholder(action, value), actionLine, true);
    }
  }
  let rest = template.slice(position);
  let restLine = line;
  if (trimNext) {
    const kept = rest.trimStart();
    restLine += countNewlines(rest.slice(0, rest.length - kept.length));
    rest = kept;
  }
  if (isActive()) emit(rest, restLine, false);

  const resolveString = (text: string): unknown => {
    const whole = /^__tpl(\d+)__$/.exec(text);
    if (whole) {
      const entry = placeholders[Number(whole[1])];
      if (!entry) return text;
      return entry.value === UNKNOWN || entry.value === undefined ? entry.source : entry.value;
    }
    return text.replace(PLACEHOLDER, (token, n: string) => {
      const entry = placeholders[Number(n)];
      if (!entry) return token;
      return entry.value === UNKNOWN || isCollection(entry.value) ? entry.source : goString(entry.value);
    });
  };
  const resolve = (value: unknown): unknown => {
    if (typeof value === "string") return resolveString(value);
    if (Array.isArray(value)) return value.map(resolve);
    if (value !== null && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [String(resolveString(k)), resolve(v)]));
    }
    return value;
  };
  return { text: lines.join("\n"), originalLine: (n) => origins[n - 1] ?? n, resolve };
}

function countNewlines(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

function indexOrEnd(text: string, search: string, from: number): number {
  const at = text.indexOf(search, from);
  return at < 0 ? text.length : at;
}

function isCollection(value: Value): boolean {
  return value !== null && typeof value === "object";
}

/** Handles if/else/with/range/define/end; false when the action is not a control statement. */
function applyControl(action: string, frames: Frame[], context: ChartContext, dot: () => Value, rootDot: Value): boolean {
  // `with.Values.x` is `with .Values.x` to Go's lexer
  const [, keyword = "", argument = ""] = /^(\w*)\s*([\s\S]*)$/.exec(action) ?? [];
  const top = frames[frames.length - 1];
  switch (keyword) {
    case "if": {
      const condition = truthiness(evaluatePipeline(argument, context, dot()).value);
      frames.push({ kind: "if", active: condition !== false, taken: condition === true, lenient: condition === UNKNOWN, dot: dot() });
      return true;
    }
    case "with":
    case "range": {
      const expression = argument.replace(/^\$\w*\s*(,\s*\$\w*\s*)?:=\s*/, "");
      const value = evaluatePipeline(expression, context, dot()).value;
      const condition = truthiness(value);
      frames.push({ kind: keyword, active: condition !== false, taken: condition === true, lenient: condition === UNKNOWN, dot: keyword === "with" ? value : UNKNOWN });
      return true;
    }
    case "define":
      frames.push({ kind: "define", active: false, taken: false, lenient: false, dot: UNKNOWN });
      return true;
    case "block":
      frames.push({ kind: "block", active: true, taken: false, lenient: true, dot: UNKNOWN });
      return true;
    case "else": {
      if (!top || top.kind === "define") return true;
      const outer = frames[frames.length - 2]?.dot ?? rootDot;
      const chained = /^(if|with)\s+(.*)$/s.exec(argument);
      if (top.taken) {
        top.active = false;
      } else if (!chained) {
        top.active = true;
        top.taken = !top.lenient;
        top.dot = outer;
      } else if (top.lenient) {
        top.active = true;
        top.dot = chained[1] === "with" ? UNKNOWN : outer;
      } else {
        const value = evaluatePipeline(chained[2] ?? "", context, outer).value;
        const condition = truthiness(value);
        top.active = condition !== false;
        top.taken = condition === true;
        top.lenient = condition === UNKNOWN;
        top.dot = chained[1] === "with" ? value : outer;
      }
      return true;
    }
    case "end":
      frames.pop();
      return true;
    case "break":
    case "continue":
      return true;
    default:
      // `$name := ...` assignments render nothing
      return /^\$\w*\s*:?=/.test(action);
  }
}

/**
 * An unknown block right under `key:` goes deeper than the key, even where the template's own
 * indentation is off (a chart bug that only shows when the optional value is set).
 */
function clampUnderParent(output: string[], from: number, indent: number): number {
  for (let i = from; i >= 0; i--) {
    const text = output[i] ?? "";
    if (text.trim() === "") continue;
    const at = text.length - text.trimStart().length;
    return text.trimEnd().endsWith(":") && at >= indent ? at + 2 : indent;
  }
  return indent;
}

const LIST_KEYS = new Set([
  "containers", "initContainers", "env", "envFrom", "volumes", "volumeMounts", "args", "command", "ports", "tolerations",
  "imagePullSecrets", "items", "rules", "subjects", "hostAliases", "topologySpreadConstraints",
]);

/**
 * Whether a placeholder standing for unknown block content at this indentation must be a list item:
 * its sibling above (in the output) or below (in the template) is one.
 */
function entryIsListItem(output: string[], template: string, position: number, indent: number): boolean {
  for (let i = output.length - 1; i >= 0 && i >= output.length - 500; i--) {
    const text = output[i] ?? "";
    if (text.trim() === "") continue;
    const at = text.length - text.trimStart().length;
    if (at < indent) {
      // The parent key: Kubernetes keys that always hold lists
      const key = /^(?:-\s+)?([\w-]+):\s*$/.exec(text.trim())?.[1];
      if (key && LIST_KEYS.has(key)) return true;
      break;
    }
    if (at === indent) return text.trimStart().startsWith("-");
  }
  // The template below, line by line from the next one (a bounded look, not a copy of the rest)
  let from = template.indexOf("\n", position);
  for (let looked = 0; from >= 0 && looked < 200; looked++) {
    const end = indexOrEnd(template, "\n", from + 1);
    const content = template.slice(from + 1, end).replace(ACTION, "");
    from = end < template.length ? end : -1;
    if (content.trim() === "") continue;
    const at = content.length - content.trimStart().length;
    if (at < indent) break;
    if (at === indent) return content.trimStart().startsWith("-");
  }
  return false;
}

function dumpLines(value: Value, yaml: boolean): string[] {
  if (value === null || value === undefined) return [];
  const text = yaml || isCollection(value) ? stringify(value).replace(/\n$/, "") : goString(value);
  return text.split("\n");
}

function truthiness(value: Value): boolean | typeof UNKNOWN {
  if (value === UNKNOWN) return UNKNOWN;
  if (value === null || value === undefined || value === false || value === 0 || value === "") return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === "object") return Object.keys(value).length > 0;
  return true;
}

function goString(value: Value): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

interface Evaluated {
  value: Value;
  /** From `indent N` / `nindent N`. */
  indent?: number;
  /** `nindent`: the output starts on a new line. */
  newline: boolean;
  /** The pipeline went through `toYaml`. */
  yaml: boolean;
}

interface PipelineState {
  indent: number | undefined;
  newline: boolean;
  yaml: boolean;
}

/** Evaluates `a | f b | g` with the handful of functions charts use for values. */
export function evaluatePipeline(source: string, context: ChartContext, dot: Value): Evaluated {
  const tokens = tokenize(source);
  if (!tokens) return { value: UNKNOWN, newline: false, yaml: false };
  const state: PipelineState = { indent: undefined, newline: false, yaml: false };
  const value = evaluateTokens(tokens, context, dot, state);
  return { value, indent: state.indent, newline: state.newline, yaml: state.yaml };
}

type Token = string | Token[];

/** Deepest indentation `indent`/`nindent` are taken at. */
const MAX_INDENT = 1000;
/** Deepest parenthesised group read: evaluation recurses once per level. */
const MAX_GROUP_DEPTH = 64;

/** Words, quoted strings and parenthesised groups; null on anything unbalanced or nested absurdly deep. */
function tokenize(source: string): Token[] | null {
  const stack: Token[][] = [[]];
  const pattern = /\s*("(?:[^"\\]|\\.)*"|`[^`]*`|\(|\)|\||[^\s()|"`]+)/y;
  while (source.slice(pattern.lastIndex).trim() !== "") {
    const match = pattern.exec(source);
    if (!match) return null;
    const token = match[1] ?? "";
    const current = stack[stack.length - 1];
    if (!current) return null;
    if (token === "(") {
      if (stack.length > MAX_GROUP_DEPTH) return null;
      const group: Token[] = [];
      current.push(group);
      stack.push(group);
    } else if (token === ")") {
      if (stack.length === 1) return null;
      stack.pop();
    } else {
      current.push(token);
    }
  }
  return stack.length === 1 ? (stack[0] ?? null) : null;
}

function evaluateTokens(tokens: Token[], context: ChartContext, dot: Value, state: PipelineState): Value {
  const commands: Token[][] = [[]];
  for (const token of tokens) {
    if (token === "|") commands.push([]);
    else commands[commands.length - 1]?.push(token);
  }
  let piped: Value | undefined;
  let first = true;
  for (const command of commands) {
    const [head, ...args] = command;
    if (head === undefined) return UNKNOWN;
    const term = (token: Token): Value => (Array.isArray(token) ? evaluateTokens(token, context, dot, { indent: undefined, newline: false, yaml: false }) : evaluateTerm(token, context, dot));
    if (typeof head === "string" && /^[a-zA-Z]\w*$/.test(head) && !["true", "false", "nil"].includes(head)) {
      const values = args.map(term);
      if (!first) values.push(piped);
      piped = callFunction(head, values, state);
    } else {
      if (!first || args.length > 0) return UNKNOWN;
      piped = term(head);
    }
    first = false;
  }
  return piped;
}

function evaluateTerm(token: string, context: ChartContext, dot: Value): Value {
  if (/^".*"$/s.test(token)) {
    try {
      return JSON.parse(token) as string;
    } catch {
      return token.slice(1, -1);
    }
  }
  if (/^`.*`$/s.test(token)) return token.slice(1, -1);
  if (/^-?\d+(\.\d+)?$/.test(token)) return Number(token);
  if (token === "true") return true;
  if (token === "false") return false;
  if (token === "nil") return null;
  if (token === ".") return dot;
  if (token.startsWith("$.")) return lookupRoot(token.slice(2).split("."), context);
  if (token.startsWith(".")) {
    const path = token.slice(1).split(".");
    // Only the chart's defaults are known: not the release, the cluster or other files
    if (path[0] === "Release" || path[0] === "Capabilities" || path[0] === "Template" || path[0] === "Files") return UNKNOWN;
    if (path[0] === "Values" || path[0] === "Chart") {
      const fromRoot = lookupRoot(path, context);
      if (fromRoot !== UNKNOWN || dot === UNKNOWN) return fromRoot;
    }
    return lookup(dot, path);
  }
  return UNKNOWN;
}

function lookupRoot(path: string[], context: ChartContext): Value {
  const [root, ...rest] = path;
  if (root === "Values") return context.values === UNKNOWN ? UNKNOWN : lookup(context.values, rest);
  // Chart.yaml keys are lower camel case (`appVersion`) where templates say `.Chart.AppVersion`
  if (root === "Chart" && rest.length === 1 && context.chart !== UNKNOWN) {
    const key = rest[0] ?? "";
    return lookup(context.chart, [key.charAt(0).toLowerCase() + key.slice(1)]);
  }
  return UNKNOWN;
}

function lookup(value: Value, path: string[]): Value {
  let current = value;
  for (const key of path) {
    if (current === UNKNOWN) return UNKNOWN;
    if (current === null || current === undefined) return null;
    if (typeof current !== "object" || Array.isArray(current)) return UNKNOWN;
    current = (current as Record<string, unknown>)[key];
  }
  return current === undefined ? null : current;
}

function callFunction(name: string, args: Value[], state: PipelineState): Value {
  const last = args[args.length - 1];
  const anyUnknown = args.includes(UNKNOWN);
  switch (name) {
    case "default": {
      if (last === UNKNOWN) return UNKNOWN;
      return truthiness(last) ? last : args[0];
    }
    case "required":
      return last;
    case "toYaml":
    case "toJson":
    case "toPrettyJson":
      state.yaml = true;
      return last;
    case "nindent":
    case "indent": {
      // Helm itself fails on a negative count; an absurd one is no indentation a chart means
      if (typeof args[0] === "number" && !(Number.isInteger(args[0]) && args[0] >= 0 && args[0] <= MAX_INDENT)) return UNKNOWN;
      if (typeof args[0] === "number") state.indent = args[0];
      state.newline = name === "nindent";
      return last;
    }
    case "not": {
      const t = truthiness(last);
      return t === UNKNOWN ? UNKNOWN : !t;
    }
    case "and":
    case "or": {
      const values = args.map(truthiness);
      const decisive = name !== "and";
      if (values.includes(decisive)) return decisive;
      return values.includes(UNKNOWN) ? UNKNOWN : !decisive;
    }
    case "empty": {
      const t = truthiness(last);
      return t === UNKNOWN ? UNKNOWN : !t;
    }
  }
  if (anyUnknown) return UNKNOWN;
  switch (name) {
    case "quote":
    case "squote":
    case "toString":
      return goString(last);
    case "int":
    case "int64":
    case "atoi":
    case "float64":
      return Number(last ?? 0);
    case "eq":
      return args.slice(1).some((v) => v === args[0]);
    case "ne":
      return args[0] !== args[1];
    case "lower":
      return goString(last).toLowerCase();
    case "upper":
      return goString(last).toUpperCase();
    case "trim":
      return goString(last).trim();
    case "trunc":
      return typeof args[0] === "number" ? goString(last).slice(0, args[0]) : UNKNOWN;
    case "trimSuffix":
      return goString(last).endsWith(goString(args[0])) ? goString(last).slice(0, -goString(args[0]).length || undefined) : goString(last);
    case "printf":
      return printf(goString(args[0]), args.slice(1));
    default:
      return UNKNOWN;
  }
}

function printf(format: string, args: Value[]): string {
  let next = 0;
  return format.replace(/%[sdvq%]/g, (verb) => (verb === "%%" ? "%" : verb === "%q" ? JSON.stringify(goString(args[next++])) : goString(args[next++])));
}
