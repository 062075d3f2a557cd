import type { Evidence } from "../../model/types.js";
import type { FunctionFact, ParameterFact } from "../../python/facts.js";
import { defineCheck } from "../define.js";
import { plural } from "../../core/prose.js";
import { applicationModules } from "./application-code.js";

/** Literal lists, dicts and sets, and calls that build an empty one: evaluated once, shared by every call. */
const MUTABLE_DEFAULT = /^(\[.*\]|\{.*\}|(list|dict|set|bytearray|collections\.(defaultdict|OrderedDict|Counter|deque)|defaultdict|OrderedDict|Counter|deque)\(.*\))$/s;
const MAX_LISTED = 6;

interface Found {
  file: string;
  fn: FunctionFact;
  param: ParameterFact;
}

export default defineCheck({
  id: "CODE010",
  area: "code",
  title: "Mutable default arguments",
  severity: "low",
  kind: "concern",
  confidence: "medium",
  why: "A default value is evaluated once, when the function is defined, and shared by every call that omits the argument. A list or dict default that the function (or its caller, through the return value) changes keeps its contents from one call, and one request, to the next: data leaks between users and bugs appear only under load.",
  recommendation: "Default to `None` and build the value inside (`tags = [] if tags is None else tags`), or use an immutable default (a tuple, `frozenset()`, `types.MappingProxyType`). Ruff's `B006` (flake8-bugbear) finds them and keeps them out.",
  example: { bad: "def add_tag(tag, tags=[]):\n    tags.append(tag)\n    return tags", good: "def add_tag(tag, tags=None):\n    tags = [] if tags is None else tags\n    tags.append(tag)\n    return tags" },
  references: ["https://docs.python.org/3/reference/compound_stmts.html#function-definitions", "https://docs.astral.sh/ruff/rules/mutable-argument-default/"],
  effort: "S",
  libraries: ["ruff", "flake8-bugbear"],
  run({ index }) {
    const found: Found[] = [];
    for (const mod of applicationModules(index)) {
      for (const fn of mod.facts.functions) {
        for (const param of fn.params) if (param.default !== null && MUTABLE_DEFAULT.test(param.default.trim())) found.push({ file: mod.file, fn, param });
      }
    }
    if (!found.length) return [];
    const shown = (text: string) => {
      const flat = text.replace(/\s+/g, " ");
      return flat.length > 40 ? `${flat.slice(0, 37)}...` : flat;
    };
    const functions = new Set(found.map((f) => `${f.file}:${f.fn.qualname}`)).size;
    const listed = found.slice(0, MAX_LISTED).map(({ file, fn, param }) => `${fn.qualname}(${param.name}=${shown(param.default ?? "")}) (${file}:${fn.line})`);
    const evidence: Evidence[] = found.slice(0, MAX_LISTED).map(({ file, fn, param }) => ({ file, line: fn.line, snippet: `def ${fn.name}(..., ${param.name}=${shown(param.default ?? "")}, ...)` }));
    return [
      {
        message: `${plural(found.length, "mutable default argument")} in ${plural(functions, "application function")}: ${listed.join(", ")}${found.length > MAX_LISTED ? `, and ${found.length - MAX_LISTED} more` : ""}. Whether each function changes its default is not checked; every one is a trap for the next edit.`,
        evidence,
      },
    ];
  },
});
