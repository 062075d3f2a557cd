import { compareCodeUnits } from "../core/diagnostics.js";

/**
 * Import cycles: one concrete cycle per strongly connected component of two or more nodes
 * (Tarjan), as a path `[a, b, c, a]` starting from the component's smallest name, shortest first.
 */
export function findCycles(nodes: string[], edges: Array<[string, string]>): string[][] {
  const adjacency = new Map<string, string[]>();
  for (const n of nodes) adjacency.set(n, []);
  // a module importing itself is not a cycle, and would otherwise hide the real cycle through it
  for (const [from, to] of edges) if (from !== to) adjacency.get(from)?.push(to);
  for (const list of adjacency.values()) list.sort(compareCodeUnits);

  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];

  // iterative Tarjan, so deep import chains cannot overflow the JS stack
  for (const start of [...nodes].sort(compareCodeUnits)) {
    if (index.has(start)) continue;
    const work: Array<{ node: string; next: number }> = [{ node: start, next: 0 }];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length) {
      const frame = work[work.length - 1] as { node: string; next: number };
      const neighbours = adjacency.get(frame.node) ?? [];
      if (frame.next < neighbours.length) {
        const next = neighbours[frame.next++] as string;
        if (!index.has(next)) {
          index.set(next, counter);
          low.set(next, counter++);
          stack.push(next);
          onStack.add(next);
          work.push({ node: next, next: 0 });
        } else if (onStack.has(next)) {
          low.set(frame.node, Math.min(low.get(frame.node) as number, index.get(next) as number));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node) as number, low.get(frame.node) as number));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop() as string;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        if (component.length > 1) components.push(component.sort(compareCodeUnits));
      }
    }
  }

  const cycles = components.map((component) => shortestCycle(component, adjacency));
  return cycles.sort((a, b) => a.length - b.length || compareCodeUnits(a.join(">"), b.join(">")));
}

function shortestCycle(component: string[], adjacency: Map<string, string[]>): string[] {
  const members = new Set(component);
  const start = component[0] as string;
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length) {
    const node = queue.shift() as string;
    for (const next of adjacency.get(node) ?? []) {
      if (!members.has(next)) continue;
      if (next === start) {
        const path = [node];
        let cur = node;
        while (cur !== start) {
          cur = previous.get(cur) as string;
          path.push(cur);
        }
        return [...path.reverse(), start];
      }
      if (!previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  return [...component, start];
}
