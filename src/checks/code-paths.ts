import type { CallFact } from "../python/facts.js";
import { fileRole } from "../core/file-roles.js";
import type { ModuleInfo, ProjectIndex } from "../python/project-index.js";
/** Files that are scripts, CLIs, management commands or tooling rather than the running service. */
const NOT_SERVICE_CODE = /(^|\/)(scripts?|bin|tools?|cli|management\/commands|manage\.py|setup\.py|conftest\.py|noxfile\.py|fabfile\.py|docs?|examples?|migrations|alembic)(\/|$)|(^|\/)(cli|__main__|manage|setup|conftest)\.py$/;

/** Whether a file is application code that runs in the service (not a script, CLI, docs or migrations). */
export function isServiceCode(file: string): boolean {
  return !NOT_SERVICE_CODE.test(file);
}

/** Application code that runs in the service and whose file role is application (not a test, fixture or tool). */
export function isApplicationCode(file: string): boolean {
  return isServiceCode(file) && fileRole(file) === "application";
}

/** Every call in application code (not scripts, CLIs, docs or migrations), with its module and its name resolved through imports. */
export function* serviceCalls(index: ProjectIndex): Generator<{ mod: ModuleInfo; call: CallFact; resolved: string | null }> {
  for (const mod of index.modules.values()) {
    if (!isServiceCode(mod.file)) continue;
    for (const call of mod.facts.calls) yield { mod, call, resolved: call.qualified ? index.resolve(call.qualified, mod.name) : null };
  }
}
