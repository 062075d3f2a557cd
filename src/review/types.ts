import type { BaselineComparison } from "./baseline.js";
import type { ContextInput, ReviewContext } from "../checks/context.js";
import type { Area, Effort, Finding, Severity } from "../checks/types.js";
import type { Diagnostic } from "../core/diagnostics.js";
import type { Evidence, SystemModel } from "../model/types.js";

export interface AreaSummary {
  area: Area;
  title: string;
  high: number;
  medium: number;
  low: number;
  strengths: number;
  /** 100 minus 25 per high, 10 per medium and 2 per low concern, plus 2 per strength (0-100); null when no check of the area ran. */
  score: number | null;
  grade: "A" | "B" | "C" | "D" | "E" | null;
  /** Why: the worst concerns' titles, or what the score rests on. */
  reasons: string[];
}

export interface StackItem {
  category: string;
  name: string;
  verdict: "keep" | "watch" | "replace";
  note: string;
  alternative?: string;
  evidence: Evidence[];
}

export interface ChecklistItem {
  item: string;
  /** The OWASP API Security Top 10 (2023) category it guards against. */
  owasp: string;
  status: "pass" | "fail" | "unknown";
  checks: string[];
  detail: string;
}

export interface NextStep {
  priority: "must-fix" | "should-fix" | "nice-to-have";
  checkId: string;
  title: string;
  effort: Effort;
  count: number;
  dependsOn: string[];
  where: string[];
}

export interface RoadmapStage {
  name: string;
  /** When to start: a stated or estimated number where there is one, an observable signal otherwise. */
  trigger: string;
  /** What to change, each with the migration it takes. */
  actions: string[];
}

/** One figure of today's capacity, with the artefacts it comes from and what was assumed where they are silent. */
export interface CapacityNote {
  topic: string;
  note: string;
  evidence: Evidence[];
  assumptions: string[];
}

/** A limit on scale today, with where it shows. */
export interface ScaleLimit {
  limit: string;
  evidence: Evidence[];
}

/** An architecture pattern: in use here (with where), or recommended (with why it fits this system). */
export interface PatternNote {
  name: string;
  status: "in use" | "recommended";
  why: string;
  evidence: Evidence[];
}

export interface OpenQuestion {
  field: keyof ContextInput;
  question: string;
  assumption: string;
}

/** Everything the renderers need, nothing they must compute. */
export interface Review {
  schemaVersion: "1.0";
  tool: { name: "archscope"; version: string };
  project: string;
  summary: {
    assessment: string;
    readiness: string;
    /** Maturity read off what is open, and how it compares with the stated stage. */
    maturity: { level: "prototype" | "early" | "production-ready" | "mature" | null; note: string };
    counts: Record<Severity, number> & { suppressed: number; strengths: number };
    keyStrengths: string[];
    criticalConcerns: string[];
  };
  context: ReviewContext;
  questions: OpenQuestion[];
  model: SystemModel;
  findings: Finding[];
  areas: AreaSummary[];
  patterns: PatternNote[];
  stack: StackItem[];
  roadmap: { currentLimits: ScaleLimit[]; capacity: CapacityNote[]; stages: RoadmapStage[] };
  securityChecklist: ChecklistItem[];
  nextSteps: NextStep[];
  references: string[];
  analysis: {
    files: number;
    pythonFiles: number;
    testFiles: number;
    migrationFiles: number;
    suppressed: number;
    checksRun: number;
  };
  diagnostics: Diagnostic[];
  /** A design document reviewed on its own: sections that need the code say so. */
  documentOnly?: boolean;
  /** A deep dive into one area (`--area`): only its checks ran, and reports give their whole prose. */
  focus?: Area;
  /** Against an earlier review (`--baseline FILE`): new and unchanged counts, and the concerns fixed since. */
  baseline?: BaselineComparison;
}
