import { parentPort } from "node:worker_threads";
import type { FileFacts } from "./facts.js";
import { parseFile, takeParseClock } from "./parser.js";

/**
 * Worker thread: keeps one warm parser and answers a batch `{ id, files: [{ path, source }] }` with
 * `{ id, facts, clock }`, one entry per file in order: its facts, or the message of the error that
 * stopped it (that file is then parsed again in the main thread).
 */
parentPort?.on("message", async (message: { id: number; files: Array<{ path: string; source: string }> }) => {
  const facts: Array<FileFacts | string> = [];
  for (const file of message.files) {
    try {
      facts.push(await parseFile(file.source, file.path));
    } catch (error) {
      facts.push((error as Error).message);
    }
  }
  parentPort?.postMessage({ id: message.id, facts, clock: takeParseClock() });
});
