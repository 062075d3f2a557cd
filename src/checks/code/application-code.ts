import { fileRole } from "../../core/file-roles.js";
import type { ModuleInfo, ProjectIndex } from "../../python/project-index.js";
import { isServiceCode } from "../code-paths.js";

/** Generated modules (protobuf stubs, `*_generated.py`, `generated/` packages): nobody writes them by hand. */
const GENERATED_MODULE = /(_pb2|_pb2_grpc|_grpc|_generated|_gen)$|(^|\.)(generated|__generated__|autogen|gen|migrations)(\.|$)/;
/** Code copied in from elsewhere, and templates for generated code. */
const NOT_OWN_CODE = /(^|\/)(vendor|vendors|vendored|_vendor|third_party|thirdparty|externals?|site-packages|node_modules|skeletons?|scaffold|cookiecutter[^/]*|generated|__generated__|sdk|sdks|benches|benchmarks?)\/|\{\{/;

/**
 * Hand-written modules of the running service: application role, not a script, CLI, migration or test, not generated
 * or vendored. The code-quality checks (CODE005, CODE008, CODE010...) judge only these.
 */
export function isOwnApplicationModule(mod: ModuleInfo): boolean {
  return fileRole(mod.file) === "application" && isServiceCode(mod.file) && !GENERATED_MODULE.test(mod.name) && !NOT_OWN_CODE.test(mod.file);
}

const WRITTEN = new WeakMap<ProjectIndex, Set<string>>();
const APPLICATION = new WeakMap<ProjectIndex, ModuleInfo[]>();

/**
 * Modules another module writes (`open(BASE_DIR / "bugsink/event_schema.py", "w")`): a generator script names the file
 * it produces. Returns the files named in call arguments as `folder/file.py`.
 */
export function writtenFiles(index: ProjectIndex): Set<string> {
  let out = WRITTEN.get(index);
  if (out) return out;
  out = new Set<string>();
  WRITTEN.set(index, out);
  for (const mod of index.modules.values()) {
    for (const call of mod.facts.calls) {
      for (const arg of call.args) for (const m of arg.text.matchAll(/["']([\w./-]*\/)?([\w-]+\/[\w-]+\.py)["']/g)) out.add(m[2] as string);
    }
  }
  return out;
}

/** The hand-written application modules, by file; modules a generator in the project writes are left out. */
export function applicationModules(index: ProjectIndex): ModuleInfo[] {
  let modules = APPLICATION.get(index);
  if (!modules) {
    const written = writtenFiles(index);
    modules = [...index.modules.values()]
      .filter((mod) => isOwnApplicationModule(mod) && !written.has(mod.file.split("/").slice(-2).join("/")))
      .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    APPLICATION.set(index, modules);
  }
  // a copy: callers may sort or filter it
  return [...modules];
}

