import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { main } from "../../src/cli/main.js";
import { progressLine } from "../../src/cli/progress.js";

describe("progress on stderr", () => {
  it("stays silent for the first second, then draws each new stage at once and counts at most every 100 ms", () => {
    let clock = 0;
    const out: string[] = [];
    const draw = progressLine((t) => out.push(t), () => clock);
    draw("scanning files…");
    clock = 900;
    draw("parsing 10/100 files");
    assert.deepEqual(out, []);
    clock = 1000;
    draw("parsing 50/100 files");
    clock = 1050;
    draw("parsing 60/100 files");
    draw("running checks…");
    clock = 1200;
    draw("");
    assert.deepEqual(out, ["\r\u001b[2Karchscope: parsing 50/100 files", "\r\u001b[2Karchscope: running checks…", "\r\u001b[2K"]);
  });

  it("never clears a line it did not draw", () => {
    const out: string[] = [];
    const draw = progressLine((t) => out.push(t), () => 0);
    draw("scanning files…");
    draw("");
    assert.deepEqual(out, []);
  });

  it("reports the pipeline's stages in order, and nothing with --quiet", async () => {
    const io = (lines: string[]) => ({ stdout: () => {}, stderr: () => {}, isTTY: false, env: {}, progress: (l: string) => void lines.push(l) });
    const lines: string[] = [];
    assert.equal(await main(["review", "examples/shop-api", "--no-cache", "--jobs", "1"], io(lines)), 0);
    const stages = [...new Set(lines.map((l) => l.replace(/\s\d.*$/, "")))];
    assert.deepEqual(stages, ["scanning files…", "parsing", "building the system model…", "running checks…", ""]);
    const quiet: string[] = [];
    await main(["review", "examples/shop-api", "--no-cache", "--quiet"], io(quiet));
    assert.deepEqual(quiet, []);
  });
});
