import assert from "node:assert/strict";
import type { Endpoint } from "../../src/model/types.js";

/** `METHOD path handler file:line auth`, one per endpoint, for compact assertions. */
export function rows(endpoints: Endpoint[]): string[] {
  return endpoints.map((e) => `${e.method} ${e.path} ${e.handler} ${e.file}:${e.line} ${e.auth}`);
}

/** The endpoint with `METHOD path`, failing with the list of what there is. */
export function byKey(endpoints: Endpoint[], key: string): Endpoint {
  const found = endpoints.find((e) => `${e.method} ${e.path}` === key);
  assert.ok(found, `no endpoint ${key} among ${endpoints.map((e) => `${e.method} ${e.path}`).join(", ")}`);
  return found;
}
