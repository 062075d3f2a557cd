import { Worker } from "node:worker_threads";
import type { FileFacts } from "./facts.js";
import { parseFile } from "./parser.js";

interface Job {
  path: string;
  source: string;
}

type Reply = { id: number; facts: FileFacts } | { id: number; error: string };

/** The worker script: the bundled `parse-worker.js` next to the built code, or the TypeScript source under tsx. */
function workerSpec(): { url: URL; execArgv: string[] } {
  const fromSource = import.meta.url.endsWith(".ts");
  return fromSource
    ? { url: new URL("./parse-worker.ts", import.meta.url), execArgv: ["--import", "tsx"] }
    : { url: new URL("./parse-worker.js", import.meta.url), execArgv: [] };
}

/**
 * Parses files in a pool of `jobs` worker threads, each with its own warm parser; results come
 * back in input order. A file whose worker fails is parsed in-process instead, so one bad file
 * or a crashed worker never loses the run.
 */
export async function parseWithWorkers(items: Job[], jobs: number, onProgress?: (done: number, total: number) => void): Promise<FileFacts[]> {
  const results: Array<FileFacts | undefined> = new Array(items.length);
  const failed: number[] = [];
  const spec = workerSpec();
  let next = 0;
  let done = 0;
  const runWorker = () =>
    new Promise<void>((resolve) => {
      let worker: Worker;
      try {
        worker = new Worker(spec.url, { execArgv: spec.execArgv });
      } catch {
        resolve();
        return;
      }
      let current = -1;
      const feed = () => {
        if (next >= items.length) {
          void worker.terminate().then(() => resolve());
          return;
        }
        current = next++;
        const item = items[current] as Job;
        worker.postMessage({ id: current, path: item.path, source: item.source });
      };
      worker.on("message", (reply: Reply) => {
        if ("facts" in reply) results[reply.id] = reply.facts;
        else failed.push(reply.id);
        onProgress?.(++done, items.length);
        feed();
      });
      worker.on("error", () => {
        if (current >= 0 && results[current] === undefined) failed.push(current);
        resolve();
      });
      feed();
    });
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, items.length)) }, runWorker));
  // whatever a worker could not do (it failed, or no worker could start) is parsed here
  for (let i = 0; i < items.length; i++) {
    if (results[i] === undefined) {
      const item = items[i] as Job;
      results[i] = await parseFile(item.source, item.path);
    }
  }
  return results as FileFacts[];
}
