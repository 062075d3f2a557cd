import type { Check } from "./types.js";

/** One check: its metadata (for docs, `rules`, `explain`, SARIF) beside its logic. */
export function defineCheck(check: Check): Check {
  if (!/^(ARCH|DB|API|SEC|PERF|OBS|DEP|CODE|DATA|RES|DOC)(-S)?\d{3}$/.test(check.id)) {
    throw new Error(`check id ${check.id} does not follow the catalog's form`);
  }
  return check;
}
