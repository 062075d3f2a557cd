import { fileRole, runsInProduction } from "../../core/file-roles.js";
import { defineCheck } from "../define.js";

export default defineCheck({
  id: "SEC019",
  area: "security",
  title: "No dependency vulnerability scanning",
  severity: "medium",
  kind: "concern",
  confidence: "medium",
  why: "Most of a Python service's code is its dependencies, and advisories for them appear every week (Django, Pillow, cryptography, urllib3, Jinja2). Without a scanner or an update bot nobody is told when a pinned version becomes vulnerable; without a lock file the versions that run are not even known, so an advisory cannot be checked against them.",
  recommendation: "Turn on Dependabot (`.github/dependabot.yml` with the `pip` or `uv` ecosystem) or Renovate, and run `pip-audit` (or `uv audit`, osv-scanner, Trivy) against the locked requirements in CI, failing the build on known vulnerabilities; on GitHub add `actions/dependency-review-action` to pull requests. Lock the dependencies first (see DEP012) so the scan sees what ships.",
  example: { bad: "# requirements.txt with ranges, no lock, nothing in CI checks advisories", good: "# .github/dependabot.yml\nversion: 2\nupdates:\n  - package-ecosystem: pip\n    directory: /\n    schedule: { interval: weekly }\n# CI\n- run: pip-audit -r requirements.lock" },
  references: ["https://github.com/pypa/pip-audit", "https://docs.github.com/en/code-security/dependabot", "https://owasp.org/Top10/A06_2021-Vulnerable_and_Outdated_Components/", "https://cwe.mitre.org/data/definitions/1104.html"],
  effort: "S",
  libraries: ["pip-audit", "safety"],
  dependsOn: ["DEP012"],
  cwe: "CWE-1104",
  owasp: "A06:2021",
  run({ model }) {
    const runtime = model.dependencies.filter((d) => !d.dev);
    if (!runtime.length || (model.securityConfig?.dependencyScanning.length ?? 0) > 0) return [];
    // the model was built without the deployment files (an index-only run): nothing can be said about scanning
    if (!model.securityConfig) return [];
    const manifest = runtime[0]?.manifest ?? "";
    // the lock the service installs from, not one for the docs build or a dev tool
    const lock = model.lockFiles.find((f) => runsInProduction(fileRole(f)) && !/(^|\/)requirements[-_.]?(dev|test|docs|lint)|\.in$/.test(f)) ?? model.lockFiles.find((f) => runsInProduction(fileRole(f))) ?? model.lockFiles[0];
    const pinned = runtime.every((d) => d.pinned);
    const scanners = "no Dependabot or Renovate configuration for Python and no pip-audit, safety, osv-scanner, Trivy, Snyk or dependency-review step in CI";
    if (lock || pinned) {
      return [{
        message: `Dependencies are ${lock ? `locked (${lock})` : "pinned with =="}, but nothing checks them for known vulnerabilities: ${scanners}. Pinned versions stay the same while advisories against them accumulate.`,
        evidence: [{ file: lock ?? manifest, line: null }],
        severity: "low",
      }];
    }
    return [{
      message: `No lock file or full pinning and no vulnerability scanning: ${scanners}. The versions that run are whatever resolved at build time, and no one is told when one of them has an advisory (the missing lock itself is DEP012).`,
      evidence: [{ file: manifest, line: null }],
    }];
  },
});
