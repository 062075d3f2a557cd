import { fileRole } from "../../core/file-roles.js";
import { isProductionArtefact } from "../../model/capacity-numbers.js";
import { isDevelopmentServer } from "../../model/deployment/server-command.js";
import type { Evidence, SystemModel } from "../../model/types.js";
import type { ProjectIndex } from "../../python/project-index.js";
import { isServiceCode } from "../code-paths.js";
import { defineCheck } from "../define.js";
import { shortName } from "../handlers.js";
import { countEvidence, deploymentInstances } from "../scalability/deployment-instances.js";
import { startupFunctions, startupScope } from "../scalability/startup-code.js";
import type { Report } from "../types.js";

/** Commands that apply schema migrations (not `migrate --check`/`--plan`, which only look). */
const MIGRATE = /\balembic(\s+(-c|--config|-n|--name|-x)\s+\S+)*\s+upgrade\b|\b(manage\.py|django-admin|[\w-]*-manage|manage)\s+migrate\b(?![^&;|]*--(check|plan))|\bflask\s+db\s+upgrade\b|\baerich\s+upgrade\b|\bpiccolo\s+migrations\s+forwards\b|\byoyo\s+apply\b|\bprisma\s+migrate\s+deploy\b/;
/** A Kubernetes Job, Helm hook or init container that runs migrations, judged by its name. */
const MIGRATION_NAME = /migrat|db-?upgrade|alembic|schema-?update/i;
/** Python calls that apply migrations from inside the application. */
const MIGRATE_CALL = /^(alembic\.command\.upgrade|flask_migrate\.upgrade|aerich\.Command\.upgrade)$/;

interface StartCommand {
  file: string;
  line: number;
  text: string;
  /** Procfile `release:`: run once per release, before the new processes start. */
  release: boolean;
}

/** The commands the production deployment starts its containers and processes with. */
function startCommands(model: SystemModel): StartCommand[] {
  const out: StartCommand[] = [];
  for (const d of model.dockerfiles) {
    if (!isProductionArtefact(d.file, model) || !d.runsPython) continue;
    for (const c of [d.entrypoint, d.command]) if (c) out.push({ file: d.file, line: c.line, text: c.text, release: false });
  }
  for (const s of model.composeServices) if (s.command && isProductionArtefact(s.file, model)) out.push({ file: s.file, line: s.line, text: s.command, release: false });
  for (const p of model.procfile) if (isProductionArtefact(p.file, model)) out.push({ file: p.file, line: p.line, text: p.command, release: p.process === "release" });
  return out;
}

/** `call_command("migrate")`, `alembic.command.upgrade(cfg, "head")` in application code (not a management command or CLI): those run at start-up, and how many run elsewhere (an admin endpoint). */
function migrationsInCode(index: ProjectIndex): { atStartup: Evidence[]; elsewhere: number } {
  const out: Evidence[] = [];
  let elsewhere = 0;
  const startup = startupFunctions(index);
  for (const mod of index.modules.values()) {
    if (!isServiceCode(mod.file) || fileRole(mod.file) !== "application") continue;
    for (const call of mod.facts.calls) {
      const resolved = call.qualified ? index.resolve(call.qualified, mod.name) : "";
      const django = resolved === "django.core.management.call_command" && call.args[0]?.value === "migrate";
      // an admin endpoint or a command that migrates on request is not start-up
      if (!django && !MIGRATE_CALL.test(resolved)) continue;
      if (!startupScope(mod, call, startup)) {
        elsewhere++;
        continue;
      }
      out.push({ file: mod.file, line: call.line, snippet: `${call.enclosing ? `${shortName(`${mod.name}.${call.enclosing}`)}: ` : ""}${call.snippet}`.slice(0, 140) });
    }
  }
  return { atStartup: out, elsewhere };
}

export default defineCheck({
  id: "DEP011",
  area: "deployment",
  title: "Migrations run at start-up by every replica, or by nothing",
  severity: "medium",
  kind: "concern",
  confidence: "medium",
  why: "A container command or start script that runs `migrate`/`alembic upgrade` before the server makes every replica (and every pod an autoscaler adds, and every restart) apply migrations: during a rolling deploy several run them at once, and Django's and Alembic's migrations take no lock against each other, so two replicas apply the same migration, one fails half-way, or old pods serve against a schema they do not know. Migrations that nothing runs are applied by hand, or forgotten until a deploy breaks.",
  recommendation: "Run migrations once per release, before the new version starts: a Kubernetes Job or a Helm `pre-install,pre-upgrade` hook, a Procfile `release:` phase (Heroku, Dokku), a CI/CD step, or an ECS one-off task; keep them backward-compatible (expand, then contract) so old and new pods both work during the rollout. With a single instance, migrating in the entrypoint is fine.",
  example: { bad: 'CMD ["sh", "-c", "python manage.py migrate && gunicorn app.wsgi --workers 4"]\n# Deployment: replicas: 4', good: "# Procfile\nrelease: python manage.py migrate\nweb: gunicorn app.wsgi --workers 4" },
  references: ["https://devcenter.heroku.com/articles/release-phase", "https://helm.sh/docs/topics/charts_hooks/", "https://alembic.sqlalchemy.org/en/latest/cookbook.html", "https://docs.djangoproject.com/en/stable/ref/django-admin/#migrate"],
  effort: "S",
  libraries: ["alembic", "django"],
  run({ model, index, context }) {
    const instances = deploymentInstances(model, index, context);
    const commands = startCommands(model);
    const atStart = commands.filter((c) => !c.release && MIGRATE.test(c.text));
    // replicas are read from Kubernetes or a platform, which run the image's own command: a compose or Procfile command is another deployment
    const imageStart = atStart.filter((c) => model.dockerfiles.some((d) => d.file === c.file && !isDevelopmentServer(d.server)));
    const released = commands.filter((c) => c.release && MIGRATE.test(c.text));
    const workloads = model.kubernetes.filter((w) => isProductionArtefact(w.file, model));
    const jobs = workloads.filter((w) => (w.kind === "Job" || w.kind === "CronJob") && MIGRATION_NAME.test(w.name));
    const initContainers = workloads.filter((w) => w.kind !== "Job" && w.kind !== "CronJob").flatMap((w) => w.initContainers.filter((n) => MIGRATION_NAME.test(n)).map((name) => ({ w, name })));
    const inCode = migrationsInCode(index);
    const reports: Report[] = [];
    const several = instances?.multiReplica === true;
    const counts = instances ? countEvidence(instances) : [];
    if (several && instances) {
      for (const c of imageStart) {
        reports.push({
          message: `The start command runs migrations (\`${c.text.match(MIGRATE)?.[0]}\` in ${c.file}:${c.line}) and the web tier runs ${instances.replicasText}: every replica applies them as it starts, at the same time during a rollout, with no lock between them.`,
          evidence: [{ file: c.file, line: c.line, snippet: c.text.slice(0, 160) }, ...counts],
        });
      }
      for (const { w, name } of initContainers) {
        reports.push({
          message: `Init container \`${name}\` of ${w.kind} ${w.name} (${w.file}:${w.line}) runs migrations, and init containers run once per pod: with ${instances.replicasText} every pod applies them as it starts. A Job or a Helm pre-upgrade hook runs them once.`,
          evidence: [{ file: w.file, line: w.line, snippet: `initContainers: ${name}` }, ...counts],
        });
      }
    }
    // the application migrating itself at import or start-up: once per process, so workers count too
    if (instances && (instances.multiProcess || instances.multiReplica)) {
      for (const e of inCode.atStartup) {
        reports.push({
          message: `Application code applies migrations as it starts (${e.snippet}, ${e.file}:${e.line}): each of ${instances.summary} applies them, concurrently and with no lock between them (unless gunicorn's \`--preload\` runs the start-up once). Run them once per release instead.`,
          evidence: [e, ...counts],
        });
      }
    }
    if (reports.length || atStart.length || released.length || jobs.length || initContainers.length || inCode.atStartup.length || inCode.elsewhere) return reports;
    // nothing runs them: only claimed when every place that could is readable here
    const app = model.migrations.find((m) => fileRole(m) === "migration" || fileRole(m) === "application");
    const deployed = model.dockerfiles.find((d) => d.runsPython && (d.command ?? d.entrypoint) && isProductionArtefact(d.file, model)) ?? model.procfile.find((p) => p.process === "web" && isProductionArtefact(p.file, model));
    // a release phase, a start script, a deploying CI job, a Helm chart or a platform may run them in a way not read here
    const releasePhase = commands.some((c) => c.release);
    const unreadable = releasePhase || model.containerScripts.length > 0 || model.dockerfiles.some((d) => d.startScripts.length > 0) || model.ci.some((p) => p.jobs.some((j) => j.deploys)) || workloads.some((w) => w.helm) || model.platforms.length > 0;
    if (!app || !deployed || unreadable) return [];
    const where: Evidence = "stages" in deployed ? { file: deployed.file, line: deployed.command?.line ?? deployed.entrypoint?.line ?? null, snippet: (deployed.command ?? deployed.entrypoint)?.text } : { file: deployed.file, line: deployed.line, snippet: deployed.command };
    return [
      {
        message: `The repository has ${model.migrations.length} migration file${model.migrations.length === 1 ? "" : "s"} (${app}), but no container command, Procfile \`release:\` phase, Kubernetes Job or init container runs them (${where.file} starts the service): they are applied by hand, if at all. CI steps and scripts outside the repository are not visible here.`,
        evidence: [where, { file: app, line: null }],
        severity: "low",
        confidence: "low",
      },
    ];
  },
});
