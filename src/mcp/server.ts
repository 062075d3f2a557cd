import { readFile } from "node:fs/promises";
import { resolve, sep } from "node:path";
import { McpServer, ResourceTemplate } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";
import { checkById } from "../checks/registry.js";
import { AREAS, type Finding } from "../checks/types.js";
import { runModel, runReview } from "../pipeline.js";
import { renderJson } from "../report/json.js";
import { renderMarkdown } from "../report/markdown.js";
import { diffReviews, earlierFindings } from "../review/baseline.js";
import type { SystemModel } from "../model/types.js";
import type { Review } from "../review/types.js";
import { VERSION } from "../version.js";

const severity = z.enum(["high", "medium", "low", "info"]);
const findingShape = z.object({ id: z.string(), area: z.string(), severity, title: z.string(), message: z.string(), file: z.string(), line: z.number().nullable(), fingerprint: z.string(), suppressed: z.boolean() });
type FindingRow = z.infer<typeof findingShape>;

function row(f: Finding): FindingRow {
  return { id: f.id, area: f.area, severity: f.severity, title: f.title, message: f.message, file: f.evidence[0]?.file ?? "", line: f.evidence[0]?.line ?? null, fingerprint: f.fingerprint, suppressed: f.suppressed ?? false };
}

/** A tool result: the data as structured content, and the same as JSON text for clients that read text only. */
function result<T extends Record<string, unknown>>(data: T) {
  return { content: [{ type: "text" as const, text: JSON.stringify(data, null, 2) }], structuredContent: data };
}

function refusal(message: string) {
  return { content: [{ type: "text" as const, text: message }], isError: true };
}

/**
 * archscope over the Model Context Protocol: the same deterministic review, model and check prose as the CLI,
 * for AI assistants. Only paths inside the allowed roots are read; the last review of each path is kept, for
 * `findings`, `endpoints` and the `archscope://review/...` resources.
 */
export function createServer(roots: string[]): McpServer {
  const allowed = roots.map((r) => resolve(r));
  const reviews = new Map<string, Review>();
  let last: Review | null = null;
  const inside = (path: string): string | null => {
    const abs = resolve(allowed[0] ?? ".", path);
    return allowed.some((r) => abs === r || abs.startsWith(r + sep)) ? abs : null;
  };
  const reviewOf = async (path: string, options: { areas?: string[]; context?: Record<string, unknown>; baseline?: string } = {}): Promise<Review> => {
    const abs = inside(path) as string;
    const key = JSON.stringify([abs, options]);
    const cached = reviews.get(key);
    if (cached) return cached;
    const baseline = options.baseline ? { source: options.baseline, text: await readFile(inside(options.baseline) ?? "", "utf8") } : null;
    const run = await runReview(abs, { cacheDir: null, jobs: 1, select: options.areas, context: options.context ? { source: "MCP request", data: options.context } : null, baseline });
    reviews.set(key, run.review);
    last = run.review;
    return run.review;
  };
  // the model of a path is read once; `model` and `endpoints` questions about it reuse it
  const models = new Map<string, Promise<SystemModel>>();
  const modelOf = (abs: string): Promise<SystemModel> => {
    let model = models.get(abs);
    if (!model) {
      model = runModel(abs, { cacheDir: null, jobs: 1 }).then((run) => run.model);
      models.set(abs, model);
    }
    return model;
  };
  const server = new McpServer({ name: "archscope", version: VERSION });
  const pathInput = z.string().describe("repository folder or design document, inside the roots the server was started with");
  const outside = (path: string) => refusal(`refused: ${path} is outside the allowed roots (${allowed.join(", ")})`);

  server.registerTool(
    "review",
    {
      title: "Architecture review",
      description: "Review a Python backend (or a design document): summary, counts by severity and area, and the findings with file:line evidence, paged.",
      inputSchema: { path: pathInput, areas: z.array(z.enum(AREAS)).optional(), context: z.record(z.string(), z.unknown()).optional().describe("review context: stage, exposure, peak_rps, ..."), baseline: z.string().optional().describe("an earlier JSON review file"), page: z.number().int().min(1).default(1), pageSize: z.number().int().min(1).max(200).default(50) },
      outputSchema: { project: z.string(), assessment: z.string(), readiness: z.string(), counts: z.record(z.string(), z.number()), areas: z.array(z.object({ area: z.string(), grade: z.string().nullable(), score: z.number().nullable() })), total: z.number(), page: z.number(), findings: z.array(findingShape) },
    },
    async ({ path, areas, context, baseline, page, pageSize }) => {
      if (!inside(path) || (baseline && !inside(baseline))) return outside(baseline && !inside(baseline) ? baseline : path);
      const review = await reviewOf(path, { areas, context, baseline });
      const rows = review.findings.filter((f) => f.kind !== "strength").map(row);
      const { counts } = review.summary;
      return result({
        project: review.project,
        assessment: review.summary.assessment,
        readiness: review.summary.readiness,
        counts: { high: counts.high, medium: counts.medium, low: counts.low, strengths: counts.strengths, suppressed: counts.suppressed },
        areas: review.areas.map((a) => ({ area: a.area, grade: a.grade, score: a.score })),
        total: rows.length,
        page,
        findings: rows.slice((page - 1) * pageSize, page * pageSize),
      });
    },
  );

  server.registerTool(
    "findings",
    {
      title: "Findings",
      description: "The findings of a review, filtered by area, severity, check id or file.",
      inputSchema: { path: pathInput, area: z.enum(AREAS).optional(), severity: severity.optional(), id: z.string().optional(), file: z.string().optional() },
      outputSchema: { total: z.number(), findings: z.array(findingShape) },
    },
    async ({ path, area, severity: level, id, file }) => {
      if (!inside(path)) return outside(path);
      const review = await reviewOf(path);
      const rows = review.findings
        .map(row)
        .filter((f) => (!area || f.area === area) && (!level || f.severity === level) && (!id || f.id === id.toUpperCase()) && (!file || f.file === file || f.file.startsWith(file)));
      return result({ total: rows.length, findings: rows });
    },
  );

  server.registerTool(
    "model",
    {
      title: "System model",
      description: "What archscope understood of the system: stack, components and connections, endpoints, data models, deployment.",
      inputSchema: { path: pathInput },
      outputSchema: { technologies: z.array(z.object({ name: z.string(), category: z.string() })), components: z.array(z.object({ name: z.string(), kind: z.string(), technology: z.string().nullable() })), connections: z.array(z.object({ from: z.string(), to: z.string(), via: z.string() })), endpoints: z.number(), dataModels: z.array(z.string()), dockerfiles: z.array(z.string()), composeServices: z.array(z.string()), kubernetes: z.array(z.string()), designDocuments: z.array(z.string()) },
    },
    async ({ path }) => {
      const abs = inside(path);
      if (!abs) return outside(path);
      const model = await modelOf(abs);
      return result({
        technologies: model.technologies.map((t) => ({ name: t.name, category: t.category })),
        components: model.components.map((c) => ({ name: c.name, kind: c.kind, technology: c.technology })),
        connections: model.connections.map((c) => ({ from: c.from, to: c.to, via: c.via })),
        endpoints: model.endpoints.length,
        dataModels: model.dataModels.map((m) => m.name),
        dockerfiles: model.dockerfiles.map((d) => d.file),
        composeServices: model.composeServices.map((c) => c.name),
        kubernetes: model.kubernetes.map((k) => `${k.kind} ${k.name}`),
        designDocuments: model.designDocuments.map((d) => d.file),
      });
    },
  );

  server.registerTool(
    "endpoints",
    {
      title: "Endpoints",
      description: "The HTTP endpoints with their handler, file:line and whether authentication covers them; filter by method, path prefix or auth.",
      inputSchema: { path: pathInput, method: z.string().optional(), prefix: z.string().optional(), auth: z.boolean().optional() },
      outputSchema: { total: z.number(), endpoints: z.array(z.object({ method: z.string(), path: z.string(), handler: z.string(), file: z.string(), line: z.number(), auth: z.boolean().nullable(), authReason: z.string() })) },
    },
    async ({ path, method, prefix, auth }) => {
      const abs = inside(path);
      if (!abs) return outside(path);
      const model = await modelOf(abs);
      const rows = model.endpoints
        .filter((e) => (!method || e.method === method.toUpperCase()) && (!prefix || e.path.startsWith(prefix)) && (auth === undefined || e.auth === auth))
        .map((e) => ({ method: e.method, path: e.path, handler: e.handler, file: e.file, line: e.line, auth: e.auth, authReason: e.authReason }));
      return result({ total: rows.length, endpoints: rows });
    },
  );

  server.registerTool(
    "explain",
    {
      title: "Explain a check",
      description: "A check's prose: why it matters, what to do, an example, references and the libraries that fix it.",
      inputSchema: { id: z.string().describe("check id, e.g. SEC003") },
      outputSchema: { id: z.string(), title: z.string(), area: z.string(), severity, why: z.string(), recommendation: z.string(), example: z.object({ bad: z.string(), good: z.string() }).nullable(), references: z.array(z.string()), libraries: z.array(z.string()) },
    },
    async ({ id }) => {
      const c = checkById(id);
      if (!c) return refusal(`unknown check id ${id}`);
      return result({ id: c.id, title: c.title, area: c.area, severity: c.severity, why: c.why, recommendation: c.recommendation, example: c.example ?? null, references: c.references, libraries: c.libraries });
    },
  );

  server.registerTool(
    "diff",
    {
      title: "Compare two reviews",
      description: "Concerns new, fixed and unchanged between two JSON reviews (files inside the roots), matched by fingerprint.",
      inputSchema: { old: z.string(), new: z.string() },
      outputSchema: { new: z.array(z.record(z.string(), z.unknown())), fixed: z.array(z.record(z.string(), z.unknown())), unchanged: z.array(z.record(z.string(), z.unknown())) },
    },
    async ({ old, new: next }) => {
      const [a, b] = [inside(old), inside(next)];
      if (!a || !b) return outside(!a ? old : next);
      const diff = diffReviews(earlierFindings(await readFile(a, "utf8"), old), earlierFindings(await readFile(b, "utf8"), next));
      return result({ new: diff.new, fixed: diff.fixed, unchanged: diff.unchanged });
    },
  );

  server.registerResource(
    "last-review",
    new ResourceTemplate("archscope://last-review.{format}", { list: undefined }),
    { title: "The last review", description: "The last review this server made, as Markdown (md) or JSON (json).", mimeType: "text/markdown" },
    async (uri, { format }) => {
      if (!last) return { contents: [{ uri: uri.href, text: "No review yet: call the review tool first." }] };
      const json = format === "json";
      return { contents: [{ uri: uri.href, mimeType: json ? "application/json" : "text/markdown", text: json ? renderJson(last) : renderMarkdown(last) }] };
    },
  );
  return server;
}

/** `archscope mcp`: serve over stdio until the client closes the connection. */
export async function runMcpServer(roots: string[]): Promise<void> {
  const server = createServer(roots.length ? roots : [process.cwd()]);
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((done) => {
    transport.onclose = () => done();
  });
  await server.connect(transport);
  await closed;
}
