import type { ArgumentFact, CallFact } from "../../python/facts.js";
import type { ModuleInfo, ProjectIndex } from "../../python/project-index.js";
import { applicationCalls } from "../code-paths.js";
import { defineCheck } from "../define.js";
import type { Report } from "../types.js";

const PICKLERS = "(pickle|cPickle|_pickle|dill|cloudpickle)";
/** Deserialisers that run code from the bytes they are given. */
const FROM_BYTES = new RegExp(`^(${PICKLERS}\\.loads|marshal\\.loads|jsonpickle\\.(decode|loads|unpickler\\.decode))$`);
/** Deserialisers that run code from the file (or file object) they are given. */
const FROM_FILE = new RegExp(`^(${PICKLERS}\\.(load|Unpickler)|marshal\\.load|shelve\\.open|shelve\\.DbfilenameShelf|pandas\\.read_pickle|joblib\\.load|torch\\.load|numpy\\.load)$`);
/** PyYAML loaders that build arbitrary Python objects (FullLoader did until 5.4, and still constructs more than data). */
const YAML_UNSAFE = /^yaml\.(unsafe_load|unsafe_load_all|full_load|full_load_all)$/;
const YAML_LOAD = /^yaml\.(load|load_all)$/;
/** Loaders that build only plain data. */
const SAFE_LOADER = /(^|\.)(C?SafeLoader|BaseLoader|CBaseLoader)$/;
/** Where the bytes come from the service's own cache (Django's cache, Redis, memcached). */
const CACHE = /cache|redis|memcache/i;
/** A verified signature before loading: the HMAC-signed pickle pattern. */
const SIGNATURE_CHECK = /^(hmac\.compare_digest|secrets\.compare_digest|itsdangerous\.\w+\.(loads|unsign)|django\.core\.signing\.\w+)$|\.(unsign|verify)$/;
/** A concurrent future's result: bytes returned by the service's own worker process. */
const FUTURE_RESULT = /future\w*\.result\b/i;
/** A path the project controls: settings, its own folders, a temporary directory. */
const OWN_PATH = /\b(settings|BASE_DIR|ROOT_DIR|MODEL_\w*|\w*_PATH|\w*_DIR|tempfile|gettempdir|__file__|resource_filename|files\()/;

function firstArg(call: CallFact, ...names: string[]): ArgumentFact | undefined {
  return call.args.find((a) => a.name !== null && names.includes(a.name)) ?? call.args.find((a) => a.name === null);
}

function isConstantBytes(arg: ArgumentFact | undefined): boolean {
  return arg !== undefined && (arg.kind === "string" || arg.kind === "concat") && /^[bB][rR]?["']/.test(arg.text);
}

function isTrue(arg: ArgumentFact | undefined): boolean {
  return arg !== undefined && (arg.value === true || arg.text === "True");
}

/** Where the data of `arg` comes from inside its function: the assignment to a bare name before the call. */
function assignedFrom(mod: ModuleInfo, call: CallFact, arg: ArgumentFact): { call?: string; text: string } | null {
  if (arg.kind !== "name") return null;
  const flows = mod.facts.flows.filter((f) => f.enclosing === call.enclosing && f.line <= call.line && f.targets.includes(arg.text));
  const last = flows[flows.length - 1];
  if (!last) return null;
  return { ...(last.call ? { call: last.call } : {}), text: last.reads.join(" ") };
}

/** Why the data is the service's own, when the code shows it; null when it may come from anyone. */
function ownData(index: ProjectIndex, mod: ModuleInfo, call: CallFact, arg: ArgumentFact | undefined, fromFile: boolean): string | null {
  if (!arg || arg.sources?.length) return null;
  const origin = assignedFrom(mod, call, arg);
  const originCall = origin?.call ? index.resolve(origin.call, mod.name) : "";
  if (CACHE.test(arg.text) || CACHE.test(originCall) || CACHE.test(origin?.text ?? "")) return "the data comes from the project's own cache, so only someone who can write to the cache can exploit it";
  if (!fromFile) return null;
  const path = `${arg.text} ${origin?.text ?? ""} ${originCall}`;
  if (arg.kind === "string" || arg.kind === "fstring" || /\b(open|Path)\(\s*[rbuf]*["']/.test(arg.text) || OWN_PATH.test(path)) return "the file is one the project keeps (a fixed path, its settings or a temporary directory), so only someone who can write there can exploit it";
  return null;
}

/** `yaml.load(data, Loader=...)`: whether the loader builds only plain data (resolving a project subclass of a safe loader). */
function safeYamlLoader(index: ProjectIndex, mod: ModuleInfo, call: CallFact): boolean {
  const loader = call.args.find((a) => a.name === "Loader") ?? call.args.filter((a) => a.name === null)[1];
  if (!loader) return false;
  const resolved = loader.qualified ? index.resolve(loader.qualified, mod.name) : loader.text;
  if (SAFE_LOADER.test(resolved) || SAFE_LOADER.test(loader.text)) return true;
  const symbol = index.symbol(resolved);
  return symbol?.kind === "class" && symbol.fact.bases.some((b) => SAFE_LOADER.test(b.qualified ?? b.text) || SAFE_LOADER.test(b.text));
}

export default defineCheck({
  id: "SEC006",
  area: "security",
  title: "Unsafe deserialization",
  severity: "high",
  kind: "concern",
  confidence: "high",
  why: "pickle, marshal, dill, jsonpickle, shelve, `torch.load` and PyYAML's full loaders rebuild arbitrary Python objects, and rebuilding an object can call any function: whoever controls the bytes (a request body, an uploaded model file, a poisoned cache entry) runs code inside the service with its credentials.",
  recommendation: "Exchange plain data: JSON (orjson, pydantic `model_validate_json`), MessagePack or Protocol Buffers; read YAML with `yaml.safe_load`; load PyTorch weights with `torch.load(path, weights_only=True)` or safetensors, NumPy arrays without `allow_pickle`. Where pickle must stay (a cache of your own objects), sign it and check the signature before loading (`hmac.compare_digest`, itsdangerous).",
  example: { bad: "payload = pickle.loads(request.body)", good: "payload = PayloadSchema.model_validate_json(request.body)" },
  references: ["https://docs.python.org/3/library/pickle.html", "https://cwe.mitre.org/data/definitions/502.html", "https://pyyaml.org/wiki/PyYAMLDocumentation", "https://pytorch.org/docs/stable/generated/torch.load.html", "https://cheatsheetseries.owasp.org/cheatsheets/Deserialization_Cheat_Sheet.html"],
  effort: "M",
  libraries: ["orjson", "pydantic", "msgpack", "safetensors", "itsdangerous"],
  cwe: "CWE-502",
  owasp: "A08:2021",
  run({ index }) {
    const reports: Report[] = [];
    for (const { mod, call, resolved } of applicationCalls(index)) {
      if (!resolved) continue;
      let what: string | null = null;
      let fromFile = false;
      let data: ArgumentFact | undefined;
      if (FROM_BYTES.test(resolved)) {
        data = firstArg(call, "data", "s", "string", "bytes");
        what = `\`${call.callee}()\``;
      } else if (FROM_FILE.test(resolved)) {
        fromFile = true;
        data = firstArg(call, "file", "f", "filename", "filepath_or_buffer", "path");
        if (resolved === "torch.load") {
          if (isTrue(call.args.find((a) => a.name === "weights_only"))) continue;
          what = `\`${call.callee}()\` without weights_only=True`;
        } else if (resolved === "numpy.load") {
          if (!isTrue(call.args.find((a) => a.name === "allow_pickle"))) continue;
          what = `\`${call.callee}()\` with allow_pickle=True`;
        } else what = `\`${call.callee}()\``;
      } else if (YAML_UNSAFE.test(resolved)) {
        fromFile = true;
        data = firstArg(call, "stream");
        what = `\`${call.callee}()\``;
      } else if (YAML_LOAD.test(resolved)) {
        if (safeYamlLoader(index, mod, call)) continue;
        fromFile = true;
        data = firstArg(call, "stream");
        const loader = call.args.find((a) => a.name === "Loader") ?? call.args.filter((a) => a.name === null)[1];
        what = loader ? `\`${call.callee}()\` with Loader=${loader.text}` : `\`${call.callee}()\` without a safe loader`;
      }
      if (!what) continue;
      // constant data (a bytes literal, YAML text written in the code) is not anyone's to control
      const yaml = YAML_UNSAFE.test(resolved) || YAML_LOAD.test(resolved);
      if (isConstantBytes(data) || (data && (data.kind === "string" || data.kind === "concat") && (!fromFile || yaml))) continue;
      // the HMAC-signed pickle: the bytes are checked against a key before they are loaded
      const signed = mod.facts.calls.some((c) => c.enclosing === call.enclosing && c.line <= call.line && c.qualified !== null && SIGNATURE_CHECK.test(index.resolve(c.qualified, mod.name)));
      if (signed && call.enclosing !== null) continue;
      const where = call.enclosing ? ` in ${call.enclosing}` : "";
      const evidence = [{ file: mod.file, line: call.line, snippet: call.snippet }];
      if (data?.sources?.length) {
        reports.push({ message: `${what}${where} deserialises request data (${data.sources[0]}): any caller can run code in the service.`, evidence });
        continue;
      }
      const own = ownData(index, mod, call, data, fromFile);
      if (own?.startsWith("the data comes from the project's own cache")) {
        reports.push({ message: `${what}${where} can run code from the data it loads (medium: ${own}).`, evidence, severity: "medium", confidence: "medium" });
        continue;
      }
      // the module pickles these objects itself (a hashable cache key, a context carried to a worker), or the bytes
      // are the result of the service's own worker process: a round trip inside the service
      const dumps = resolved.replace(/\.(loads|load|Unpickler|decode)$/, ".dumps");
      const roundTrip = dumps !== resolved && mod.facts.calls.some((c) => c.qualified !== null && /\.(dumps|dump|Pickler|encode)$/.test(c.qualified) && index.resolve(c.qualified, mod.name).replace(/\.(dump|Pickler|encode)$/, ".dumps") === dumps);
      const origin = data ? assignedFrom(mod, call, data) : null;
      const fromWorker = [data?.text, data?.qualified, origin?.call].some((t) => t !== undefined && FUTURE_RESULT.test(t));
      if (roundTrip || fromWorker) {
        const how = roundTrip ? "bytes that this module pickles itself" : "the result of the service's own worker process";
        reports.push({ message: `${what}${where} loads ${how}: safe while they never leave the service or pass through storage that others can write (low: a round trip inside the service).`, evidence, severity: "low", confidence: "medium" });
        continue;
      }
      // a function of a cache class or helper (`StoredLRUCache.load`) reads what it stored there
      const ownOrCache = own ?? (CACHE.test(call.enclosing ?? "") ? "the function reads the project's own cache, so only someone who can write to the cache can exploit it" : null);
      if (ownOrCache) {
        reports.push({ message: `${what}${where} can run code from the data it loads (medium: ${ownOrCache}).`, evidence, severity: "medium", confidence: "medium" });
        continue;
      }
      const source = data ? ` ${data.text.slice(0, 60)}` : "";
      reports.push({ message: `${what}${where} deserialises${source}, which can run arbitrary code: safe only if no one outside the service can ever write that data.`, evidence });
    }
    return reports;
  },
});
