import { fileRole, runsInProduction } from "../../core/file-roles.js";
import { isDevelopmentServer } from "../../model/deployment/server-command.js";
import type { Evidence } from "../../model/types.js";
import { defineCheck } from "../define.js";
import type { Report } from "../types.js";

const ROOT = /^(root|0)(:.*)?$/;
const SUPERVISOR = /(^|[\s"'[,])\/init\b|s6-overlay|supervisord|\brunit\b/;
const GROUP_FROM = 3;
const TOOLING_STAGE = /(^|[-_.])(test|tests|testing|ci|dev|devel|develop|development|lint|docs?|debug)([-_.]|$)/;
const RUNS_TESTS = /\b(pytest|tox|nox|make\W+test|manage\.py\W+test|unittest)\b/;
const LAMBDA_BASE = /^(public\.ecr\.aws\/lambda\/|amazon\/aws-lambda-)/;
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
    const found: Array<{ message: string; evidence: Evidence; key: string; severity?: "low" }> = [];
    // archscope reviews Python backends: front-end, proxy and test-runner images are someone else's concern
    const scripts = new Map(model.containerScripts.map((s) => [s.file, s]));
    const targeted = new Map(model.buildTargets.map((t) => [t.stage, t]));
    for (const d of model.dockerfiles.filter((f) => f.runsPython)) {
      // the last stage is the image a plain `docker build` makes; CI or compose may build an earlier stage by name too
      // (a test-runner or development stage that CI builds to run the suite is not what production runs)
      // (nor is a build stage built by name to fill a cache: it starts nothing of its own)
      const reviewed = d.stages.filter((s, i) => i === d.stages.length - 1 || (s.alias !== null && targeted.has(s.alias) && !TOOLING_STAGE.test(s.alias) && !RUNS_TESTS.test(s.command?.text ?? "") && (s.command !== null || s.entrypoint !== null)));
      // an image compose runs with a reloading development server is a development image
      // (only when every service that builds it does: `compose.yml` may run it for production and `compose.override.yml` for development)
      const builders = model.composeServices.filter((c) => c.dockerfile === d.file);
      const development = builders.length > 0 && builders.every((c) => isDevelopmentServer(c.server)) ? builders[0] : undefined;
      for (const stage of reviewed) {
        const final = stage === d.stages[d.stages.length - 1];
        // AWS Lambda runs a container image's function as its own unprivileged user, whatever the image says
        if (LAMBDA_BASE.test(stage.image)) continue;
        const commands = final ? [d.entrypoint, d.command] : [stage.entrypoint, stage.command];
        // an entrypoint that drops privileges (gosu, su-exec) starts the app as another user, on its command line
        if (commands.some((c) => c && DROPS_PRIVILEGES.test(c.text))) continue;
        // or in the script it runs (`exec gosu "$PUID" "$0"`, an s6 service's `s6-setuidgid app granian ...`)
        if (final && d.startScripts.some((f) => scripts.get(f)?.privilegeDrop)) continue;
        // a process supervisor (s6-overlay's /init, supervisord) starts services that may each drop to a user of their own
        const supervised = commands.some((c) => c && SUPERVISOR.test(c.text));
        // an image with no command of its own that nothing here runs is a base for other images (`FROM org/base`)
        const base = final && !d.entrypoint && !d.command && !model.composeServices.some((c) => c.dockerfile === d.file);
        const note = supervised
          ? " (a process supervisor starts it; check that each service drops to an unprivileged user)"
          : development
            ? ` (a development image: ${development.file} runs it as \`${development.name}\` with a reloading server)`
            : base
              ? " (it sets no CMD or ENTRYPOINT and nothing here runs it: if it is a base image, the images built on it decide the user)"
              : "";
        const low = supervised || development !== undefined || base;
        const target = final ? undefined : targeted.get(stage.alias ?? "");
        const name = target ? `The stage \`${stage.alias}\` that ${target.file}:${target.line} builds` : "The final stage";
        const user = final ? d.user : stage.user;
        if (!user) {
          found.push({ message: `${name} (${stage.image}) sets no USER, so the application runs as root${note}.`, evidence: { file: d.file, line: stage.line, snippet: `FROM ${stage.image}` }, key: `${stage.image} ${stage.line} ${low}`, ...(low ? { severity: "low" as const } : {}) });
        } else if (ROOT.test(user.name)) {
          found.push({ message: `${name} switches to USER ${user.name}: the application runs as root${note}.`, evidence: { file: d.file, line: user.line, snippet: `USER ${user.name}` }, key: `USER ${user.name} ${user.line} ${low}`, ...(low ? { severity: "low" as const } : {}) });
        }
      }
    }
    // copies of one Dockerfile (same final image on the same line) are one finding
    const byKey = new Map<string, typeof found>();
    for (const f of found) byKey.set(f.key, [...(byKey.get(f.key) ?? []), f]);
    const groups = [...byKey.values()];
    // several production images running as root (often built on one another) are one habit: one finding; tooling images stay apart
    const production = groups.filter((g) => runsInProduction(fileRole(g[0]?.evidence.file ?? "")) && !g[0]?.severity);
    const rest = groups.filter((g) => !production.includes(g));
    const reports: Report[] = [];
    if (production.length >= GROUP_FROM) {
      reports.push({ message: `${production.length} images run the application as root (no USER, or USER root last): ${production.map((g) => g[0]?.evidence.file).join(", ")}.`, evidence: production.flatMap((g) => g.map((f) => f.evidence)) });
    } else rest.unshift(...production);
    return [...reports, ...rest.map((g): Report => {
      const first = g[0] as (typeof found)[number];
      const copies = g.length > 1 ? ` The same stage is in ${g.slice(1).map((f) => f.evidence.file).join(", ")}.` : "";
      return { message: `${first.message}${copies}`, evidence: g.map((f) => f.evidence), ...(first.severity ? { severity: first.severity } : {}) };
    })];
  },
});
