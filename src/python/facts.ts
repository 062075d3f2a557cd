/**
 * Facts extracted from one Python file in a single pass over its syntax tree.
 * Plain data (JSON-serialisable) so it can cross a worker boundary and live in the cache.
 *
 * Qualified names use three forms, resolved further by the project index:
 * - `requests.get`: absolute, through the file's imports (aliases already applied);
 * - `.db.get_session`: relative import, leading dots as written in the import;
 * - `#get_session` / `#Service.run`: defined in this same file.
 */
export const FACTS_VERSION = 8;

export interface SourceRange {
  line: number;
  column: number;
  endLine: number;
}

export interface ImportFact {
  /** Module as written, without leading dots (`db`, `app.models`); empty for `from . import x`. */
  module: string;
  /** Number of leading dots of a relative import; 0 for absolute. */
  level: number;
  /** Imported names for `from X import a as b`; null for `import X`. `*` for a wildcard. */
  names: Array<{ name: string; alias: string | null }> | null;
  /** Alias of `import X as Y`. */
  alias: string | null;
  line: number;
  insideFunction: boolean;
  typeCheckingOnly: boolean;
}

export interface ArgumentFact {
  /** Keyword name, or null for a positional argument. */
  name: string | null;
  /** Source text, cut to 200 characters. */
  text: string;
  kind: ValueKind;
  /** Literal value for string/number/bool/none arguments. */
  value?: string | number | boolean | null;
  /** For identifiers and attribute chains: the qualified name the file resolves it to. */
  qualified?: string;
  /** Names of the enclosing function's parameters that the argument's expression uses. */
  usesParams?: string[];
  /** Elements of a list/tuple/set literal: string values, other elements as source text. */
  items?: string[];
  /** `Depends(x)` / `Security(x)` calls anywhere inside the argument (FastAPI `dependencies=[...]`). */
  dependencies?: DependencyFact[];
  /** Inside a function: the names the expression reads (see `namesRead`), for taint tracking. */
  reads?: string[];
  /** Request data the expression reads directly (`request.args`, `request.GET`), as written. */
  sources?: string[];
  /** For strings built from parts: the literal text they begin with (see `leadingPart`). */
  prefix?: string;
  /** For strings built from parts that begin with an interpolation: the names it reads. */
  leadingReads?: string[];
}

export interface DependencyFact {
  kind: "Depends" | "Security";
  /** The dependency callable as written, null for a bare `Depends()`. */
  target: string | null;
  qualified: string | null;
}

export type ValueKind =
  | "string"
  | "fstring"
  | "concat"
  | "format"
  | "percent"
  | "number"
  | "bool"
  | "none"
  | "list"
  | "tuple"
  | "dict"
  | "set"
  | "call"
  | "name"
  | "attribute"
  | "lambda"
  | "comprehension"
  | "other";

export interface CallFact extends SourceRange {
  /** Callee as written, e.g. `r.get`, `db.execute`, `text`. */
  callee: string;
  /** Qualified name through imports, local definitions and known variable types. */
  qualified: string | null;
  args: ArgumentFact[];
  /** `**kwargs` or `*args` present: keyword checks cannot be sure. */
  hasStarArgs: boolean;
  /** The expressions unpacked with `**` (`data`, `request.json`), as written. */
  unpacked?: string[];
  /** Qualname of the enclosing function, null at module level. */
  enclosing: string | null;
  awaited: boolean;
  inLoop: boolean;
  /** Condition of the innermost enclosing `if` (`not (...)` in its else branch), null when unconditional. */
  guard: string | null;
  /** First line of the call's source text, trimmed, at most 160 characters. */
  snippet: string;
}

export interface DecoratorFact {
  /** Decorator expression callee as written (`router.get`, `app.route`, `login_required`). */
  name: string;
  qualified: string | null;
  args: ArgumentFact[];
  line: number;
}

export interface ParameterFact {
  name: string;
  annotation: string | null;
  /** Qualified name of the annotation's main type, e.g. `sqlalchemy.orm.Session`. */
  annotationQualified: string | null;
  default: string | null;
  /** For `Depends(x)`, `Security(x)`, `Annotated[T, Depends(x)]`: the dependency call. */
  dependency: DependencyFact | null;
}

export interface FunctionFact {
  name: string;
  /** `Outer.method`, `func`, `func.<locals>.inner` kept simple as `func.inner`. */
  qualname: string;
  className: string | null;
  line: number;
  endLine: number;
  isAsync: boolean;
  decorators: DecoratorFact[];
  params: ParameterFact[];
  returns: string | null;
  /** Lines of code in the body, excluding blank and comment-only lines. */
  codeLines: number;
  /** McCabe-style complexity: 1 + branches. */
  complexity: number;
}

export interface AssignmentFact {
  target: string;
  line: number;
  kind: ValueKind;
  value?: string | number | boolean | null;
  /** For call values: the callee's qualified name. */
  callee?: string | null;
  /** For call values: the arguments. */
  args?: ArgumentFact[];
  /** Source text of the value, cut to 200 characters (2,000 for list, tuple, set and dict literals). */
  text: string;
  annotation: string | null;
  /** Elements of a list/tuple/set literal value: string values, other elements as source text. */
  items?: string[];
  /** `X = Annotated[T, Depends(f)]`: the dependency, so parameters annotated `X` inherit it. */
  dependency?: DependencyFact | null;
  /** For `X = Annotated[T, ...]`: the qualified name of T. */
  annotatedType?: string | null;
}

export interface ClassFact {
  name: string;
  qualname: string;
  line: number;
  endLine: number;
  bases: Array<{ text: string; qualified: string | null }>;
  decorators: DecoratorFact[];
  assignments: AssignmentFact[];
  /** Class keywords (`table=True`, `metaclass=ABCMeta`). */
  keywords?: Array<{ name: string; text: string; value?: string | number | boolean | null }>;
}

/** A write to a module-level name from inside a function. */
export interface MutationFact {
  name: string;
  /** The mutated name's qualified form (`#cache`, `app.cache.cache`). */
  qualified: string | null;
  /** How: `subscript` (`x[k] = v`), `method` (`x.append(v)`), `augmented` (`x += v`), `global` (rebinding after `global x`), `del`. */
  how: "subscript" | "method" | "augmented" | "global" | "del";
  line: number;
  enclosing: string;
  snippet: string;
  /** Condition of the enclosing `if` (`key not in _cache`), when there is one. */
  guard?: string;
}

export interface ExceptFact {
  line: number;
  types: string[];
  body: "pass" | "log" | "reraise" | "return" | "continue" | "other";
  enclosing: string | null;
  /** A silent handler with a comment inside it or on its line: the author says why. */
  explained?: boolean;
  /** The `try` body only assigns (a value computed with a fallback set before it). */
  tryAssignsOnly?: boolean;
  /** Callees (last name) called in the `try` body of a silent handler, at most 12. */
  tryCalls?: string[];
  /** Condition of the enclosing `if`, when there is one (`settings.DEBUG`). */
  guard?: string;
  /** The statement after the `try` returns: the handler falls back to that value on purpose. */
  fallbackReturn?: boolean;
}

/** A `raise` statement: what it raises, where, and under which condition. */
export interface RaiseFact {
  line: number;
  /** The raised expression as written (`PermissionDenied`, `HTTPException(status_code=401)`), cut to 200 characters. */
  text: string;
  /** The raised class or name, qualified like a callee (`django.core.exceptions.PermissionDenied`, `#credentials_exception`). */
  qualified: string | null;
  enclosing: string | null;
  guard: string | null;
}

/**
 * Inside a function, a statement that moves values between names: an assignment (`a = b`, `a, b = c`, `d[k] = v`,
 * `a += b`), a `for` or `with ... as` target, a mutating method call (`items.append(v)`), or a `return`.
 * Taint tracking follows values through these.
 */
export interface FlowFact {
  enclosing: string;
  line: number;
  /** Names bound or changed; `return` for a return statement. */
  targets: string[];
  /** Names the value reads (see `namesRead`). */
  reads: string[];
  /** Request data the value reads directly, as written. */
  sources?: string[];
  /** When the value is a call (or an awaited call): the callee's qualified name, to follow project functions' returns. */
  call?: string;
  /** When the value is a call (or an awaited call): the callee as written (`data.get`, `os.path.join`, `"/".join`). */
  callee?: string;
  /** For strings built from parts: the literal text they begin with (see `leadingPart`). */
  prefix?: string;
  /** For strings built from parts that begin with an interpolation: the names it reads. */
  leadingReads?: string[];
  /** A comprehension that keeps only members of a collection (`[f for f in fields if f in ALLOWED]`). */
  allowListed?: boolean;
}

export interface AssertFact {
  line: number;
  /** The asserted condition, cut to 200 characters. */
  test: string;
  enclosing: string | null;
}

export interface LiteralStoreFact {
  /** What is written to, as written (`app.config`, `app`). */
  target: string;
  /** The item key or attribute name (`SECRET_KEY`, `secret_key`). */
  key: string;
  value: string;
  line: number;
}

export interface SwitchStoreFact {
  target: string;
  key: string;
  value: boolean;
  line: number;
}

export interface LoopFact {
  line: number;
  endLine: number;
  enclosing: string | null;
  isWhileTrue: boolean;
  /** The loop's first line as written (`while temp_token is not None:`), at most 160 characters. */
  header?: string;
}

export interface StringFact {
  line: number;
  kind: ValueKind;
  /** Text cut to 200 characters. */
  text: string;
  enclosing: string | null;
}

export interface SuppressionFact {
  line: number;
  ids: string[];
  reason: string;
}

/** `# noqa: S608` or `# nosec B608` on a line: a waiver written for Ruff or Bandit. */
export interface LinterWaiverFact {
  line: number;
  /** Ruff `S` codes, Bandit `B` codes, `*` for a bare `# nosec`. */
  codes: string[];
}

export interface ParseErrorFact {
  line: number;
  column: number;
  message: string;
}

export interface FileFacts {
  version: number;
  path: string;
  lines: number;
  codeLines: number;
  imports: ImportFact[];
  functions: FunctionFact[];
  classes: ClassFact[];
  calls: CallFact[];
  assignments: AssignmentFact[];
  mutations: MutationFact[];
  excepts: ExceptFact[];
  raises: RaiseFact[];
  loops: LoopFact[];
  /** Value flows inside functions, for taint tracking. */
  flows: FlowFact[];
  /** `assert` statements: their condition, where they are. */
  asserts?: AssertFact[];
  /** String literals stored into an item or attribute: `app.config["SECRET_KEY"] = "…"`, `app.secret_key = "…"`. */
  literalStores?: LiteralStoreFact[];
  /** `True`/`False` stored the same way (`app.config["WTF_CSRF_ENABLED"] = False`, `app.debug = True`). */
  switchStores?: SwitchStoreFact[];
  /** String literals that look like SQL. */
  sqlStrings: StringFact[];
  /** Distinct string literals that are dotted names (`"app.tasks.cleanup"`), in order of appearance. */
  dottedStrings: string[];
  suppressions: SuppressionFact[];
  linterWaivers: LinterWaiverFact[];
  /** `if __name__ == "__main__"` present. */
  hasMainGuard: boolean;
  errors: ParseErrorFact[];
}

/** Facts with nothing in them yet: the extractor's starting point, and what an unreadable file yields. */
export function emptyFacts(path: string, lines: number): FileFacts {
  return {
    version: FACTS_VERSION,
    path,
    lines,
    codeLines: 0,
    imports: [],
    functions: [],
    classes: [],
    calls: [],
    assignments: [],
    mutations: [],
    excepts: [],
    raises: [],
    loops: [],
    flows: [],
    sqlStrings: [],
    dottedStrings: [],
    suppressions: [],
    linterWaivers: [],
    hasMainGuard: false,
    errors: [],
  };
}
