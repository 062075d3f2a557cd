import { z } from "zod";

/**
 * The JSON report's contract (schemaVersion 1.0), as a zod schema: tests validate real reports
 * against it, and `npm run schema` writes `schema/review.schema.json` from it. Objects are open
 * (extra fields allowed): fields are only ever added within one schema version.
 */
const severity = z.enum(["high", "medium", "low", "info"]);
const area = z.enum(["architecture", "database", "api", "security", "scalability", "observability", "deployment", "code", "data", "resilience", "documents"]);

const evidence = z.looseObject({
  file: z.string().describe("path relative to the reviewed root, POSIX separators"),
  line: z.number().int().positive().nullable().describe("1-based; null only for a finding about something absent"),
  endLine: z.number().int().positive().optional(),
  snippet: z.string().optional().describe("short source excerpt; secrets redacted"),
});

const finding = z.looseObject({
  id: z.string().regex(/^(ARCH|DB|API|SEC|PERF|OBS|DEP|CODE|DATA|RES|DOC)(-S)?\d{3}$/),
  area,
  kind: z.enum(["concern", "strength", "info"]),
  severity,
  title: z.string(),
  message: z.string(),
  evidence: z.array(evidence).min(1).describe("evidence[0] is the primary location; a call chain runs from the handler to the offending call"),
  fingerprint: z.string().regex(/^[0-9a-f]{16}$/),
  recommendation: z.string(),
  effort: z.enum(["S", "M", "L"]),
  confidence: z.enum(["high", "medium", "low"]),
  suppressed: z.boolean().optional(),
  suppressionReason: z.string().optional(),
  severityNote: z.string().optional(),
  role: z.enum(["deployment", "migration", "test", "fixture", "tooling", "example"]).optional().describe("what the primary evidence's file is for, when it is not application code; concerns in files that do not run in production are low at most"),
  baseline: z.enum(["new", "unchanged"]).optional().describe("with --baseline: whether the concern is new since the earlier review or was reported then too (matched by fingerprint)"),
});

const endpoint = z.looseObject({
  method: z.string().regex(/^([A-Z]+|ANY)$/),
  path: z.string().startsWith("/"),
  handler: z.string().describe("module.qualname"),
  file: z.string(),
  line: z.number().int().positive(),
  auth: z.boolean().nullable().describe("null when it cannot be decided statically"),
  authReason: z.string(),
});

const technology = z.looseObject({
  name: z.string(),
  category: z.string(),
  evidence: z.array(evidence),
});

const diagnostic = z.looseObject({
  level: z.enum(["error", "warning", "info"]),
  code: z.string(),
  message: z.string(),
  file: z.string().optional(),
  line: z.number().int().positive().optional(),
});

/** `archscope model --format json`: the system model, the same object as a review's `model`. */
export const ModelSchema = z.looseObject({
  technologies: z.array(technology),
  endpoints: z.array(endpoint),
  dependencies: z.array(z.looseObject({ name: z.string(), spec: z.string(), pinned: z.boolean(), dev: z.boolean(), manifest: z.string(), line: z.number().int().positive() })),
  components: z.array(z.looseObject({ name: z.string(), kind: z.enum(["service", "worker", "scheduler", "datastore", "proxy", "external"]), technology: z.string().nullable(), evidence: z.array(evidence) })),
  connections: z.array(z.looseObject({ from: z.string(), to: z.string(), via: z.string(), evidence: z.array(evidence) })),
  dataModels: z.array(z.looseObject({ orm: z.string(), name: z.string(), table: z.string().nullable(), file: z.string(), line: z.number().int().positive() })),
  databasePools: z.array(z.looseObject({ file: z.string(), line: z.number().int().positive(), library: z.string(), poolSize: z.number().int().nullable(), maxOverflow: z.number().int().nullable(), maxSize: z.number().int().nullable() })),
});

const diffEntry = z.looseObject({ id: z.string(), title: z.string(), severity, message: z.string(), file: z.string(), line: z.number().int().positive().nullable(), fingerprint: z.string() });

/** `archscope diff OLD NEW --format json`: concerns new, fixed and unchanged between two reviews, matched by fingerprint. */
export const DiffSchema = z.strictObject({ new: z.array(diffEntry), fixed: z.array(diffEntry), unchanged: z.array(diffEntry) });

/** `archscope rules --format json`: every check's metadata and prose. */
export const RulesSchema = z.array(
  z.looseObject({
    id: z.string().regex(/^(ARCH|DB|API|SEC|PERF|OBS|DEP|CODE|DATA|RES|DOC)(-S)?\d{3}$/),
    area,
    kind: z.enum(["concern", "strength", "info"]),
    severity,
    title: z.string(),
    confidence: z.enum(["high", "medium", "low"]),
    effort: z.enum(["S", "M", "L"]),
    why: z.string(),
    recommendation: z.string(),
    references: z.array(z.string()),
    libraries: z.array(z.string()),
  }),
);

export const ReviewSchema = z.looseObject({
  schemaVersion: z.literal("1.0"),
  tool: z.looseObject({ name: z.literal("archscope"), version: z.string() }),
  findings: z.array(finding),
  model: ModelSchema,
  context: z.looseObject({ source: z.string().nullable() }),
  diagnostics: z.array(diagnostic),
  patterns: z.array(z.looseObject({ name: z.string(), status: z.enum(["in use", "recommended"]), why: z.string(), evidence: z.array(evidence) })).describe("architecture patterns in use (with where) or recommended (with why they fit this system)"),
  roadmap: z.looseObject({
    currentLimits: z.array(z.looseObject({ limit: z.string(), evidence: z.array(evidence) })),
    capacity: z.array(z.looseObject({ topic: z.string(), note: z.string(), evidence: z.array(evidence), assumptions: z.array(z.string()) })).describe("today's capacity figures, each with its sources and what was assumed where they are silent"),
    stages: z.array(z.looseObject({ name: z.string(), trigger: z.string(), actions: z.array(z.string()) })),
  }),
  focus: area.optional().describe("with --area: the one area this review covers in depth"),
  baseline: z
    .looseObject({
      source: z.string(),
      new: z.number().int().nonnegative(),
      unchanged: z.number().int().nonnegative(),
      fixed: z.array(z.looseObject({ id: z.string(), title: z.string(), severity, message: z.string(), file: z.string(), line: z.number().int().positive().nullable(), fingerprint: z.string() })),
    })
    .optional()
    .describe("with --baseline FILE: counts of new and unchanged concerns, and the earlier concerns no longer reported"),
});

export function reviewJsonSchema(): unknown {
  return { $id: "https://archscope.dev/schema/review-1.0.json", title: "archscope review", ...z.toJSONSchema(ReviewSchema, { target: "draft-2020-12" }) };
}

/** Every JSON output's schema, by the file `npm run schema` writes it to. */
export function jsonSchemas(): Record<string, unknown> {
  const schema = (name: string, title: string, s: z.ZodType) => ({ $id: `https://archscope.dev/schema/${name}-1.0.json`, title, ...z.toJSONSchema(s, { target: "draft-2020-12" }) });
  return {
    "review.schema.json": reviewJsonSchema(),
    "model.schema.json": schema("model", "archscope system model", ModelSchema),
    "diff.schema.json": schema("diff", "archscope review diff", DiffSchema),
    "rules.schema.json": schema("rules", "archscope rules", RulesSchema),
  };
}
