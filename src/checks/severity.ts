import type { ReviewContext } from "./context.js";
import type { Area, Severity } from "./types.js";

const LADDER: Severity[] = ["low", "medium", "high"];
const LOWERED_FOR_PROTOTYPE = new Set<Area>(["deployment", "observability", "scalability"]);
const RAISED_FOR_PUBLIC_PRODUCTION = new Set(["API005", "SEC011", "SEC015", "OBS003", "OBS006", "DEP008"]);

/** Context-severity hook: CHECKS.md's "How context changes severity", applied to a concern. */
export function adjustSeverity(id: string, area: Area, severity: Severity, context: ReviewContext): { severity: Severity; note?: string } {
  if (severity === "info") return { severity };
  const at = LADDER.indexOf(severity);
  if (context.stage === "prototype" && LOWERED_FOR_PROTOTYPE.has(area) && at > 0) {
    return { severity: LADDER[at - 1] as Severity, note: `lowered from ${severity}: stage is prototype` };
  }
  const productionLike = context.stage === "production" || context.stage === "scale";
  if (productionLike && context.exposure === "public" && RAISED_FOR_PUBLIC_PRODUCTION.has(id) && at < LADDER.length - 1) {
    return { severity: LADDER[at + 1] as Severity, note: `raised from ${severity}: public ${context.stage} API` };
  }
  return { severity };
}
