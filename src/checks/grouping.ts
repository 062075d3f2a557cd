import { fileRole, runsInProduction } from "../core/file-roles.js";

/**
 * A check that fires on many instances of one cause (tasks of one Celery app, calls through one helper,
 * endpoints of one API) reports one finding with the count and every location as evidence, the primary
 * one first, from this many instances on: a review reads like a reviewer's, not like a linter's.
 */
export const GROUP_FROM = 5;

/**
 * Instances split by where they run: those in application or deployment files, and the rest (tests,
 * fixtures, tooling, examples, migrations). Each part is grouped on its own, so a finding about the
 * service never counts or lists a lint-rule fixture, and the rest is lowered by its role.
 */
export function byRole<T>(items: T[], fileOf: (item: T) => string): [T[], T[]] {
  const production: T[] = [];
  const rest: T[] = [];
  for (const item of items) (runsInProduction(fileRole(fileOf(item))) ? production : rest).push(item);
  return [production, rest];
}
