import { parameterDependencies } from "../model/endpoints/fastapi.js";
import type { ServerCommand } from "../model/deployment/server-command.js";
import type { SystemModel } from "../model/types.js";
import type { ProjectIndex } from "../python/project-index.js";
import type { CheckInput } from "./types.js";

/**
 * Handler ids (route functions) and everything that runs while serving a request: what they
 * call, and FastAPI dependencies (route- and router-level `dependencies=[...]`, `Depends(f)`
 * parameters) with what those call, transitively.
 */
export function requestPath(input: CheckInput): { handlers: Set<string>; reachable: Set<string> } {
  const handlers = new Set(input.model.endpoints.map((e) => e.handler));
  const roots = [...handlers, ...input.model.endpoints.flatMap((e) => e.dependencies ?? [])];
  return { handlers, reachable: reachableWithDependencies(input.index, roots) };
}

/** Everything reached from `roots` through calls and declared FastAPI dependencies. */
export function reachableWithDependencies(index: ProjectIndex, roots: Iterable<string>): Set<string> {
  const seen = new Set<string>();
  let pending = [...roots];
  while (pending.length) {
    const next: string[] = [];
    for (const id of index.reachableFrom(pending)) {
      if (seen.has(id)) continue;
      seen.add(id);
      const info = index.functions.get(id);
      if (!info) continue;
      const declared = [...parameterDependencies(index, info), ...info.fact.decorators.flatMap((d) => d.args.find((a) => a.name === "dependencies")?.dependencies ?? [])];
      for (const dep of declared) if (dep.qualified) next.push(index.resolve(dep.qualified, info.module));
    }
    pending = next.filter((id) => !seen.has(id));
  }
  return seen;
}

/** Every server command the deployment starts (Dockerfile CMD/ENTRYPOINT, Procfile, compose `command:`), with its file and line. */
export function serverCommands(model: SystemModel): Array<{ file: string; line: number | null; server: ServerCommand }> {
  const all = [
    ...model.dockerfiles.map((d) => ({ file: d.file, line: (d.command ?? d.entrypoint)?.line ?? null, server: d.server })),
    ...model.procfile.map((p) => ({ file: p.file, line: p.line, server: p.server })),
    ...model.composeServices.map((c) => ({ file: c.file, line: c.line, server: c.server })),
  ];
  return all.filter((s): s is { file: string; line: number | null; server: ServerCommand } => s.server !== null);
}

/** Where a fix for something absent from the service belongs: the file creating the app (or the first route's, or a manifest). */
export function appFile(model: SystemModel): string {
  return model.appFiles[0] ?? model.endpoints[0]?.file ?? model.manifests[0] ?? "";
}

/** A function id as a reader wants it: `orders.create_order` rather than the full dotted path. */
export function shortName(id: string): string {
  const parts = id.split(".");
  return parts.slice(-2).join(".");
}

const TASK_DECORATOR = /(\.task|shared_task|\.actor|dramatiq\.actor|huey\.task|\.periodic_task|\.job|rq\.job)$/;

/** Functions that run as background tasks (Celery, Dramatiq, Huey, RQ) and everything they call. */
export function taskPath(index: ProjectIndex): Set<string> {
  const tasks = [...index.functions.values()].filter((fn) => fn.fact.decorators.some((d) => TASK_DECORATOR.test(d.qualified ?? d.name))).map((fn) => fn.id);
  return index.reachableFrom(tasks);
}

const RQ_ENQUEUE = /(^|\.)(enqueue|enqueue_call|enqueue_at|enqueue_in)$/;

/**
 * Functions that run as RQ jobs, and everything they call: functions passed to `queue.enqueue(f, ...)` (or to a
 * project wrapper of it), and for `enqueue(cls.handle, ...)` inside a job base class, that method and the `run`
 * method of every project class built on the base (`class HousekeepingJob(JobRunner)`). Empty unless the project
 * declares rq, django-rq or flask-rq2.
 */
export function rqJobPath(model: SystemModel, index: ProjectIndex): Set<string> {
  if (!model.dependencies.some((d) => /^(rq|django-rq|flask-rq2|rq-scheduler)$/i.test(d.name))) return new Set();
  const roots = new Set<string>();
  const jobBases = new Map<string, Set<string>>();
  for (const mod of index.modules.values()) {
    for (const call of mod.facts.calls) {
      if (!RQ_ENQUEUE.test(call.callee)) continue;
      const func = call.args.find((a) => a.name === "func" || a.name === "f") ?? call.args.find((a) => a.name === null);
      if (!func) continue;
      const own = /^(cls|self)\.(\w+)$/.exec(func.text);
      if (own && call.enclosing?.includes(".")) {
        const classId = `${mod.name}.${call.enclosing.slice(0, call.enclosing.lastIndexOf("."))}`;
        jobBases.set(classId, new Set([...(jobBases.get(classId) ?? []), own[2] as string, "run"]));
        continue;
      }
      const target = func.qualified ? index.resolve(func.qualified, mod.name) : null;
      if (target && index.functions.has(target)) roots.add(target);
    }
  }
  if (jobBases.size) {
    for (const mod of index.modules.values()) {
      for (const c of mod.facts.classes) {
        const id = `${mod.name}.${c.qualname}`;
        for (const [base, methods] of jobBases) {
          if (!inheritsFrom(index, id, base)) continue;
          for (const m of methods) if (index.functions.has(`${id}.${m}`)) roots.add(`${id}.${m}`);
        }
      }
    }
  }
  return index.reachableFrom(roots);
}

/** Whether project class `id` is `base` or builds on it, through project bases. */
function inheritsFrom(index: ProjectIndex, id: string, base: string, depth = 0): boolean {
  if (id === base) return true;
  const symbol = index.symbol(id);
  if (symbol?.kind !== "class" || depth > 8) return false;
  return symbol.fact.bases.some((b) => b.qualified !== null && inheritsFrom(index, index.resolve(b.qualified, symbol.module), base, depth + 1));
}
