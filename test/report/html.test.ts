import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type Browser, chromium } from "playwright-core";
import { runReview } from "../../src/pipeline.js";
import { renderHtml } from "../../src/report/html.js";
import { tempTrees } from "../helpers/temp-tree.js";

const tree = tempTrees("html");
/** Debian's chromium package, which .ci/run installs; launched headless with the flags this machine's closed network needs. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
let browser: Browser;

before(async () => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: install Debian's chromium package (.ci/run does)`);
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"] });
});
after(async () => {
  await browser?.close();
});

/** Opens an HTML report from disk; returns the page, its console errors and every request it made. */
async function open(html: string, dir: string) {
  const file = join(dir, "report.html");
  await writeFile(file, html);
  const page = await browser.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("request", (r) => requests.push(r.url()));
  await page.goto(`file://${file}`);
  return { page, errors, requests, url: `file://${file}` };
}

describe("HTML report in Chromium", () => {
  it("draws a design document reviewed on its own from its parsed diagram, and says what needs the code", async () => {
    const { review } = await runReview("examples/shop-api/docs/ARCHITECTURE.md", { cacheDir: null, jobs: 1 });
    const dir = await tree({});
    const { page, errors, requests, url } = await open(renderHtml(review), dir);
    assert.deepEqual(errors, []);
    assert.deepEqual(requests, [url]);
    // one box per node of the document's Mermaid flowchart
    const nodes = review.model.designDocuments[0]?.diagrams[0]?.nodes.length ?? 0;
    assert.ok(nodes >= 5);
    assert.equal(await page.locator("svg.components rect").count(), nodes);
    assert.match((await page.locator("body").textContent()) ?? "", /need the code: review the repository with the document/);
    assert.equal(await page.locator("article.finding:visible").count(), review.findings.filter((f) => f.kind === "concern").length);
    await page.close();
  });

  it("opens from disk with no network request and no console error, and its filters work", async () => {
    const { review } = await runReview("examples/shop-api", { cacheDir: null, jobs: 1 });
    const dir = await tree({});
    const { page, errors, requests, url } = await open(renderHtml(review), dir);
    assert.deepEqual(errors, []);
    assert.deepEqual(requests, [url]);
    const concerns = review.findings.filter((f) => f.kind === "concern" && !f.suppressed);
    const visible = () => page.locator("article.finding:visible").count();
    assert.equal(await visible(), concerns.length);
    await page.selectOption("#area", "security");
    assert.equal(await visible(), concerns.filter((f) => f.area === "security").length);
    await page.selectOption("#area", "");
    await page.uncheck('input[name=severity][value="low"]');
    assert.equal(await visible(), concerns.filter((f) => f.severity !== "low").length);
    await page.fill("#text", "SEC003");
    assert.equal(await visible(), concerns.filter((f) => f.id === "SEC003").length);
    assert.match(await page.locator("#shown").textContent() ?? "", /^1 of \d+ shown$/);
    // the components diagram is drawn in the file
    assert.ok((await page.locator("svg.components rect").count()) >= 3);
    await page.close();
  });

  it("shows hostile repository text as text: no injected element, script or style", async () => {
    const root = await tree({
      "app/<img src=x onerror=alert(1)>.py": "from fastapi import FastAPI\napp = FastAPI()\nSECRET_KEY = 'Zq8wV2mK9xP4rT6yB1nC5hJ3'\n@app.post('/</script><script>alert(2)</script>')\ndef x(): return save()\n",
    });
    const { review } = await runReview(root, { cacheDir: null, jobs: 1 });
    const html = renderHtml(review);
    assert.doesNotMatch(html, /Zq8wV2mK9xP4rT6yB1nC5hJ3/);
    const dir = await tree({});
    const { page, errors, requests, url } = await open(html, dir);
    assert.deepEqual(errors, []);
    assert.deepEqual(requests, [url]);
    assert.equal(await page.locator("img").count(), 0);
    assert.equal(await page.locator("script").count(), 1);
    assert.match(await page.locator("body").textContent() ?? "", /<img src=x onerror=alert\(1\)>\.py/);
    await page.close();
  });
});
