import type { Node } from "web-tree-sitter";
import type { ParseErrorFact } from "./facts.js";

const MAX_ERRORS = 20;

/** Syntax errors in a tree: ERROR nodes and missing tokens, outermost first, at most 20. */
export function parseErrors(root: Node): ParseErrorFact[] {
  const out: ParseErrorFact[] = [];
  const stack: Node[] = [root];
  while (stack.length && out.length < MAX_ERRORS) {
    const node = stack.pop() as Node;
    if (node.isMissing) {
      out.push({ line: node.startPosition.row + 1, column: node.startPosition.column + 1, message: `missing ${node.type}` });
      continue;
    }
    if (node.isError) {
      const text = node.text.split("\n", 1)[0]?.trim().slice(0, 40) ?? "";
      out.push({ line: node.startPosition.row + 1, column: node.startPosition.column + 1, message: `syntax error near "${text}"` });
      continue;
    }
    if (!node.hasError) continue;
    const children = node.children.filter((c): c is Node => c !== null);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as Node);
  }
  return out.sort((a, b) => a.line - b.line || a.column - b.column);
}
