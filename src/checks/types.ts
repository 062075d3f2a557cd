import type { FileRole } from "../core/file-roles.js";
import type { ProjectIndex } from "../python/project-index.js";
import type { ReviewContext } from "./context.js";
import type { Evidence, SystemModel } from "../model/types.js";

export const AREAS = ["architecture", "database", "api", "security", "scalability", "observability", "deployment", "code", "data", "resilience", "documents"] as const;
export type Area = (typeof AREAS)[number];

export const AREA_TITLES: Record<Area, string> = {
  architecture: "A. System architecture and design patterns",
  database: "B. Database architecture",
  api: "C. API design and communication",
  security: "D. Security",
  scalability: "E. Scalability and performance",
  observability: "F. Observability and monitoring",
  deployment: "G. Deployment and infrastructure",
  code: "H. Code organization and project structure",
  data: "I. Data flow and state management",
  resilience: "J. Resilience and error handling",
  documents: "K. Design documents",
};

export type Severity = "high" | "medium" | "low" | "info";
export type Kind = "concern" | "strength" | "info";
export type Confidence = "high" | "medium" | "low";
export type Effort = "S" | "M" | "L";

export const SEVERITY_ORDER: Record<Severity, number> = { high: 0, medium: 1, low: 2, info: 3 };

export interface CheckMeta {
  id: string;
  area: Area;
  title: string;
  severity: Severity;
  kind: Kind;
  confidence: Confidence;
  /** One paragraph: the risk. */
  why: string;
  recommendation: string;
  example?: { bad: string; good: string };
  references: string[];
  effort: Effort;
  /** Python packages that fix it. */
  libraries: string[];
  /** Check ids whose fix comes first. */
  dependsOn?: string[];
  cwe?: string;
  owasp?: string;
}

/** What a check reports for one instance. Severity and confidence default to the check's. */
export interface Report {
  message: string;
  evidence: Evidence[];
  severity?: Severity;
  confidence?: Confidence;
}

export interface CheckInput {
  model: SystemModel;
  index: ProjectIndex;
  context: ReviewContext;
}

export interface Check extends CheckMeta {
  run(input: CheckInput): Report[];
}

export interface Finding {
  id: string;
  area: Area;
  kind: Kind;
  severity: Severity;
  title: string;
  message: string;
  evidence: Evidence[];
  fingerprint: string;
  recommendation: string;
  effort: Effort;
  confidence: Confidence;
  libraries: string[];
  /** How the context changed the severity ("raised from medium: public production API"). */
  severityNote?: string;
  suppressed?: boolean;
  suppressionReason?: string;
  /** Role of the primary evidence's file when it is not application code (`test`, `tooling`, `deployment`, ...). */
  role?: FileRole;
  /** Against an earlier review (`--baseline`): whether this concern is new or was reported then too. */
  baseline?: "new" | "unchanged";
}
