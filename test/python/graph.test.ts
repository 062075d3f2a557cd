import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { findCycles } from "../../src/python/graph.js";

describe("findCycles", () => {
  it("finds nothing in an acyclic graph", () => {
    assert.deepEqual(findCycles(["a", "b", "c", "d"], [["a", "b"], ["b", "c"], ["a", "c"], ["d", "c"]]), []);
    assert.deepEqual(findCycles([], []), []);
  });

  it("finds a two-module cycle as a closed path from its smallest name", () => {
    assert.deepEqual(findCycles(["app.models", "app.db"], [["app.models", "app.db"], ["app.db", "app.models"]]), [["app.db", "app.models", "app.db"]]);
  });

  it("finds a three-module cycle, whichever node the edges start from", () => {
    const nodes = ["c", "b", "a"];
    assert.deepEqual(findCycles(nodes, [["c", "a"], ["a", "b"], ["b", "c"]]), [["a", "b", "c", "a"]]);
    assert.deepEqual(findCycles(nodes, [["a", "c"], ["c", "b"], ["b", "a"]]), [["a", "c", "b", "a"]]);
  });

  it("reports two separate cycles, the shorter first", () => {
    const cycles = findCycles(
      ["a", "b", "c", "x", "y", "z"],
      [
        ["a", "b"],
        ["b", "c"],
        ["c", "a"],
        ["x", "y"],
        ["y", "x"],
        ["y", "z"],
      ],
    );
    assert.deepEqual(cycles, [
      ["x", "y", "x"],
      ["a", "b", "c", "a"],
    ]);
  });

  it("orders cycles of the same length by name", () => {
    const cycles = findCycles(
      ["q", "p", "b", "a"],
      [
        ["q", "p"],
        ["p", "q"],
        ["b", "a"],
        ["a", "b"],
      ],
    );
    assert.deepEqual(cycles, [
      ["a", "b", "a"],
      ["p", "q", "p"],
    ]);
  });

  it("gives one shortest cycle per strongly connected component", () => {
    // a → b → c → d → a, plus the shortcut b → a
    const cycles = findCycles(
      ["a", "b", "c", "d"],
      [
        ["a", "b"],
        ["b", "c"],
        ["c", "d"],
        ["d", "a"],
        ["b", "a"],
      ],
    );
    assert.deepEqual(cycles, [["a", "b", "a"]]);
  });

  it("is deterministic: node and edge order do not change the answer", () => {
    const nodes = ["m1", "m2", "m3", "m4", "m5", "m6"];
    const edges: Array<[string, string]> = [
      ["m1", "m2"],
      ["m2", "m3"],
      ["m3", "m1"],
      ["m3", "m2"],
      ["m4", "m5"],
      ["m5", "m6"],
      ["m6", "m4"],
      ["m2", "m4"],
    ];
    const expected = findCycles(nodes, edges);
    // the cycle goes through the component's smallest name, even where a shorter one avoids it
    assert.deepEqual(expected, [
      ["m1", "m2", "m3", "m1"],
      ["m4", "m5", "m6", "m4"],
    ]);
    assert.deepEqual(findCycles([...nodes].reverse(), [...edges].reverse()), expected);
    const rotated = [...edges.slice(3), ...edges.slice(0, 3)];
    assert.deepEqual(findCycles([...nodes.slice(2), ...nodes.slice(0, 2)], rotated), expected);
  });

  it("ignores self-imports, duplicate edges and edges that mention unknown modules", () => {
    const cycles = findCycles(
      ["a", "b"],
      [
        ["a", "a"],
        ["a", "b"],
        ["a", "b"],
        ["b", "a"],
        ["b", "outside"],
        ["outside", "a"],
      ],
    );
    assert.deepEqual(cycles, [["a", "b", "a"]]);
  });

  it("handles a long import chain without overflowing the stack", () => {
    const size = 20_000;
    const nodes = Array.from({ length: size }, (_, i) => `m${String(i).padStart(5, "0")}`);
    const edges = nodes.map((n, i): [string, string] => [n, nodes[(i + 1) % size] as string]);
    const cycles = findCycles(nodes, edges);
    assert.equal(cycles.length, 1);
    assert.equal(cycles[0]?.length, size + 1);
    assert.equal(cycles[0]?.[0], "m00000");
    assert.equal(cycles[0]?.[size], "m00000");
  });
});
