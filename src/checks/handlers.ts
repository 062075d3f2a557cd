import type { CheckInput } from "./types.js";

/** Handler ids (route functions) and everything they reach through the call graph. */
export function requestPath(input: CheckInput): { handlers: Set<string>; reachable: Set<string> } {
  const handlers = new Set(input.model.endpoints.map((e) => e.handler));
  return { handlers, reachable: input.index.reachableFrom(handlers) };
}

/** A function id as a reader wants it: `orders.create_order` rather than the full dotted path. */
export function shortName(id: string): string {
  const parts = id.split(".");
  return parts.slice(-2).join(".");
}
