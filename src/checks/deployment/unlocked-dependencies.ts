import { defineCheck } from "../define.js";

/** A specifier with an upper bound: a wildcard pin (`==5.2.*`), a compatible release (`~=5.2.1`), or `<`/`<=`. */
const BOUNDED = /^==[^,]*\*$|^~=|(^|,)\s*<=?\s*\d/;

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
    // ranges with an upper bound (`==5.2.*`, `~=5.2.1`, `>=5.2,<5.3`) take fixes, never a new major: builds drift, but not far
    const unbounded = open.filter((d) => !BOUNDED.test(d.spec.trim()));
    const mostlyBounded = unbounded.length < open.length && unbounded.length * 5 <= open.length;
    const examples = (unbounded.length ? unbounded : open).slice(0, 4).map((d) => `${d.name}${d.spec}`).join(", ");
    const total = new Set(runtime.map((d) => d.name)).size;
    return [{
      message: mostlyBounded
        ? `No lock file: ${open.length} of ${total} runtime dependencies are bounded ranges (such as ${open[0]?.name}${open[0]?.spec}) that take new patch releases, ${unbounded.length ? `and ${unbounded.length} ${unbounded.length === 1 ? "has" : "have"} no upper bound (${examples})` : "and none is open-ended"}; installs are not reproducible, but ${unbounded.length ? "apart from those, " : ""}they cannot jump a major version.`
        : `No lock file, and ${open.length} of ${total} runtime dependencies are ranges (${examples}${unbounded.length > 4 ? ", …" : ""}).`,
      evidence: [{ file: manifest, line: null }],
      ...(mostlyBounded ? { severity: "low" as const } : {}),
    }];
  },
});
