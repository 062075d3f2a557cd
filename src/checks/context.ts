import type { ImportContracts } from "../config/load-config.js";
import { z } from "zod";

export const STAGES = ["prototype", "mvp", "production", "scale"] as const;

/** What the team says about its context; every field optional (unknown is a valid answer). */
export const ContextSchema = z
  .object({
    stage: z.enum(STAGES).optional(),
    exposure: z.enum(["public", "internal"]).optional(),
    users: z.number().int().nonnegative().optional(),
    peak_rps: z.number().nonnegative().optional(),
    data_volume_gb: z.number().nonnegative().optional(),
    latency_p99_ms: z.number().positive().optional(),
    /** Percent of time available, `99.9`; `"99.9%"` is read as the number. */
    availability_target: z.preprocess((v) => (typeof v === "string" && /^\d+(\.\d+)?%?$/.test(v.trim()) ? Number(v.trim().replace("%", "")) : v), z.number().gt(0).max(100)).optional(),
    compliance: z.array(z.string()).optional(),
    team_size: z.number().int().positive().optional(),
    team_experience: z.enum(["junior", "mixed", "senior"]).optional(),
    budget: z.string().optional(),
    timeline: z.string().optional(),
    integrations: z.array(z.string()).optional(),
  })
  .strict();

export type ContextInput = z.infer<typeof ContextSchema>;

export interface ReviewContext extends ContextInput {
  /** The repository's import contracts, carried to the checks with the context (ARCH008 reads them). */
  contracts?: ImportContracts;
  /** Where the context came from: `--context FILE`, `pyproject.toml [tool.archscope.context]`, or none. */
  source: string | null;
  /** Fields the team did not state but a design document does: where each number came from. */
  fromDocuments?: Partial<Record<keyof ContextInput, { file: string; line: number; text: string }>>;
  /** Instances of the web tier a design document states ("two API containers"), when the deployment files do not. */
  documentedInstances?: { count: number; file: string; line: number; text: string };
}

export { CONTEXT_QUESTIONS } from "./context-questions.js";
