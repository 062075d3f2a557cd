import { AREAS, type Check } from "../checks/types.js";

/** Whether `--select`/`--ignore` (or the configuration's lists) name something: `ALL`, an area, an id or an id prefix. */
export function validSelector(selector: string, checks: readonly Check[]): boolean {
  const s = selector.trim();
  if (s.toUpperCase() === "ALL" || (AREAS as readonly string[]).includes(s.toLowerCase())) return true;
  return /^[A-Za-z]+\d*$/.test(s) && checks.some((c) => c.id.startsWith(s.toUpperCase()));
}
