import type { CallFact } from "../../python/facts.js";
import type { ModuleInfo, ProjectIndex } from "../../python/project-index.js";

/** Functions that run once as the app starts: factories, start-up hooks, Django's `AppConfig.ready`. */
const STARTUP_NAME = /(^|_)(create|make|build|get|init|setup|configure)_?app$|^app_factory$|^ready$|startup|lifespan|before_first_request|before_serving/;

/** Whether a call runs as the app starts: at the module level of an imported module (not under `if __name__ == "__main__"` or another condition), in an app factory, a lifespan or start-up hook, `AppConfig.ready`. */
export function startupScope(mod: ModuleInfo, call: CallFact, startup: Set<string>): boolean {
  if (call.enclosing === null) return !mod.facts.hasMainGuard && call.guard === null;
  const last = call.enclosing.split(".").pop() ?? "";
  return STARTUP_NAME.test(last) || startup.has(`${mod.name}.${call.enclosing}`);
}

/** `lifespan=` functions given to an app or router, and start-up hooks (`@app.on_event("startup")`, `before_serving`, `before_first_request`). */
export function startupFunctions(index: ProjectIndex): Set<string> {
  const out = new Set<string>();
  for (const mod of index.modules.values()) {
    for (const call of mod.facts.calls) {
      const arg = call.args.find((a) => a.name === "lifespan");
      if (arg?.qualified) out.add(index.resolve(arg.qualified, mod.name));
    }
  }
  for (const fn of index.functions.values()) {
    if (fn.fact.decorators.some((d) => /(^|\.)(on_event|before_serving|before_first_request|on_startup)$/.test(d.name))) out.add(fn.id);
  }
  return out;
}

