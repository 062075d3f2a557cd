import type { Node } from "web-tree-sitter";
import type { ValueKind } from "./facts.js";

const MAX_TEXT = 200;

export function cut(text: string, max = MAX_TEXT): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

export function firstLine(text: string, max = 160): string {
  const line = text.split("\n", 1)[0]?.trim() ?? "";
  return cut(line, max);
}

function isStringNode(node: Node): boolean {
  return node.type === "string" || node.type === "concatenated_string";
}

/** An f-string (or a concatenation with one): decided from the literal prefixes, without walking the tree. */
function hasInterpolation(node: Node): boolean {
  const text = node.text;
  if (node.type === "string") return /^[rRbBuU]?[fF]/.test(text) && text.includes("{");
  return /(^|[\s(])[rRbBuU]?[fF][rR]?["']/.test(text) && text.includes("{");
}

/** What kind of value an expression is, distinguishing the ways strings get built. */
export function valueKind(node: Node): ValueKind {
  switch (node.type) {
    case "string":
      return hasInterpolation(node) ? "fstring" : "string";
    case "concatenated_string":
      return hasInterpolation(node) ? "fstring" : "string";
    case "integer":
    case "float":
      return "number";
    case "true":
    case "false":
      return "bool";
    case "none":
      return "none";
    case "list":
      return "list";
    case "tuple":
      return "tuple";
    case "dictionary":
      return "dict";
    case "set":
      return "set";
    case "identifier":
      return "name";
    case "unary_operator": {
      const operand = node.childForFieldName("argument");
      return operand && (operand.type === "integer" || operand.type === "float") ? "number" : "other";
    }
    case "attribute":
      return "attribute";
    case "lambda":
      return "lambda";
    case "list_comprehension":
    case "dictionary_comprehension":
    case "set_comprehension":
    case "generator_expression":
      return "comprehension";
    case "parenthesized_expression": {
      const inner = node.namedChildren[0];
      return inner ? valueKind(inner) : "other";
    }
    case "binary_operator": {
      const op = node.childForFieldName("operator")?.type;
      const left = node.childForFieldName("left");
      const right = node.childForFieldName("right");
      if (op === "%" && left && isStringNode(left)) return "percent";
      if (op === "+" && ((left && isStringy(left)) || (right && isStringy(right)))) return "concat";
      return "other";
    }
    case "call": {
      const fn = node.childForFieldName("function");
      if (fn?.type === "attribute") {
        const obj = fn.childForFieldName("object");
        const attr = fn.childForFieldName("attribute")?.text;
        if (attr === "format" && obj && isStringNode(obj)) return "format";
      }
      return "call";
    }
    default:
      return "other";
  }
}

function isStringy(node: Node): boolean {
  const kind = valueKind(node);
  return kind === "string" || kind === "fstring" || kind === "concat" || kind === "format" || kind === "percent";
}

/** The literal value of a string/number/bool/None node; undefined when not a plain literal. */
export function literalValue(node: Node): string | number | boolean | null | undefined {
  switch (node.type) {
    case "string":
      return hasInterpolation(node) ? undefined : stringContent(node);
    case "concatenated_string": {
      if (hasInterpolation(node)) return undefined;
      return node.namedChildren.map((c) => (c ? stringContent(c) : "")).join("");
    }
    case "integer": {
      const n = Number(node.text.replace(/_/g, ""));
      return Number.isFinite(n) ? n : undefined;
    }
    case "float": {
      const n = Number(node.text.replace(/_/g, ""));
      return Number.isFinite(n) ? n : undefined;
    }
    case "true":
      return true;
    case "false":
      return false;
    case "none":
      return null;
    case "unary_operator": {
      const operand = node.childForFieldName("argument");
      const v = operand ? literalValue(operand) : undefined;
      return typeof v === "number" && node.text.trim().startsWith("-") ? -v : undefined;
    }
    default:
      return undefined;
  }
}

function stringContent(node: Node): string {
  let out = "";
  for (const child of node.namedChildren) {
    if (!child) continue;
    if (child.type === "string_content") out += child.text;
    else if (child.type === "escape_sequence") out += decodeEscape(child.text);
  }
  return out;
}

function decodeEscape(text: string): string {
  const simple: Record<string, string> = { n: "\n", t: "\t", r: "\r", "\\": "\\", "'": "'", '"': '"', "0": "\0" };
  const key = text.slice(1);
  return simple[key] ?? text;
}

const SQL_START = /^\s*(select|insert\s+into|update|delete\s+from|with|create\s+(table|index|view)|drop\s+(table|index)|alter\s+table|truncate)\b/i;
const SQL_BODY = /\b(from|into|set|where|table|values|join)\b/i;

/** True for text that reads as an SQL statement rather than prose that happens to start with "Update". */
export function looksLikeSql(text: string): boolean {
  return SQL_START.test(text) && SQL_BODY.test(text);
}

/** The text a string-building expression starts with, for SQL detection (f"SELECT {x}" → "SELECT "). */
export function leadingStringText(node: Node): string | null {
  switch (node.type) {
    case "string":
    case "concatenated_string":
      return node.text.replace(/^[a-zA-Z]*("""|'''|"|')/, "");
    case "parenthesized_expression": {
      const inner = node.namedChildren[0];
      return inner ? leadingStringText(inner) : null;
    }
    case "binary_operator": {
      const left = node.childForFieldName("left");
      return left ? leadingStringText(left) : null;
    }
    case "call": {
      const fn = node.childForFieldName("function");
      const obj = fn?.type === "attribute" ? fn.childForFieldName("object") : null;
      return obj ? leadingStringText(obj) : null;
    }
    default:
      return null;
  }
}
