import { fileRole } from "../../core/file-roles.js";
import type { Evidence, SystemModel } from "../../model/types.js";
import type { CallFact } from "../../python/facts.js";
import type { ModuleInfo, ProjectIndex } from "../../python/project-index.js";
import { isServiceCode } from "../code-paths.js";
import { defineCheck } from "../define.js";
import { requestPath, shortName } from "../handlers.js";
import type { CheckInput, Report } from "../types.js";
import { countEvidence, deploymentInstances, type Instances } from "./deployment-instances.js";
import { djangoDefaultCache } from "../data/django-cache.js";
import { startupFunctions, startupScope } from "./startup-code.js";

const MUTABLE_KINDS = new Set(["dict", "list", "set", "comprehension"]);
const MUTABLE_FACTORIES = /^(dict|list|set|collections\.(defaultdict|OrderedDict|deque|Counter)|defaultdict|OrderedDict|deque|Counter)$/;
/** Locks, tasks, threads and futures: per process by nature, and DATA001's concern, not a cache or registry. */
/** Queues and connections of the clients this process serves (a WebSocket subscriber registry) are per process by design. */
const NOT_DATA = /\b(Lock|RLock|Semaphore|BoundedSemaphore|Condition|Event|Task|Future|Thread|Process|Queue|WebSocket|Websocket)\b|create_task\(|ensure_future\(/;
const LIMITERS = /^(slowapi(\.extension)?\.Limiter|flask_limiter(\.extension)?\.Limiter)$/;
const LIMITER_STORAGE_KEY = /^(RATELIMIT_STORAGE_UR[IL]|RATELIMIT_STORAGE_URL)$/;
const SCHEDULER = /^apscheduler\.schedulers\.(background|asyncio|gevent|tornado|twisted|qt)\.\w+Scheduler\.start$/;

interface Copies {
  instances: Instances;
  /** `12 web processes`, or `every web process` when a count is not a number. */
  total: string;
}

function copies(instances: Instances): Copies {
  const n = instances.processes !== null && !instances.processesPerCore ? instances.processes * instances.replicas : null;
  return { instances, total: n !== null && !instances.autoscaled ? `${n} web processes` : "every web process" };
}

/** A write made when a lookup missed (`if key not in _cache:`, `if not _map:`, a `.get()` that came back empty): a memo, as DATA001 reads it. */
function isMemoWrite(index: ProjectIndex, fnId: string, container: string, guard: string | undefined, line: number): boolean {
  const name = container.split(".").pop() ?? container;
  if (guard?.includes(name) && /\bnot in\b|\bis None\b|^not\b|\bnot\s|len\([^)]*\)\s*==\s*0/.test(guard)) return true;
  // `if not realm_in_local_cache(realm_id):`: the miss tested through a helper
  if (guard && /^not\b/.test(guard) && /cache|cached|memo/i.test(guard)) return true;
  // `try: return _cache[key]` / `except KeyError: _cache[key] = ...`
  const fn = index.functions.get(fnId);
  const excepts = fn ? (index.modules.get(fn.module)?.facts.excepts ?? []) : [];
  if (excepts.some((e) => e.enclosing === fn?.fact.qualname && e.types.some((t) => /KeyError|LookupError/.test(t)) && e.line < line && line - e.line <= 3)) return true;
  return index.callsIn(fnId).some(({ call }) => (call.callee === `${container}.get` || call.callee.endsWith(`${name}.get`)) && (call.args.length === 1 || (call.args.length === 2 && call.args[1]?.kind === "none")) && call.line < line);
}

/** Handlers (and what they call) that write a module-level dict, list or set, one entry per container. */
function handlerWrittenState(input: CheckInput): Array<{ target: string; file: string; line: number; writes: Array<{ file: string; line: number; snippet: string; fn: string }> }> {
  const { index, model } = input;
  const websocketHandlers = model.websockets.map((w) => w.handler);
  const reachable = new Set([...requestPath(input).reachable, ...index.reachableFrom(websocketHandlers)]);
  const byTarget = new Map<string, { target: string; file: string; line: number; writes: Array<{ file: string; line: number; snippet: string; fn: string }>; memo: boolean }>();
  for (const mod of index.modules.values()) {
    if (!isServiceCode(mod.file) || fileRole(mod.file) !== "application") continue;
    for (const m of mod.facts.mutations) {
      // removing entries (`del _cache[key]`, `.pop()`, `.discard()`) keeps nothing per process by itself
      if (!m.qualified || m.how === "del" || /\.(pop|remove|discard|clear)\(/.test(m.snippet)) continue;
      const fnId = `${mod.name}.${m.enclosing}`;
      if (!reachable.has(fnId)) continue;
      const target = index.resolve(m.qualified, mod.name);
      const symbol = index.symbol(target);
      if (symbol?.kind !== "assignment") continue;
      const a = symbol.fact;
      const mutable = MUTABLE_KINDS.has(a.kind) || (a.kind === "call" && a.callee != null && MUTABLE_FACTORIES.test(index.resolve(a.callee, symbol.module)));
      if (!mutable || NOT_DATA.test(`${a.text} ${a.annotation ?? ""} ${m.snippet}`)) continue;
      // an object the code builds and keeps (`md_engines[key] = ZulipMarkdown(...)`, a client, a compiled pattern): derived, not shared data
      if (/\]\s*=\s*(\w+\.)*[A-Z]\w*\(|\]\s*=\s*re\.compile\(/.test(m.snippet)) continue;
      const entry = byTarget.get(target) ?? { target: a.target, file: symbol.file, line: a.line, writes: [], memo: false };
      entry.writes.push({ file: mod.file, line: m.line, snippet: m.snippet, fn: fnId });
      // filled on a miss (`if key not in _cache:`): a memo of derived data, DATA003's ground, not shared state
      if (isMemoWrite(index, fnId, m.name, m.guard, m.line)) entry.memo = true;
      // a buffer the module drains itself (`_buffer.clear()`) is scratch space for one operation
      if (mod.facts.calls.some((c) => c.callee === `${a.target}.clear` && c.enclosing !== null) || index.modules.get(symbol.module)?.facts.calls.some((c) => c.callee === `${a.target}.clear` && c.enclosing !== null)) entry.memo = true;
      byTarget.set(target, entry);
    }
  }
  return [...byTarget.values()].filter((e) => !e.memo);
}

/** Whether the rate-limit storage is configured anywhere: a settings value, a Flask config store, an environment value. */
function limiterStorageConfigured(model: SystemModel, index: ProjectIndex): { memory: boolean; evidence: Evidence } | null {
  for (const mod of index.modules.values()) {
    for (const a of mod.facts.assignments) {
      if (LIMITER_STORAGE_KEY.test(a.target)) return { memory: /^["']memory:\/\//.test(a.text), evidence: { file: mod.file, line: a.line, snippet: `${a.target} = ${a.text}` } };
    }
    for (const c of mod.facts.classes) {
      const a = c.assignments.find((x) => LIMITER_STORAGE_KEY.test(x.target));
      if (a) return { memory: /^["']memory:\/\//.test(a.text), evidence: { file: mod.file, line: a.line, snippet: `${a.target} = ${a.text}` } };
    }
    const store = mod.facts.literalStores?.find((s) => LIMITER_STORAGE_KEY.test(s.key));
    if (store) return { memory: store.value.startsWith("memory://"), evidence: { file: mod.file, line: store.line, snippet: `${store.key} = ${store.value}` } };
  }
  const value = model.configValues.find((v) => LIMITER_STORAGE_KEY.test(v.key));
  return value ? { memory: value.value.startsWith("memory://"), evidence: { file: value.file, line: value.line, snippet: value.key } } : null;
}

function rateLimitReports(input: CheckInput, c: Copies): Report[] {
  const { index, model } = input;
  const reports: Report[] = [];
  for (const mod of index.modules.values()) {
    if (!isServiceCode(mod.file) || fileRole(mod.file) !== "application") continue;
    for (const call of mod.facts.calls) {
      const resolved = call.qualified ? index.resolve(call.qualified, mod.name) : null;
      if (!resolved || !LIMITERS.test(resolved)) continue;
      const library = resolved.startsWith("slowapi") ? "slowapi" : "Flask-Limiter";
      const storage = call.args.find((a) => a.name === "storage_uri");
      let how: string;
      if (storage) {
        if (typeof storage.value !== "string" || !storage.value.startsWith("memory://")) continue;
        how = `\`storage_uri=${storage.text}\``;
      } else {
        if (call.hasStarArgs) continue;
        const configured = limiterStorageConfigured(model, index);
        if (configured && !configured.memory) continue;
        how = configured ? `${configured.evidence.snippet} (${configured.evidence.file}:${configured.evidence.line})` : "no `storage_uri` and no RATELIMIT_STORAGE_URI, so its in-memory default";
      }
      reports.push({
        message: `${library} Limiter keeps its counters in process memory (${how}): ${c.total} (${c.instances.summary}) each count separately, so a client gets the limit once per process and the limit does not hold.`,
        evidence: [{ file: mod.file, line: call.line, snippet: call.snippet }, ...countEvidence(c.instances)],
      });
    }
  }
  // Django REST framework throttles and django-ratelimit count in the default cache: per process when it is LocMemCache
  const cache = djangoDefaultCache(index);
  if (cache?.kind === "locmem") {
    const throttles = throttleSites(index);
    if (throttles.length) {
      const first = throttles[0] as Evidence;
      reports.push({
        message: `Request throttling (${first.snippet}) counts in Django's default cache, which is LocMemCache (${cache.how}): ${c.total} (${c.instances.summary}) each keep their own counters, so the limit is multiplied by the number of processes.`,
        evidence: [first, ...(cache.evidence ? [cache.evidence] : []), ...countEvidence(c.instances)],
      });
    }
  }
  return reports;
}

/** DRF throttle classes (settings or views) and django-ratelimit decorators in application code. */
function throttleSites(index: ProjectIndex): Evidence[] {
  const out: Evidence[] = [];
  for (const mod of index.modules.values()) {
    if (!isServiceCode(mod.file) || fileRole(mod.file) !== "application") continue;
    for (const a of mod.facts.assignments) {
      if (a.target !== "REST_FRAMEWORK" || !/DEFAULT_THROTTLE_CLASSES["']\s*:\s*[[(]\s*["']/.test(a.text)) continue;
      // every rate None (Taiga's defaults for most scopes): the throttles let everything through
      const rates = /DEFAULT_THROTTLE_RATES["']\s*:\s*\{([^{}]*)\}/.exec(a.text)?.[1];
      if (rates !== undefined && !/:\s*(?!None\b)\S/.test(rates)) continue;
      out.push({ file: mod.file, line: a.line, snippet: "REST_FRAMEWORK DEFAULT_THROTTLE_CLASSES" });
    }
    for (const cls of mod.facts.classes) {
      for (const a of cls.assignments) {
        if (a.target !== "throttle_classes") continue;
        const names = a.text.replace(/[[\]()\s]/g, "").split(",").filter(Boolean);
        // a project throttle class with its own `cache = caches["..."]` counts elsewhere
        const ownCache = (name: string) => {
          const symbol = index.symbol(index.resolve(name, mod.name));
          return symbol?.kind === "class" && symbol.fact.assignments.some((x) => x.target === "cache");
        };
        if (names.length && !names.every(ownCache)) out.push({ file: mod.file, line: a.line, snippet: `throttle_classes = ${a.text}`.slice(0, 120) });
      }
    }
    for (const fn of mod.facts.functions) {
      const d = fn.decorators.find((x) => /^(django_)?ratelimit\.decorators\.ratelimit$/.test(x.qualified ? index.resolve(x.qualified, mod.name) : ""));
      if (d) out.push({ file: mod.file, line: d.line, snippet: "@ratelimit" });
    }
  }
  return out;
}

/** Whether a process other than the web server runs this module as its program (`python -m app.scheduler`, `clock: python scheduler.py`). */
function runAsOwnProcess(model: SystemModel, mod: ModuleInfo): boolean {
  // commands that start no web server (and no task worker): a `clock` process, a `python -m app.scheduler` service
  const commands = [
    ...model.procfile.filter((p) => p.server === null).map((p) => p.command),
    ...model.composeServices.filter((s) => s.server === null).map((s) => s.command ?? ""),
    ...model.dockerfiles.filter((d) => d.server === null).map((d) => `${d.command?.text ?? ""} ${d.entrypoint?.text ?? ""}`),
  ];
  const base = mod.file.split("/").pop() ?? mod.file;
  return commands.some((c) => c.includes(mod.name) || new RegExp(`(^|[\\s/"'])${base.replace(/\./g, "\\.")}\\b`).test(c));
}

function schedulerReports(input: CheckInput, c: Copies): Report[] {
  const { index, model } = input;
  const startup = startupFunctions(index);
  const reports: Report[] = [];
  for (const mod of index.modules.values()) {
    if (!isServiceCode(mod.file) || fileRole(mod.file) !== "application" || runAsOwnProcess(model, mod)) continue;
    for (const call of mod.facts.calls) {
      const resolved = call.qualified ? index.resolve(call.qualified, mod.name) : null;
      if (!resolved || !startupScope(mod, call, startup)) continue;
      const where = call.enclosing === null ? `at import of ${mod.name}` : `in ${shortName(`${mod.name}.${call.enclosing}`)}`;
      if (SCHEDULER.test(resolved)) {
        const kind = resolved.split(".").slice(-2, -1)[0];
        reports.push({
          message: `APScheduler ${kind} is started ${where}, inside the web process: ${c.total} (${c.instances.summary}) each start their own scheduler, so every job runs once per process (duplicate emails, double charges, competing cleanups).`,
          evidence: [{ file: mod.file, line: call.line, snippet: call.snippet }, ...countEvidence(c.instances)],
        });
        continue;
      }
      if (resolved !== "threading.Thread.start") continue;
      const loop = threadLoop(index, mod, call);
      if (!loop) continue;
      reports.push({
        message: `A thread running a \`while True\` loop (${loop.fn}, ${loop.file}:${loop.line}) is started ${where}, inside the web process: ${c.total} (${c.instances.summary}) each run the loop, so its work is done once per process.`,
        evidence: [{ file: mod.file, line: call.line, snippet: call.snippet }, { file: loop.file, line: loop.line, snippet: "while True:" }, ...countEvidence(c.instances)],
      });
    }
  }
  return reports;
}

/** The `while True` loop in the target of the `threading.Thread` a `.start()` call starts (built in the same scope). */
function threadLoop(index: ProjectIndex, mod: ModuleInfo, start: CallFact): { fn: string; file: string; line: number } | null {
  const constructors = mod.facts.calls.filter((c) => c.enclosing === start.enclosing && c.qualified && index.resolve(c.qualified, mod.name) === "threading.Thread" && (c.line === start.line || !start.callee.startsWith("threading.Thread(")));
  for (const ctor of constructors) {
    const target = ctor.args.find((a) => a.name === "target");
    if (!target?.qualified) continue;
    const fn = index.functions.get(index.resolve(target.qualified, mod.name));
    if (!fn) continue;
    const loop = index.modules.get(fn.module)?.facts.loops.find((l) => l.isWhileTrue && l.enclosing === fn.fact.qualname);
    if (loop) return { fn: shortName(fn.id), file: fn.file, line: loop.line };
  }
  return null;
}

export default defineCheck({
  id: "PERF005",
  area: "scalability",
  title: "In-process state that breaks horizontal scaling",
  severity: "medium",
  kind: "concern",
  confidence: "medium",
  why: "Each web worker and each replica is a separate process with its own memory. A registry or cache kept in a module, a rate limiter counting in memory, or a scheduler started inside the web process works on a laptop and goes wrong as soon as the deployment runs several processes: requests land on different copies, limits multiply, and scheduled jobs run once per process.",
  recommendation: "Move shared state out of the process: Redis (redis-py, django-redis) or the database for caches, registries and counters; point the rate limiter at Redis (`Limiter(storage_uri=\"redis://...\")`, a Redis `CACHES` backend for DRF throttles); run schedulers as their own single process (Celery beat, APScheduler in a separate `clock` process with a job store lock, Kubernetes CronJobs) instead of inside every web worker.",
  example: {
    bad: 'limiter = Limiter(key_func=get_remote_address)  # memory://\nscheduler = BackgroundScheduler()\nscheduler.start()  # in every gunicorn worker',
    good: 'limiter = Limiter(key_func=get_remote_address, storage_uri=settings.REDIS_URL)\n# Procfile\nclock: python -m app.scheduler  # one process, one scheduler',
  },
  references: ["https://12factor.net/processes", "https://limits.readthedocs.io/en/stable/storage.html", "https://apscheduler.readthedocs.io/en/3.x/faq.html#how-do-i-use-apscheduler-in-a-web-application", "https://docs.djangoproject.com/en/stable/topics/cache/#local-memory-caching"],
  effort: "M",
  libraries: ["redis", "django-redis", "celery", "apscheduler"],
  run(input) {
    const instances = deploymentInstances(input.model, input.index, input.context);
    // one process, one copy: the state is shared by every request it serves (DATA001 still reports the writes)
    if (!instances || (!instances.multiProcess && !instances.multiReplica)) return [];
    const c = copies(instances);
    const reports: Report[] = [];
    const state = handlerWrittenState(input);
    if (state.length) {
      const shown = state.slice(0, 4);
      const names = shown.map((s) => `\`${s.target}\` (${s.file}:${s.line}, written by ${shortName((s.writes[0] as { fn: string }).fn)})`).join(", ");
      reports.push({
        message: `Request handlers write module-level state that lives in one process: ${names}${state.length > shown.length ? ` and ${state.length - shown.length} more` : ""}. ${c.total[0]?.toUpperCase()}${c.total.slice(1)} (${instances.summary}) each hold their own copy, so what one request writes the next may not see (DATA001 lists each write).`,
        evidence: [...shown.map((s) => ({ file: s.file, line: s.line, snippet: s.target })), ...countEvidence(instances)],
      });
    }
    reports.push(...rateLimitReports(input, c), ...schedulerReports(input, c));
    return reports;
  },
});
