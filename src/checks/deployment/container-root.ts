import { defineCheck } from "../define.js";
import type { Report } from "../types.js";

const ROOT = /^(root|0)(:.*)?$/;
const DROPS_PRIVILEGES = /\b(gosu|su-exec|setpriv|runuser|chpst)\b/;

export default defineCheck({
  id: "DEP002",
  area: "deployment",
  title: "Container runs as root",
  severity: "medium",
  kind: "concern",
  confidence: "high",
  why: "A process running as root inside a container turns any remote-code-execution bug into root in the container, with write access to the image's files and a much shorter path to escaping onto the host through a kernel or runtime flaw.",
  recommendation: "Create an unprivileged user in the final stage and switch to it before CMD (`RUN useradd --create-home app` then `USER app`), owning only what the app must write.",
  example: {
    bad: 'FROM python:3.12-slim\nCOPY . /app\nCMD ["gunicorn", "app.main:app"]',
    good: 'FROM python:3.12-slim\nRUN useradd --create-home app\nCOPY --chown=app . /app\nUSER app\nCMD ["gunicorn", "app.main:app"]',
  },
  references: ["https://docs.docker.com/build/building/best-practices/#user", "https://cwe.mitre.org/data/definitions/250.html"],
  effort: "S",
  libraries: [],
  cwe: "CWE-250",
  run({ model }) {
    const reports: Report[] = [];
    // archscope reviews Python backends: front-end, proxy and test-runner images are someone else's concern
    for (const d of model.dockerfiles.filter((f) => f.runsPython)) {
      const last = d.stages[d.stages.length - 1];
      if (!last) continue;
      // an entrypoint that drops privileges (gosu, su-exec) starts the app as another user
      if ([d.entrypoint, d.command].some((c) => c && DROPS_PRIVILEGES.test(c.text))) continue;
      if (!d.user) {
        reports.push({ message: `The final stage (${last.image}) sets no USER, so the application runs as root.`, evidence: [{ file: d.file, line: last.line, snippet: `FROM ${last.image}` }] });
      } else if (ROOT.test(d.user.name)) {
        reports.push({ message: `The final stage switches to USER ${d.user.name}: the application runs as root.`, evidence: [{ file: d.file, line: d.user.line, snippet: `USER ${d.user.name}` }] });
      }
    }
    return reports;
  },
});
