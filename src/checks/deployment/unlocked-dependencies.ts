import { defineCheck } from "../define.js";

export default defineCheck({
  id: "DEP012",
  area: "deployment",
  title: "Dependencies not locked",
  severity: "medium",
  kind: "concern",
  confidence: "high",
  why: "With only ranges (`fastapi>=0.110`) every install resolves anew: two builds of the same commit can ship different library versions, a broken or compromised release reaches production unreviewed, and a bug cannot be reproduced from the commit alone.",
  recommendation: "Commit a lock file (uv.lock, poetry.lock, pdm.lock, Pipfile.lock, or requirements compiled with pip-tools/uv pip compile, ideally with hashes) and install from it in the image and in CI.",
  example: { bad: 'dependencies = ["fastapi>=0.110", "sqlalchemy>=2"]  # and no lock file', good: "uv lock  # commit uv.lock; `uv sync --frozen` in the Dockerfile" },
  references: ["https://docs.astral.sh/uv/concepts/projects/sync/", "https://pip-tools.readthedocs.io/"],
  effort: "S",
  libraries: ["uv", "pip-tools", "poetry"],
  run({ model }) {
    if (model.lockFiles.length > 0) return [];
    const runtime = model.dependencies.filter((d) => !d.dev);
    if (runtime.length === 0) return [];
    const open = [...new Map(runtime.filter((d) => !d.pinned).map((d) => [d.name, d])).values()];
    // a requirements file pinning every dependency with == is a lock in all but name
    if (open.length === 0) return [];
    const manifest = open[0]?.manifest ?? "";
    return [{
      message: `No lock file, and ${open.length} of ${new Set(runtime.map((d) => d.name)).size} runtime dependencies are ranges (${open.slice(0, 4).map((d) => `${d.name}${d.spec}`).join(", ")}${open.length > 4 ? ", …" : ""}).`,
      evidence: [{ file: manifest, line: null }],
    }];
  },
});
