import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before } from "node:test";

/**
 * Real project directories on disk for tests that need a file system: call at the top of a test
 * file; each `tree({ path: content })` makes a fresh folder, and all are removed after the file's tests.
 */
export function tempTrees(prefix: string): (files: Record<string, string | Buffer>) => Promise<string> {
  let base = "";
  let counter = 0;
  before(async () => {
    base = await mkdtemp(join(tmpdir(), `archscope-${prefix}-`));
  });
  after(async () => {
    await rm(base, { recursive: true, force: true });
  });
  return async (files) => {
    const root = join(base, `p${counter++}`);
    await mkdir(root, { recursive: true });
    for (const [rel, content] of Object.entries(files)) {
      const abs = join(root, ...rel.split("/"));
      await mkdir(dirname(abs), { recursive: true });
      await writeFile(abs, content);
    }
    return root;
  };
}
