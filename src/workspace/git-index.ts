import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";

/**
 * Paths tracked by git, read straight from `.git/index` (versions 2–4). Reading the index file
 * ourselves rather than running `git` means nothing in the reviewed repository's git config
 * (hooks, fsmonitor) is ever executed. Returns null when the root is not a work tree with an index.
 */
export async function readTrackedPaths(root: string): Promise<Set<string> | null> {
  const gitDir = join(root, ".git");
  try {
    if (!(await stat(gitDir)).isDirectory()) return null;
  } catch {
    return null;
  }
  let buf: Buffer;
  try {
    buf = await readFile(join(gitDir, "index"));
  } catch {
    return new Set();
  }
  return parseGitIndex(buf);
}

export function parseGitIndex(buf: Buffer): Set<string> | null {
  if (buf.length < 12 || buf.toString("latin1", 0, 4) !== "DIRC") return null;
  const version = buf.readUInt32BE(4);
  if (version < 2 || version > 4) return null;
  const count = buf.readUInt32BE(8);
  const paths = new Set<string>();
  let offset = 12;
  // v4 prefix compression counts bytes, so the previous path is kept as bytes (a path may hold multi-byte UTF-8)
  let previous: Buffer = Buffer.alloc(0);
  for (let i = 0; i < count; i++) {
    const entryStart = offset;
    if (offset + 62 > buf.length) return paths;
    const flags = buf.readUInt16BE(offset + 60);
    offset += 62;
    if (version >= 3 && flags & 0x4000) offset += 2;
    let pathBytes: Buffer;
    if (version === 4) {
      // prefix compression: a varint of bytes to drop from the previous path, then the rest
      let drop = 0;
      let byte = buf[offset++] ?? 0;
      drop = byte & 0x7f;
      while (byte & 0x80) {
        byte = buf[offset++] ?? 0;
        drop = ((drop + 1) << 7) | (byte & 0x7f);
      }
      const end = buf.indexOf(0, offset);
      if (end < 0) return paths;
      pathBytes = Buffer.concat([previous.subarray(0, Math.max(0, previous.length - drop)), buf.subarray(offset, end)]);
      offset = end + 1;
    } else {
      const end = buf.indexOf(0, offset);
      if (end < 0) return paths;
      pathBytes = buf.subarray(offset, end);
      const entryLength = end - entryStart + 1;
      offset = entryStart + Math.ceil(entryLength / 8) * 8;
    }
    paths.add(pathBytes.toString("utf8"));
    previous = pathBytes;
  }
  return paths;
}
