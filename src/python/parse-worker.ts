import { parentPort } from "node:worker_threads";
import { parseFile } from "./parser.js";

/** Worker thread: keeps one warm parser, answers `{ id, path, source }` with `{ id, facts }` or `{ id, error }`. */
parentPort?.on("message", async (message: { id: number; path: string; source: string }) => {
  try {
    const facts = await parseFile(message.source, message.path);
    parentPort?.postMessage({ id: message.id, facts });
  } catch (error) {
    parentPort?.postMessage({ id: message.id, error: (error as Error).message });
  }
});
