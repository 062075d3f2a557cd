import type { FileFacts } from "./facts.js";
import { parseFile } from "./parser.js";

/** Placeholder until the worker pool lands: parses in-process. */
export async function parseWithWorkers(items: Array<{ path: string; source: string }>, _jobs: number, onProgress?: (done: number, total: number) => void): Promise<FileFacts[]> {
  const out: FileFacts[] = [];
  for (const item of items) {
    out.push(await parseFile(item.source, item.path));
    onProgress?.(out.length, items.length);
  }
  return out;
}
