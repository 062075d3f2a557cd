import { compareCodeUnits } from "../../core/diagnostics.js";
import { defineCheck } from "../define.js";

/** Below this many test functions per 1,000 lines of application code, coverage is thin. */
const LOW_RATIO = 2;

export default defineCheck({
  id: "CODE004",
  area: "code",
  title: "No automated tests, or very few",
  severity: "high",
  kind: "concern",
  confidence: "high",
  why: "Without tests every change is verified by hand or in production; refactoring the architecture (the very thing a review recommends) becomes too risky to do, and regressions reach users first.",
  recommendation: "Add a pytest suite that starts with the API's critical paths (FastAPI TestClient / httpx.AsyncClient, Django's test client, pytest-django), run it in CI on every push, and grow it with every bug fixed.",
  example: {
    bad: "# no tests/ folder",
    good: 'def test_create_order(client):\n    response = client.post("/api/v1/orders", json={...})\n    assert response.status_code == 201',
  },
  references: ["https://docs.pytest.org/", "https://fastapi.tiangolo.com/tutorial/testing/", "https://docs.djangoproject.com/en/stable/topics/testing/"],
  effort: "L",
  libraries: ["pytest", "pytest-asyncio", "pytest-django", "httpx", "factory-boy"],
  run({ model, index }) {
    const { files, functions, appCodeLines } = model.tests;
    if (appCodeLines === 0) return [];
    const firstModule = [...index.modules.values()].map((m) => m.file).sort(compareCodeUnits)[0];
    const where = model.manifests.find((m) => m.endsWith("pyproject.toml")) ?? model.manifests[0] ?? model.appFiles[0] ?? firstModule ?? "";
    if (functions === 0) {
      return [{
        message: files ? `${files} test file(s) but no test functions for ${appCodeLines} lines of application code.` : `No test files for ${appCodeLines} lines of application code.`,
        evidence: [{ file: where, line: null }],
      }];
    }
    const perKloc = (functions * 1000) / appCodeLines;
    if (appCodeLines >= 500 && perKloc < LOW_RATIO) {
      return [{
        message: `${functions} test function(s) for ${appCodeLines} lines of application code (${perKloc.toFixed(1)} per 1,000 lines): most code is untested.`,
        evidence: [{ file: where, line: null }],
        severity: "medium",
      }];
    }
    return [];
  },
});
