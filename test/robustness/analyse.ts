import { CHECKS } from "../../src/checks/registry.js";
import type { Finding } from "../../src/checks/types.js";
import type { Diagnostic } from "../../src/core/diagnostics.js";
import { project } from "../helpers/project.js";

/**
 * An in-memory project (test/helpers/project.ts) through every registered check, keeping what the stages report:
 * the model's diagnostics, configuration problems and checks that threw.
 */
export async function analyse(files: Record<string, string>): Promise<{ findings: Finding[]; diagnostics: Diagnostic[]; problems: string[] }> {
  return (await project(files)).check(...CHECKS);
}

/** Diagnostics that say a check threw: a check must cope with whatever the model holds. */
export function checkFailures(diagnostics: Diagnostic[]): string[] {
  return diagnostics.filter((d) => d.level === "error" && /^check \S+ failed/.test(d.message)).map((d) => d.message);
}
