import type { Finding } from "../checks/types.js";
import type { Review } from "./types.js";

/** A finding of the earlier review that the new one no longer reports. */
export interface FixedFinding {
  id: string;
  title: string;
  severity: Finding["severity"];
  message: string;
  file: string;
  line: number | null;
  fingerprint: string;
}

/** What changed since an earlier review: counts, and the findings fixed since. */
export interface BaselineComparison {
  /** The earlier review, as given (`--baseline FILE`). */
  source: string;
  new: number;
  unchanged: number;
  fixed: FixedFinding[];
}

/** The part of an earlier JSON review a comparison needs: its findings' ids and fingerprints. */
export interface EarlierFinding {
  id: string;
  title?: string;
  severity?: Finding["severity"];
  message?: string;
  kind?: string;
  suppressed?: boolean;
  fingerprint: string;
  evidence?: Array<{ file?: string; line?: number | null }>;
}

/**
 * Reads the findings of an earlier JSON review; throws with a plain message when the text is not one.
 * Only concerns count: strengths come and go with the code without being "fixed".
 */
export function earlierFindings(text: string, source: string): EarlierFinding[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(`${source} is not JSON: ${(error as Error).message}`);
  }
  const findings = (data as { findings?: unknown })?.findings;
  if (!Array.isArray(findings) || (data as { tool?: { name?: string } }).tool?.name !== "archscope") {
    throw new Error(`${source} is not an archscope JSON review (no tool.name "archscope" and findings[])`);
  }
  return findings.filter((f): f is EarlierFinding => typeof f?.id === "string" && typeof f?.fingerprint === "string" && (f.kind === undefined || f.kind === "concern"));
}

/**
 * Marks each concern of `review` new or unchanged against the earlier findings, matched by fingerprint (which
 * survives moved lines and edits elsewhere in the file), and lists the earlier concerns no longer reported.
 */
export function compareWithBaseline(review: Review, earlier: EarlierFinding[], source: string): BaselineComparison {
  const before = new Map(earlier.map((f) => [f.fingerprint, f]));
  const now = new Set<string>();
  let fresh = 0;
  let unchanged = 0;
  for (const f of review.findings) {
    if (f.kind !== "concern") continue;
    now.add(f.fingerprint);
    if (before.has(f.fingerprint)) {
      f.baseline = "unchanged";
      unchanged++;
    } else {
      f.baseline = "new";
      fresh++;
    }
  }
  const fixed = earlier
    .filter((f) => !now.has(f.fingerprint) && !f.suppressed)
    .map((f) => ({
      id: f.id,
      title: f.title ?? f.id,
      severity: f.severity ?? "low",
      message: f.message ?? "",
      file: f.evidence?.[0]?.file ?? "",
      line: f.evidence?.[0]?.line ?? null,
      fingerprint: f.fingerprint,
    }));
  return { source, new: fresh, unchanged, fixed };
}

/** Two JSON reviews compared concern by concern (`archscope diff OLD NEW`). */
export interface ReviewDiff {
  new: FixedFinding[];
  fixed: FixedFinding[];
  unchanged: FixedFinding[];
}

export function diffReviews(before: EarlierFinding[], after: EarlierFinding[]): ReviewDiff {
  const open = (list: EarlierFinding[]) => list.filter((f) => !f.suppressed);
  const old = new Set(open(before).map((f) => f.fingerprint));
  const now = new Set(open(after).map((f) => f.fingerprint));
  const shown = (f: EarlierFinding): FixedFinding => ({ id: f.id, title: f.title ?? f.id, severity: f.severity ?? "low", message: f.message ?? "", file: f.evidence?.[0]?.file ?? "", line: f.evidence?.[0]?.line ?? null, fingerprint: f.fingerprint });
  return {
    new: open(after).filter((f) => !old.has(f.fingerprint)).map(shown),
    fixed: open(before).filter((f) => !now.has(f.fingerprint)).map(shown),
    unchanged: open(after).filter((f) => old.has(f.fingerprint)).map(shown),
  };
}
