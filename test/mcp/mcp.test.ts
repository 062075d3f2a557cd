import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

const ROOT = process.cwd();
let client: Client;

before(async () => {
  client = new Client({ name: "archscope-test", version: "1.0.0" });
  // the server as a user starts it: the built CLI, over stdio, allowed to read the examples folder only
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [join(ROOT, "bin", "archscope.js"), "mcp", "--root", join(ROOT, "examples")], stderr: "pipe" }));
});
after(async () => {
  await client?.close();
});

type Row = { id: string; file: string; line: number | null };

describe("MCP server over stdio", () => {
  it("lists its tools, each with input and output schemas", async () => {
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), ["diff", "endpoints", "explain", "findings", "model", "review"]);
    assert.ok(tools.every((t) => t.inputSchema.type === "object" && t.outputSchema?.type === "object"));
  });

  it("reviews the bundled example and returns the findings its README lists", async () => {
    const res = await client.callTool({ name: "review", arguments: { path: join(ROOT, "examples/shop-api"), pageSize: 200 } });
    assert.notEqual(res.isError, true);
    const data = res.structuredContent as { project: string; findings: Row[]; total: number };
    assert.equal(data.project, "shop-api");
    const readme = await readFile(join(ROOT, "examples/shop-api/README.md"), "utf8");
    const section = readme.split("## What archscope should report")[1]?.split("\n## ")[0] ?? "";
    const expected = [...section.matchAll(/^\| ([A-Z]+\d{3}) \| ([^|:]+?)(?::(\d+))? \|/gm)].map((m) => `${m[1]} ${(m[2] as string).trim()}:${m[3] ?? "null"}`);
    assert.ok(expected.length >= 10);
    const got = new Set(data.findings.map((f) => `${f.id} ${f.file}:${f.line}`));
    for (const key of expected) assert.ok(got.has(key), `missing ${key}`);
    // the same data as the CLI, then filtered
    const sec = await client.callTool({ name: "findings", arguments: { path: join(ROOT, "examples/shop-api"), id: "SEC003" } });
    assert.deepEqual((sec.structuredContent as { findings: Row[] }).findings.map((f) => `${f.file}:${f.line}`), ["app/api/routes/reports.py:33"]);
    // and the last review is a resource
    const md = await client.readResource({ uri: "archscope://last-review.md" });
    assert.match(String((md.contents[0] as { text: string }).text), /^# Architecture review: shop-api/);
  });

  it("answers endpoints and explain, and refuses a path outside the allowed roots", async () => {
    const open = await client.callTool({ name: "endpoints", arguments: { path: join(ROOT, "examples/shop-api"), auth: false, method: "POST" } });
    assert.deepEqual((open.structuredContent as { endpoints: Array<{ path: string }> }).endpoints.map((e) => e.path).sort(), ["/api/v1/auth/login", "/api/v1/auth/register", "/api/v1/products"]);
    const explain = await client.callTool({ name: "explain", arguments: { id: "SEC003" } });
    assert.equal((explain.structuredContent as { title: string }).title, "SQL built from strings");
    const refused = await client.callTool({ name: "review", arguments: { path: ROOT } });
    assert.equal(refused.isError, true);
    assert.match(String((refused.content as Array<{ text: string }>)[0]?.text), /outside the allowed roots/);
  });
});
