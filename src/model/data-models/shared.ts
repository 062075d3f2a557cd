import type { ArgumentFact, AssignmentFact, CallFact, ClassFact, FileFacts } from "../../python/facts.js";
import type { ProjectIndex } from "../../python/project-index.js";
import type { DataModel } from "../types.js";

export type Orm = DataModel["orm"];

/** A project module: its name, file and facts. */
export interface Place {
  module: string;
  file: string;
  facts: FileFacts;
}

/** A project class and where it lives. */
export interface ClassRef extends Place {
  /** `app.models.User`, `app.models.User.Meta`. */
  id: string;
  fact: ClassFact;
}

/** A column as one class body declares it, before the model-wide facts (indexes, constraints) are known. */
export interface ColumnDecl {
  name: string;
  /** Other names the table knows the column by (`Column("user_name", ...)`, Django's `author_id`). */
  aliases: string[];
  type: string | null;
  file: string;
  line: number;
  primaryKey: boolean;
  nullable: boolean | null;
  /** `index=True` / `db_index=True` → true, `=False` → false, not said → null. */
  index: boolean | null;
  unique: boolean;
  /** Foreign key target as written, null when the column is not a foreign key. */
  foreignKey: string | null;
  /** The ORM indexes this foreign key itself unless told not to (Django, Peewee). */
  indexesForeignKey: boolean;
}

export interface RelationDecl {
  name: string;
  target: string;
  file: string;
  line: number;
  lazy: string | null;
}

export interface Members {
  columns: ColumnDecl[];
  relations: RelationDecl[];
}

/** Table-level declarations: `__table_args__`, Django/Tortoise/Peewee `Meta`. */
export interface TableDecl {
  indexes: string[][];
  uniques: string[][];
  /** A composite primary key declared at table level, null when the columns say it. */
  primaryKey: string[] | null;
  foreignKeys: Array<{ fields: string[]; target: string; file: string; line: number }>;
}

export const emptyTable = (): TableDecl => ({ indexes: [], uniques: [], primaryKey: null, foreignKeys: [] });

/** ORM modules whose names a `from X import *` may bring in. */
const WILDCARD_SOURCES = /^(peewee|playhouse(\.\w+)*|sqlalchemy(\.\w+)*|sqlmodel|django\.db\.models|tortoise(\.\w+)*)$/;

/**
 * The fully resolved name of a name or callee as written in `cls`'s file: through imports and
 * re-exports, or, for a name the file cannot resolve, through an ORM wildcard import
 * (`from peewee import *` is how Peewee's own documentation starts).
 */
export function resolveName(index: ProjectIndex, place: Place, qualified: string | null | undefined, written: string | null): string | null {
  if (qualified) return index.resolve(qualified, place.module);
  if (!written || !/^[A-Za-z_][\w.]*$/.test(written)) return null;
  for (const imp of place.facts.imports) {
    if (imp.level === 0 && !imp.insideFunction && imp.names?.some((n) => n.name === "*") && WILDCARD_SOURCES.test(imp.module)) return `${imp.module}.${written}`;
  }
  return null;
}

/** The resolved callee of a call-valued assignment. */
export function calleeOf(index: ProjectIndex, cls: ClassRef, a: AssignmentFact): string | null {
  if (a.kind !== "call") return null;
  return resolveName(index, cls, a.callee, /^([A-Za-z_][\w.]*)\s*\(/.exec(a.text)?.[1] ?? null);
}

export function lastSegment(name: string): string {
  return name.slice(name.lastIndexOf(".") + 1);
}

export function keyword(args: ArgumentFact[] | undefined, name: string): ArgumentFact | undefined {
  return args?.find((a) => a.name === name);
}

/** A keyword argument's literal boolean value, null when absent or not a literal boolean. */
export function boolKeyword(args: ArgumentFact[] | undefined, name: string): boolean | null {
  const value = keyword(args, name)?.value;
  return typeof value === "boolean" ? value : null;
}

export function stringKeyword(args: ArgumentFact[] | undefined, name: string): string | null {
  const value = keyword(args, name)?.value;
  return typeof value === "string" ? value : null;
}

export function positional(args: ArgumentFact[] | undefined): ArgumentFact[] {
  return (args ?? []).filter((a) => a.name === null);
}

/** A string argument's value, any other argument's source text (`User`, `settings.AUTH_USER_MODEL`). */
export function valueOrText(arg: ArgumentFact): string {
  return typeof arg.value === "string" ? arg.value : arg.text;
}

/** The string literals of a collection's elements (items are string values, or source text for other elements). */
export function stringsIn(text: string): string[] {
  return [...text.matchAll(/(["'])((?:(?!\1)[^\\]|\\.)*)\1/g)].map((m) => m[2] as string);
}

/**
 * A list of column-name groups from a Django/Tortoise-style option: `("a", "b")` is one group,
 * `[("a", "b"), ("c",)]` several.
 */
export function nameGroups(a: AssignmentFact): string[][] {
  const items = a.items ?? [];
  if (items.length === 0) return [];
  const nested = items.filter((item) => /^[([]/.test(item));
  if (nested.length === 0) return [items.filter((item) => /^[\w-]+$/.test(item))].filter((g) => g.length > 0);
  return nested.map((item) => stringsIn(item)).filter((g) => g.length > 0);
}

/** The nested class `Meta` of a class, if it has one. */
export function nestedClass(cls: ClassRef, name: string): ClassRef | null {
  const qualname = `${cls.fact.qualname}.${name}`;
  const fact = cls.facts.classes.find((c) => c.qualname === qualname);
  return fact ? { ...cls, id: `${cls.module}.${qualname}`, fact } : null;
}

export function ownAssignment(cls: ClassRef, target: string): AssignmentFact | undefined {
  return cls.fact.assignments.find((a) => a.target === target);
}

/** Last line of the statement that starts at `a.line`: its text's length, or the next statement when the text was cut. */
function statementEnd(cls: ClassRef, a: AssignmentFact): number {
  if (!a.text.endsWith("…")) return a.line + (a.text.match(/\n/g)?.length ?? 0);
  const prefix = `${cls.fact.qualname}.`;
  const starts = [
    ...cls.fact.assignments.map((x) => x.line),
    ...cls.facts.classes.filter((c) => c.qualname.startsWith(prefix)).map((c) => c.line),
    ...cls.facts.functions.filter((f) => f.className === cls.fact.qualname).map((f) => f.line),
    cls.fact.endLine + 1,
  ].filter((line) => line > a.line);
  return Math.min(...starts) - 1;
}

/** The calls written inside one class-level assignment (`ForeignKey(...)` inside `Column(...)`, `Index(...)` inside `__table_args__`). */
export function callsInAssignment(cls: ClassRef, a: AssignmentFact): CallFact[] {
  const end = statementEnd(cls, a);
  return cls.facts.calls.filter((c) => c.enclosing === null && c.line >= a.line && c.line <= end);
}

/** `Optional[X]`, `X | None`, `Union[X, None]`: the annotation admits None. */
export function admitsNone(annotation: string | null): boolean {
  return annotation !== null && /\bOptional\[|\|\s*None\b|\bNone\s*\||\bUnion\[[^\]]*\bNone\b/.test(annotation);
}

const TYPE_WRAPPERS = new Set(["Mapped", "WriteOnlyMapped", "DynamicMapped", "Optional", "Union", "None", "list", "List", "set", "Set", "Sequence", "tuple", "Tuple", "dict", "Dict", "typing", "ClassVar", "Annotated"]);

/** The model class an annotation names: `Mapped[list["Order"]]` → `Order`, `Optional["Team"]` → `Team`. */
export function annotatedTarget(annotation: string | null): string | null {
  if (!annotation) return null;
  for (const m of annotation.matchAll(/[A-Za-z_][\w.]*/g)) {
    const name = m[0];
    // `so.WriteOnlyMapped`, `typing.Optional`: wrappers whatever module they are reached through
    if (!TYPE_WRAPPERS.has(lastSegment(name))) return name;
  }
  return null;
}

/** `Mapped[int]`, `so.Mapped[int]`, `sa.orm.Mapped[int]`. */
export function isMappedAnnotation(annotation: string | null): boolean {
  return annotation !== null && /^([A-Za-z_]\w*\.)*Mapped\[/.test(annotation);
}
