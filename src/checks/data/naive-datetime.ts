import { isServiceCode } from "../code-paths.js";
import { defineCheck } from "../define.js";
import type { Report } from "../types.js";

export default defineCheck({
  id: "DATA006",
  area: "data",
  title: "Naive datetimes",
  severity: "low",
  kind: "concern",
  confidence: "high",
  why: "`datetime.utcnow()` and `datetime.now()` without a timezone return naive values: compared with aware timestamps from the database they raise, and stored they are read back in whatever zone the server happens to use; `utcnow()` is deprecated since Python 3.12.",
  recommendation: "Use aware datetimes everywhere: `datetime.now(timezone.utc)` (or `datetime.now(UTC)`), timestamp columns with time zone, and Django's `USE_TZ = True`.",
  example: { bad: "cutoff = datetime.utcnow() - timedelta(minutes=15)", good: "cutoff = datetime.now(UTC) - timedelta(minutes=15)" },
  references: ["https://docs.python.org/3/library/datetime.html#datetime.datetime.utcnow", "https://docs.djangoproject.com/en/stable/topics/i18n/timezones/"],
  effort: "S",
  libraries: [],
  run({ index }) {
    const reports: Report[] = [];
    for (const mod of index.modules.values()) {
      if (!isServiceCode(mod.file)) continue;
      for (const call of mod.facts.calls) {
        const q = call.qualified ?? "";
        const utcnow = q === "datetime.datetime.utcnow" || q === "datetime.datetime.utcfromtimestamp";
        const naiveNow = (q === "datetime.datetime.now" || q === "datetime.datetime.today") && call.args.length === 0 && !call.hasStarArgs;
        if (!utcnow && !naiveNow) continue;
        reports.push({ message: `${call.callee}() returns a naive datetime (no time zone).`, evidence: [{ file: mod.file, line: call.line, snippet: call.snippet }] });
      }
      for (const a of mod.facts.assignments) {
        if (a.target === "USE_TZ" && a.value === false) reports.push({ message: "USE_TZ = False: Django stores and compares naive datetimes.", evidence: [{ file: mod.file, line: a.line, snippet: "USE_TZ = False" }] });
      }
    }
    return reports;
  },
});
