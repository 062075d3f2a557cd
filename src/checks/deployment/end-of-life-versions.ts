import { fileRole, runsInProduction } from "../../core/file-roles.js";
import { END_OF_LIFE, type EndOfLifeProduct, hasEnded, newestAdmitted, type SupportEnd, supportEnd, today } from "../../model/catalog/end-of-life.js";
import type { Evidence, SystemModel } from "../../model/types.js";
import { defineCheck } from "../define.js";
import type { Report } from "../types.js";

/** FastAPI releases before 0.100 require Pydantic 1. */
const FASTAPI_SERIES = Array.from({ length: 141 }, (_, i) => `0.${i}`);

interface Constraint {
  product: EndOfLifeProduct;
  end: SupportEnd;
  series: string;
  evidence: Evidence;
  /** Why this version is the one that runs (`requires-python caps it`, `pinned`). */
  how: string;
}

function product(name: string): EndOfLifeProduct {
  const found = END_OF_LIFE.find((p) => p.package === name);
  if (!found) throw new Error(`no end-of-life data for ${name}`);
  return found;
}

/** What one specifier allows at most, when that is an ended series. */
function ended(productName: string, spec: string, date: string): { end: SupportEnd; series: string } | null {
  const p = product(productName);
  const series = newestAdmitted(spec, p.series);
  const end = series ? supportEnd(p, series) : null;
  return series && end && hasEnded(end, date) ? { end, series } : null;
}

/**
 * Runtime and core-framework versions whose support has ended on `date`, from what the project pins or caps: a
 * dependency whose specifier admits no supported series (`Django>=3.2,<4`, `==4.2.11`, `~=3.2`), a Python version
 * declared as the one used (`.python-version`, `runtime.txt`) or the newest one `requires-python` allows. A lower
 * bound alone admits the newest release and says nothing. Dockerfile base images are DEP003's.
 */
export function endOfLifeReports(model: SystemModel, date: string): Report[] {
  const found: Constraint[] = [];
  const inProduction = (file: string) => runsInProduction(fileRole(file));
  for (const d of model.dependencies) {
    if (d.dev || !inProduction(d.manifest) || /python_version|python_full_version|platform|sys_platform/.test(d.marker ?? "")) continue;
    const p = END_OF_LIFE.find((e) => e.package === d.name && e.package !== "python" && e.package !== "pydantic");
    const hit = p && d.spec ? ended(p.package, d.spec, date) : null;
    if (p && hit) found.push({ product: p, ...hit, evidence: { file: d.manifest, line: d.line, snippet: `${d.name}${d.spec}` }, how: d.pinned ? "pinned" : `\`${d.spec}\` allows no newer series` });
  }
  // Pydantic 1 matters where FastAPI serves it: pinned directly, or implied by a FastAPI older than 0.100
  const fastapi = model.dependencies.filter((d) => d.name === "fastapi" && !d.dev && inProduction(d.manifest));
  if (fastapi.length) {
    const pydantic = product("pydantic");
    for (const d of model.dependencies) {
      if (d.name !== "pydantic" || d.dev || !inProduction(d.manifest) || !d.spec) continue;
      const hit = ended("pydantic", d.spec, date);
      if (hit) found.push({ product: pydantic, ...hit, evidence: { file: d.manifest, line: d.line, snippet: `${d.name}${d.spec}` }, how: "with FastAPI" });
    }
    const v1 = supportEnd(pydantic, "1");
    for (const d of fastapi) {
      const newest = d.spec ? newestAdmitted(d.spec, FASTAPI_SERIES) : null;
      if (v1 && newest && Number(newest.split(".")[1]) < 100 && hasEnded(v1, date) && !found.some((f) => f.product === pydantic)) {
        found.push({ product: pydantic, end: v1, series: "1", evidence: { file: d.manifest, line: d.line, snippet: `${d.name}${d.spec}` }, how: `FastAPI \`${d.spec}\` (before 0.100) requires it` });
      }
    }
  }
  const python = product("python");
  for (const declared of model.hostRuntime?.python ?? []) {
    if (!runsInProduction(fileRole(declared.file))) continue;
    const hit = ended("python", declared.spec, date);
    if (!hit) continue;
    const how = declared.kind === "exact" ? `the version ${declared.source} selects` : `the newest ${declared.source === "poetry" ? "Poetry's `python`" : "`requires-python`"} \`${declared.spec}\` allows`;
    found.push({ product: python, ...hit, evidence: { file: declared.file, line: declared.line, snippet: declared.spec }, how });
  }
  const reports: Report[] = [];
  for (const p of END_OF_LIFE) {
    const mine = found.filter((f) => f.product === p);
    const first = mine[0];
    if (!first) continue;
    // the newest series anywhere decides the message; every place that holds the product back is evidence
    const shown = [...mine].sort((a, b) => (a.end.ended < b.end.ended ? 1 : -1))[0] ?? first;
    const when = shown.end.basis === "end of support" ? `support ended ${shown.end.ended}` : shown.end.basis === "last release" ? `the project marks it end-of-life (last release ${shown.end.ended})` : `superseded ${shown.end.ended} and no longer fixed`;
    const label = p.package === "pydantic" ? "Pydantic 1" : `${p.name} ${shown.series}`;
    const where = mine.map((m) => `${m.evidence.file}:${m.evidence.line} (${m.how})`).join(", ");
    reports.push({
      message: `${label} is end-of-life: ${when}, so it gets no security fixes. It is held here by ${where}. Move to ${p.name} ${shown.end.moveTo} (${shown.end.source}).`,
      evidence: mine.map((m) => m.evidence),
    });
  }
  return reports;
}

export default defineCheck({
  id: "DEP014",
  area: "deployment",
  title: "End-of-life runtime or framework version",
  severity: "medium",
  kind: "concern",
  confidence: "high",
  why: "A Python or framework series past its end of support gets no security fixes: the next Django, Flask or interpreter advisory stays open in production, and each month on it makes the eventual upgrade (and the libraries that dropped it) harder.",
  recommendation: "Raise the pin or ceiling to a supported series and upgrade on purpose: the current Python 3.12/3.13, Django's current LTS, Flask 3.1, Pydantic 2 with a current FastAPI (bump-pydantic automates most of it), SQLAlchemy 2.0 (its 2.0 migration guide), Celery 5. Run the test suite against the new version in CI first; pyupgrade and django-upgrade rewrite most of the deprecated syntax.",
  example: { bad: '# pyproject.toml\nrequires-python = ">=3.8,<3.10"\ndependencies = ["Django>=3.2,<4.0"]', good: '# pyproject.toml\nrequires-python = ">=3.12"\ndependencies = ["Django>=5.2,<6.0"]' },
  references: ["https://devguide.python.org/versions/", "https://www.djangoproject.com/download/#supported-versions", "https://docs.pydantic.dev/latest/version-policy/", "https://www.sqlalchemy.org/download.html#relstatus", "https://owasp.org/Top10/A06_2021-Vulnerable_and_Outdated_Components/"],
  effort: "M",
  libraries: ["pyupgrade", "django-upgrade", "bump-pydantic"],
  cwe: "CWE-1104",
  owasp: "A06:2021",
  run({ model }) {
    return endOfLifeReports(model, today());
  },
});
