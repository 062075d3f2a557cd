import { Worker } from "node:worker_threads";
import type { FileFacts } from "./facts.js";
import { parseFile } from "./parser.js";

interface Job {
  path: string;
  source: string;
}

interface Reply {
  id: number;
  facts: Array<FileFacts | string>;
  clock: { parseMs: number; extractMs: number };
}

/** Files go to a worker in batches of about this many bytes: one message per batch, not per file. */
const BATCH_BYTES = 256 * 1024;

/** The worker script: the bundled `parse-worker.js` next to the built code, or the TypeScript source under tsx. */
function workerSpec(): { url: URL; execArgv: string[] } {
  const fromSource = import.meta.url.endsWith(".ts");
  return fromSource
    ? { url: new URL("./parse-worker.ts", import.meta.url), execArgv: ["--import", "tsx"] }
    : { url: new URL(import.meta.url.includes("/chunks/") ? "../parse-worker.js" : "./parse-worker.js", import.meta.url), execArgv: [] };
}

/** Consecutive runs of files of about `BATCH_BYTES` each (a large file is a batch of its own). */
function batches(items: Job[]): number[][] {
  const out: number[][] = [];
  let current: number[] = [];
  let bytes = 0;
  for (let i = 0; i < items.length; i++) {
    current.push(i);
    bytes += (items[i] as Job).source.length;
    if (bytes >= BATCH_BYTES) {
      out.push(current);
      current = [];
      bytes = 0;
    }
  }
  if (current.length) out.push(current);
  return out;
}

/**
 * Parses files in a pool of `jobs` worker threads, each with its own warm parser, in batches;
 * results come back in input order, with the threads' summed parse and extraction time. A file
 * whose worker fails is parsed in-process instead, so one bad file or a crashed worker never
 * loses the run.
 */
export async function parseWithWorkers(items: Job[], jobs: number, onProgress?: (done: number, total: number) => void): Promise<{ facts: FileFacts[]; clock: { parseMs: number; extractMs: number } }> {
  const results: Array<FileFacts | undefined> = new Array(items.length);
  const clock = { parseMs: 0, extractMs: 0 };
  const work = batches(items);
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
      const feed = () => {
        if (next >= work.length) {
          void worker.terminate().then(() => resolve());
          return;
        }
        const id = next++;
        worker.postMessage({ id, files: (work[id] as number[]).map((i) => items[i] as Job) });
      };
      worker.on("message", (reply: Reply) => {
        const batch = work[reply.id] as number[];
        reply.facts.forEach((facts, k) => {
          if (typeof facts !== "string") results[batch[k] as number] = facts;
        });
        clock.parseMs += reply.clock.parseMs;
        clock.extractMs += reply.clock.extractMs;
        done += batch.length;
        onProgress?.(done, items.length);
        feed();
      });
      // a crashed worker's batch is left undefined and parsed below
      worker.on("error", () => resolve());
      feed();
    });
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, work.length)) }, runWorker));
  // whatever a worker could not do (it failed, or no worker could start) is parsed here
  for (let i = 0; i < items.length; i++) {
    if (results[i] === undefined) {
      const item = items[i] as Job;
      results[i] = await parseFile(item.source, item.path);
    }
  }
  return { facts: results as FileFacts[], clock };
}
