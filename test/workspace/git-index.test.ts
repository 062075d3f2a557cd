import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { parseGitIndex, readTrackedPaths } from "../../src/workspace/git-index.js";
import { scanWorkspace } from "../../src/workspace/scan.js";

let base = "";
let counter = 0;

function hasGit(): boolean {
  try {
    execFileSync("git", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

const gitAvailable = hasGit();

/** Runs git in a test repository, isolated from the machine's and the user's git configuration. */
function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "core.hooksPath=/dev/null", "-c", "user.name=archscope", "-c", "user.email=test@example.com", ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null", HOME: base },
  });
}

async function repo(files: Record<string, string>): Promise<string> {
  const root = join(base, `r${counter++}`);
  await mkdir(root, { recursive: true });
  for (const [rel, content] of Object.entries(files)) {
    const abs = join(root, ...rel.split("/"));
    await mkdir(dirname(abs), { recursive: true });
    await writeFile(abs, content);
  }
  git(root, "init", "-q");
  return root;
}

/** What git itself says is in the index. */
function lsFiles(root: string): string[] {
  return git(root, "ls-files", "-z").split("\0").filter(Boolean).sort();
}

before(async () => {
  base = await mkdtemp(join(tmpdir(), "archscope-git-"));
});

after(async () => {
  await rm(base, { recursive: true, force: true });
});

describe("git index", { skip: gitAvailable ? false : "git is not installed" }, () => {
  it("reads tracked paths without running git, and marks env files tracked or not", async () => {
    const root = await repo({
      ".gitignore": ".env*\n",
      ".env": "SECRET_KEY=committed-by-mistake\n",
      ".env.local": "SECRET_KEY=local\n",
      "app/main.py": "print('hi')\n",
      "app/untracked.py": "",
    });
    git(root, "add", ".gitignore", "app/main.py");
    git(root, "add", "-f", ".env");
    git(root, "commit", "-q", "-m", "initial");

    const tracked = await readTrackedPaths(root);
    assert.deepEqual([...(tracked ?? [])].sort(), [".env", ".gitignore", "app/main.py"]);

    const set = await scanWorkspace(root);
    assert.equal(set.isGitWorkTree, true);
    const env = set.files.find((f) => f.path === ".env");
    const local = set.files.find((f) => f.path === ".env.local");
    assert.deepEqual({ tracked: env?.tracked, gitignored: env?.gitignored }, { tracked: true, gitignored: true });
    assert.deepEqual({ tracked: local?.tracked, gitignored: local?.gitignored }, { tracked: false, gitignored: true });
    // only env files carry git state
    assert.equal(set.files.find((f) => f.path === "app/main.py")?.tracked, undefined);
  });

  it("returns null outside a work tree and an empty set for a repository with no index yet", async () => {
    const plain = join(base, `plain${counter++}`);
    await mkdir(plain);
    assert.equal(await readTrackedPaths(plain), null);
    const fresh = await repo({ "app.py": "" });
    assert.deepEqual(await readTrackedPaths(fresh), new Set());
    const set = await scanWorkspace(fresh);
    assert.equal(set.isGitWorkTree, true);
  });

  it("parses index versions 2, 3 and 4 to the paths git lists", async () => {
    const long = `app/${"very_long_module_name_".repeat(8)}.py`;
    const root = await repo({
      "app/api/v1/items.py": "",
      "app/api/v1/users.py": "",
      "app/api/v2/users.py": "",
      "app/models/user.py": "",
      [long]: "",
      "b.py": "",
      "docs/café.md": "# accent\n",
      "z/a.py": "",
      "z/ab.py": "",
      "z/abc.py": "",
    });
    git(root, "add", ".");
    git(root, "commit", "-q", "-m", "initial");
    const expected = lsFiles(root);
    assert.ok(expected.includes(long) && expected.includes("docs/café.md"));

    const readIndex = async () => [...(parseGitIndex(await readFile(join(root, ".git", "index"))) ?? [])].sort();

    git(root, "update-index", "--index-version", "2");
    assert.equal((await readFile(join(root, ".git", "index"))).readUInt32BE(4), 2);
    assert.deepEqual(await readIndex(), expected);

    // an intent-to-add entry carries extended flags, which makes git write version 3
    await writeFile(join(root, "app", "new.py"), "");
    git(root, "add", "-N", "app/new.py");
    assert.equal((await readFile(join(root, ".git", "index"))).readUInt32BE(4), 3);
    assert.deepEqual(await readIndex(), lsFiles(root));

    // version 4 compresses each path against the previous one; the long path needs a two-byte varint
    git(root, "update-index", "--index-version", "4");
    assert.equal((await readFile(join(root, ".git", "index"))).readUInt32BE(4), 4);
    assert.deepEqual(await readIndex(), lsFiles(root));
  });

  it("rejects what is not a git index", () => {
    assert.equal(parseGitIndex(Buffer.from("not an index")), null);
    assert.equal(parseGitIndex(Buffer.alloc(4)), null);
    const header = Buffer.alloc(12);
    header.write("DIRC", 0, "latin1");
    header.writeUInt32BE(5, 4);
    assert.equal(parseGitIndex(header), null);
    header.writeUInt32BE(2, 4);
    assert.deepEqual(parseGitIndex(header), new Set());
    // a truncated index gives the entries read so far rather than throwing
    header.writeUInt32BE(3, 8);
    assert.deepEqual(parseGitIndex(Buffer.concat([header, Buffer.alloc(30)])), new Set());
  });
});
