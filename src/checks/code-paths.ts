import type { CallFact } from "../python/facts.js";
import { fileRole } from "../core/file-roles.js";
import type { ModuleInfo, ProjectIndex } from "../python/project-index.js";
const SERVICE_FILES = new Map<string, boolean>();

/** Files that are scripts, CLIs, management commands or tooling rather than the running service. */
const NOT_SERVICE_CODE = /(^|\/)(scripts?|bin|tools?|cli|management\/commands|manage\.py|setup\.py|conftest\.py|noxfile\.py|fabfile\.py|docs?|examples?|migrations|alembic)(\/|$)|(^|\/)(cli|__main__|manage|setup|conftest)\.py$/;

/** Whether a file is application code that runs in the service (not a script, CLI, docs or migrations). */
export function isServiceCode(file: string): boolean {
  let service = SERVICE_FILES.get(file);
  if (service === undefined) {
    service = !NOT_SERVICE_CODE.test(file);
    if (SERVICE_FILES.size > 100_000) SERVICE_FILES.clear();
    SERVICE_FILES.set(file, service);
  }
  return service;
}

/** Application code that runs in the service and whose file role is application (not a test, fixture or tool). */
export function isApplicationCode(file: string): boolean {
  return isServiceCode(file) && fileRole(file) === "application";
}

/** Every call in application code (not scripts, CLIs, docs or migrations), with its module and its name resolved through imports. */
export function serviceCalls(index: ProjectIndex): ReadonlyArray<{ mod: ModuleInfo; call: CallFact; resolved: string | null }> {
  let calls = SERVICE_CALLS.get(index);
  if (!calls) {
    calls = [];
    for (const mod of index.modules.values()) {
      if (!isServiceCode(mod.file)) continue;
      for (const call of mod.facts.calls) calls.push({ mod, call, resolved: call.qualified ? index.resolve(call.qualified, mod.name) : null });
    }
    SERVICE_CALLS.set(index, calls);
  }
  return calls;
}

/** Dozens of checks walk the same calls: they are listed and resolved once per project. */
const SERVICE_CALLS = new WeakMap<ProjectIndex, Array<{ mod: ModuleInfo; call: CallFact; resolved: string | null }>>();

/** `serviceCalls` in files whose role is application (not tests, fixtures, tooling or examples): what the security checks judge. */
export function applicationCalls(index: ProjectIndex): ReadonlyArray<{ mod: ModuleInfo; call: CallFact; resolved: string | null }> {
  let calls = APPLICATION_CALLS.get(index);
  if (!calls) {
    calls = serviceCalls(index).filter(({ mod }) => fileRole(mod.file) === "application");
    APPLICATION_CALLS.set(index, calls);
  }
  return calls;
}

const APPLICATION_CALLS = new WeakMap<ProjectIndex, ReadonlyArray<{ mod: ModuleInfo; call: CallFact; resolved: string | null }>>();
