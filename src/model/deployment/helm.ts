import { stringify } from "yaml";

/**
 * A lenient, partial Helm renderer: enough of Go templates to read a chart's workloads with the
 * chart's default values (`values.yaml`, `Chart.yaml`), never enough to replace `helm template`.
 * Whatever it cannot evaluate (`include`, `.Release`, `$variables`, unknown functions) stays unknown:
 * an inline expression becomes a placeholder that reads back as its template text, a whole-line one
 * becomes a placeholder entry, so that the YAML around it still parses and "unknown" is never taken
 * for "absent".
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
  kind: "if" | "with" | "range" | "define" | "other";
  active: boolean;
  /** Some earlier branch of an if/else chain was taken for sure. */
  taken: boolean;
  /** An earlier branch's condition was unknown: every later branch is rendered too. */
  lenient: boolean;
  dot: Value;
}

const ACTION = /\{\{-?\s*([\s\S]*?)\s*-?\}\}/g;
const PLACEHOLDER = /__tpl(\d+)__/g;

/** Renders a template line by line, keeping a map from rendered lines back to template lines. */
export function renderTemplate(template: string, context: ChartContext): RenderedTemplate {
  const lines = joinMultiLineActions(template).split("\n");
  const out: string[] = [];
  const origin: number[] = [];
  const placeholders: Placeholder[] = [];
  const frames: Frame[] = [];
  const isActive = () => frames.every((f) => f.active);
  const dot = (): Value => {
    for (let i = frames.length - 1; i >= 0; i--) {
      const frame = frames[i];
      if (frame && (frame.kind === "with" || frame.kind === "range")) return frame.dot;
    }
    return context.values === UNKNOWN ? UNKNOWN : { Values: context.values, Chart: context.chart };
  };
  const emit = (text: string, line: number) => {
    out.push(text);
    origin.push(line);
  };
  const placeholder = (source: string, value: Value) => {
    placeholders.push({ source: `{{ ${source.replace(/\s+/g, " ")} }}`, value });
    return `__tpl${placeholders.length - 1}__`;
  };

  lines.forEach((line, index) => {
    const lineNo = index + 1;
    const actions = [...line.matchAll(ACTION)].map((m) => m[1] ?? "");
    if (actions.length === 0) {
      emit(isActive() ? line : "", lineNo);
      return;
    }
    const indent = line.length - line.trimStart().length;
    if (line.replace(ACTION, "").trim() === "") {
      let emitted = false;
      for (const action of actions) {
        if (applyControl(action, frames, context, dot)) continue;
        if (!isActive() || isComment(action)) continue;
        const { value, indent: width, yaml } = evaluatePipeline(action, context, dot());
        const at = width ?? indent;
        if (value === UNKNOWN) {
          const token = placeholder(action, UNKNOWN);
          emit(" ".repeat(at) + (siblingIsListItem(lines, index, at) ? `- ${token}` : `${token}:`), lineNo);
        } else {
          for (const text of dumpLines(value, yaml)) emit(" ".repeat(at) + text, lineNo);
        }
        emitted = true;
      }
      if (!emitted) emit("", lineNo);
      return;
    }
    if (!isActive()) {
      emit("", lineNo);
      return;
    }
    // `key: {{ toYaml .Values.x | nindent 4 }}`: the value goes on the following lines
    const trailing = /^(.*?:)\s*\{\{-?\s*([\s\S]*?)\s*-?\}\}\s*$/.exec(line);
    if (trailing?.[1] && trailing[2] && /\|\s*nindent\s+\d+\s*$/.test(trailing[2]) && !ACTION_START.test(trailing[1])) {
      const { value, indent: width, yaml } = evaluatePipeline(trailing[2], context, dot());
      if (value !== UNKNOWN && width !== undefined) {
        emit(trailing[1], lineNo);
        for (const text of dumpLines(value, yaml)) emit(" ".repeat(width) + text, lineNo);
        return;
      }
    }
    emit(line.replace(ACTION, (_, action: string) => (isComment(action) ? "" : placeholder(action, evaluatePipeline(action, context, dot()).value))), lineNo);
  });

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
      return entry.value === UNKNOWN || (entry.value !== null && typeof entry.value === "object") ? entry.source : goString(entry.value);
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
  return { text: out.join("\n"), originalLine: (line) => origin[line - 1] ?? line, resolve };
}

const ACTION_START = /\{\{/;

function isComment(action: string): boolean {
  return action.startsWith("/*");
}

/** A `{{ ... }}` spanning lines is put on its first line; blank lines keep the line count. */
function joinMultiLineActions(text: string): string {
  return text.replace(/\{\{[\s\S]*?\}\}/g, (action) => {
    const breaks = action.split("\n").length - 1;
    return breaks === 0 ? action : action.replace(/\s*\n\s*/g, " ") + "\n".repeat(breaks);
  });
}

/** Handles if/else/with/range/define/end; false when the action is not a control statement. */
function applyControl(action: string, frames: Frame[], context: ChartContext, dot: () => Value): boolean {
  const [keyword = "", ...rest] = action.split(/\s+/);
  const argument = rest.join(" ");
  const top = frames[frames.length - 1];
  switch (keyword) {
    case "if": {
      const condition = truthiness(evaluatePipeline(argument, context, dot()).value);
      frames.push({ kind: "if", active: condition !== false, taken: condition === true, lenient: condition === UNKNOWN, dot: undefined });
      return true;
    }
    case "with":
    case "range": {
      const expression = argument.replace(/^\$[\w]*\s*(,\s*\$[\w]*\s*)?:=\s*/, "");
      const value = evaluatePipeline(expression, context, dot()).value;
      const condition = truthiness(value);
      frames.push({ kind: keyword, active: condition !== false, taken: condition === true, lenient: condition === UNKNOWN, dot: keyword === "with" && value !== UNKNOWN ? value : UNKNOWN });
      return true;
    }
    case "define":
      frames.push({ kind: "define", active: false, taken: false, lenient: false, dot: UNKNOWN });
      return true;
    case "block":
      frames.push({ kind: "other", active: true, taken: false, lenient: true, dot: UNKNOWN });
      return true;
    case "else": {
      if (!top) return true;
      if (top.kind === "define") return true;
      const chained = /^(if|with)\s+(.*)$/.exec(argument);
      if (top.lenient) {
        top.active = true;
        return true;
      }
      if (top.taken) {
        top.active = false;
        return true;
      }
      if (!chained) {
        top.active = true;
        top.taken = true;
        if (top.kind === "with") top.dot = dot();
        return true;
      }
      const value = evaluatePipeline(chained[2] ?? "", context, dot()).value;
      const condition = truthiness(value);
      top.active = condition !== false;
      top.taken = condition === true;
      top.lenient = condition === UNKNOWN;
      if (chained[1] === "with") top.dot = value;
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
      return /^\$[\w]*\s*:?=/.test(action);
  }
}

/** The neighbouring content line at the same indentation is a list item: a placeholder must be one too. */
function siblingIsListItem(lines: string[], index: number, indent: number): boolean {
  for (const step of [1, -1]) {
    for (let i = index + step; i >= 0 && i < lines.length; i += step) {
      const line = lines[i] ?? "";
      if (line.trim() === "" || line.replace(ACTION, "").trim() === "") continue;
      const at = line.length - line.trimStart().length;
      if (at === indent) {
        if (line.trimStart().startsWith("- ")) return true;
        break;
      }
      if (at < indent) break;
    }
  }
  return false;
}

function dumpLines(value: Value, yaml: boolean): string[] {
  if (value === null || value === undefined) return [];
  const text = yaml || typeof value === "object" ? stringify(value).replace(/\n$/, "") : goString(value);
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
  /** From a trailing `indent N` / `nindent N`. */
  indent?: number;
  /** The pipeline went through `toYaml`. */
  yaml: boolean;
}

/** Evaluates `a | f b | g` with the handful of functions charts use for values. */
export function evaluatePipeline(source: string, context: ChartContext, dot: Value): Evaluated {
  const tokens = tokenize(source);
  if (!tokens) return { value: UNKNOWN, yaml: false };
  const state = { indent: undefined as number | undefined, yaml: false };
  const value = evaluateTokens(tokens, context, dot, state);
  return { value, indent: state.indent, yaml: state.yaml };
}

type Token = string | Token[];

/** Words, quoted strings and parenthesised groups; null on anything unbalanced. */
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

function evaluateTokens(tokens: Token[], context: ChartContext, dot: Value, state: { indent: number | undefined; yaml: boolean }): Value {
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
    const term = (token: Token): Value => (Array.isArray(token) ? evaluateTokens(token, context, dot, { indent: undefined, yaml: false }) : evaluateTerm(token, context, dot));
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

function callFunction(name: string, args: Value[], state: { indent: number | undefined; yaml: boolean }): Value {
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
      if (typeof args[0] === "number") state.indent = args[0];
      return last;
    }
    case "not": {
      const t = truthiness(last);
      return t === UNKNOWN ? UNKNOWN : !t;
    }
    case "and":
    case "or": {
      const values = args.map(truthiness);
      const decisive = name === "and" ? false : true;
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
