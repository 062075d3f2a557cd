import { fileRole, runsInProduction } from "../../core/file-roles.js";
import type { Evidence, SystemModel } from "../../model/types.js";
import type { ArgumentFact, AssignmentFact } from "../../python/facts.js";
import type { ModuleInfo, ProjectIndex } from "../../python/project-index.js";
import { isServiceCode } from "../code-paths.js";
import { defineCheck } from "../define.js";
import type { Report } from "../types.js";

/** Celery's eager switch under its new and old names, as a Django setting or a Celery config key. */
const EAGER_SETTING = /^(CELERY_TASK_ALWAYS_EAGER|CELERY_ALWAYS_EAGER|task_always_eager|CELERY_TASK_EAGER)$/;
const EAGER_KEY = /["'](task_always_eager|CELERY_TASK_ALWAYS_EAGER|CELERY_ALWAYS_EAGER|always_eager)["']\s*:\s*True\b/;
/** Environment lookups: `os.getenv`, `os.environ.get`, django-environ's `env.bool`, python-decouple's `config`, project helpers named `*_from_env`. */
const ENV_LOOKUP = /(^|\.)(getenv|environ\.get|bool|config|env|get_bool_from_env|\w*_from_env|strtobool)$/;
const TRUTHY = /^["']?(true|1|yes|on)["']?$/i;
/** Configuration classes for tests and development (`TestingConfig`, `DevConfig`). */
const NOT_PRODUCTION_CLASS = /test|dev|local|debug/i;
const STUB_BROKER = /^dramatiq\.brokers\.stub\.StubBroker$/;
const RQ_QUEUE = /^(rq\.Queue|rq\.queue\.Queue|django_rq\.get_queue|django_rq\.queues\.get_queue)$/;
const HUEY = /^huey\.(RedisHuey|PriorityRedisHuey|RedisExpireHuey|SqliteHuey|MemoryHuey|FileHuey|Huey|api\.\w*Huey)$/;
/** A condition that keeps the line to tests or development. */
const TEST_GUARD = /test|pytest|debug|development|local/i;

const truthy = (a: ArgumentFact | undefined) => a !== undefined && (a.value === true || (typeof a.value === "string" && TRUTHY.test(a.value)) || (typeof a.value === "number" && a.value !== 0));

/** `env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)`: the variable's name when the default is on. */
function onByDefault(a: AssignmentFact): string | null {
  if (a.kind !== "call" || !a.args || !ENV_LOOKUP.test(a.callee ?? "")) return null;
  const byName = a.args.find((x) => x.name === "default");
  if (!truthy(byName ?? a.args.filter((x) => x.name === null)[1])) return null;
  const name = a.args[0]?.value;
  return typeof name === "string" ? name : "";
}

function isProductionModule(mod: ModuleInfo): boolean {
  return runsInProduction(fileRole(mod.file)) && isServiceCode(mod.file) && !/(^|[/_.])tests?([/_.]|$)|testing|conftest/i.test(mod.file);
}

/** Whether a deployment file sets the variable (to anything): then the default does not decide. */
function setByDeployment(model: SystemModel, variable: string): boolean {
  return variable !== "" && model.configValues.some((v) => v.key === variable && runsInProduction(fileRole(v.file)));
}

function eagerSettings(model: SystemModel, index: ProjectIndex): Report[] {
  const reports: Report[] = [];
  const modules = [...index.modules.values()].filter(isProductionModule);
  const all = modules.flatMap((m) => m.facts.assignments.filter((a) => EAGER_SETTING.test(a.target)).map((a) => ({ m, a })));
  for (const { m, a } of all) {
    // set twice in one module (`if TESTING: ... = True` beside a default): which one applies is not known here
    if (all.filter((x) => x.m === m && x.a.target === a.target).length > 1) continue;
    const evidence: Evidence[] = [{ file: m.file, line: a.line, snippet: `${a.target} = ${a.text}`.slice(0, 160) }];
    const overridden = all.some((x) => x.m !== m && x.a.target === a.target && x.a.value !== true && onByDefault(x.a) === null && !/^not\b/.test(x.a.text));
    if (a.value === true) {
      if (overridden) continue;
      reports.push({ message: `${a.target} = True in ${m.name}, a module production loads: Celery runs every \`.delay()\`/\`.apply_async()\` inline, inside the request, and the workers get nothing.`, evidence });
      continue;
    }
    const negated = /^not\s+(\w+)/.exec(a.text);
    if (negated && /BROKER|REDIS|AMQP|RABBIT|QUEUE/i.test(negated[1] ?? "")) {
      reports.push({ message: `${a.target} = ${a.text} in ${m.name}: when the broker URL is missing, Celery silently runs every task inline in the request instead of failing at start-up; a deployment that forgets ${negated[1]} turns background work into request latency and loses retries.`, evidence });
      continue;
    }
    const variable = onByDefault(a);
    if (variable !== null && !setByDeployment(model, variable)) {
      reports.push({ message: `${a.target} in ${m.name} reads the environment but defaults to True (\`${a.text.slice(0, 80)}\`), and no deployment file sets ${variable || "it"}: a deployment that forgets the variable runs every task inline in the request.`, evidence });
    }
  }
  // Celery configuration dicts and classes (`CELERY = {"task_always_eager": True}`, `class ProductionConfig: CELERY_ALWAYS_EAGER = True`)
  for (const m of modules) {
    for (const a of m.facts.assignments) {
      if (EAGER_SETTING.test(a.target) || !EAGER_KEY.test(a.text) || NOT_PRODUCTION_CLASS.test(a.target)) continue;
      reports.push({ message: `${a.target} in ${m.name} sets Celery's eager mode (\`${EAGER_KEY.exec(a.text)?.[0]}\`): tasks run inline in the request, not on the workers.`, evidence: [{ file: m.file, line: a.line, snippet: EAGER_KEY.exec(a.text)?.[0] ?? a.target }] });
    }
    for (const c of m.facts.classes) {
      if (NOT_PRODUCTION_CLASS.test(c.name)) continue;
      for (const a of c.assignments) {
        if (!EAGER_SETTING.test(a.target) || a.value !== true) continue;
        reports.push({ message: `${c.name}.${a.target} = True in ${m.name}: Celery runs every task inline in the request, and the workers get nothing.`, evidence: [{ file: m.file, line: a.line, snippet: `${a.target} = True` }] });
      }
    }
  }
  return reports;
}

function eagerCalls(index: ProjectIndex): Report[] {
  const reports: Report[] = [];
  for (const mod of index.modules.values()) {
    if (!isProductionModule(mod)) continue;
    for (const call of mod.facts.calls) {
      if (call.guard && TEST_GUARD.test(call.guard)) continue;
      const resolved = call.qualified ? index.resolve(call.qualified, mod.name) : call.callee;
      const evidence = [{ file: mod.file, line: call.line, snippet: call.snippet }];
      if (/\.conf\.update$/.test(call.callee) || /^celery\.Celery$/.test(resolved)) {
        const eager = call.args.find((a) => a.name !== null && EAGER_SETTING.test(a.name) && a.value === true);
        if (eager) reports.push({ message: `\`${call.snippet.slice(0, 80)}\` turns on Celery's eager mode (${eager.name}=True) in ${mod.name}: tasks run inline in the request, not on the workers.`, evidence });
      } else if (RQ_QUEUE.test(resolved)) {
        const mode = call.args.find((a) => a.name === "is_async" || a.name === "async");
        if (mode && (mode.value === false || mode.text === "False")) reports.push({ message: `RQ queue created with \`${mode.name}=False\` in ${mod.name}: jobs run synchronously in the caller, inside the request, and never reach a worker.`, evidence });
      } else if (STUB_BROKER.test(resolved)) {
        reports.push({ message: `dramatiq's StubBroker is created in ${mod.name}, application code${call.guard ? ` (under \`if ${call.guard}\`)` : ""}: messages go to an in-memory queue that no worker process reads; it is meant for tests.`, evidence });
      } else if (HUEY.test(resolved)) {
        const immediate = call.args.find((a) => a.name === "immediate");
        if (immediate?.value === true) reports.push({ message: `Huey created with \`immediate=True\` in ${mod.name}: tasks run inline in the caller, not on the consumer.`, evidence });
      }
    }
  }
  return reports;
}

export default defineCheck({
  id: "RES009",
  area: "resilience",
  title: "Task queue silently runs tasks inline",
  severity: "medium",
  kind: "concern",
  confidence: "medium",
  why: "Eager mode (Celery `task_always_eager`, RQ `is_async=False`, Huey `immediate`, dramatiq's StubBroker) runs a task inside the caller instead of on a worker. It is meant for tests; in production, or derived from a missing broker URL, a missing setting does not fail the deploy: slow work moves into request latency, task retries and time limits stop applying, and a failing task raises into the request.",
  recommendation: "Keep eager mode in test settings only (`settings/test.py`, a pytest fixture, `CELERY_TASK_ALWAYS_EAGER = True` under the test configuration), require the broker URL in production settings so a missing one fails at start-up (`CELERY_BROKER_URL = env(\"CELERY_BROKER_URL\")` with no default), and use `celery.contrib.testing` or dramatiq's StubBroker only from tests.",
  example: { bad: 'CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")\nCELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL', good: 'CELERY_BROKER_URL = env("CELERY_BROKER_URL")  # required: fails at start-up when missing\n# settings/test.py\nCELERY_TASK_ALWAYS_EAGER = True' },
  references: ["https://docs.celeryq.dev/en/stable/userguide/configuration.html#task-always-eager", "https://docs.celeryq.dev/en/stable/userguide/testing.html", "https://python-rq.org/docs/testing/", "https://dramatiq.io/cookbook.html#unit-testing"],
  effort: "S",
  libraries: ["celery", "rq", "dramatiq", "huey"],
  run({ model, index }) {
    return [...eagerSettings(model, index), ...eagerCalls(index)];
  },
});
