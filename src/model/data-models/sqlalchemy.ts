import type { ArgumentFact, AssignmentFact, CallFact } from "../../python/facts.js";
import type { ProjectIndex } from "../../python/project-index.js";
import {
  admitsNone,
  annotatedTarget,
  boolKeyword,
  type ClassRef,
  type ColumnDecl,
  callsInAssignment,
  calleeOf,
  emptyTable,
  isMappedAnnotation,
  keyword,
  lastSegment,
  type Members,
  type Place,
  positional,
  type RelationDecl,
  resolveName,
  stringKeyword,
  stringsIn,
  type TableDecl,
  valueOrText,
} from "./shared.js";

/** Modules whose `Column`, `ForeignKey`, `relationship`... are SQLAlchemy's (Flask-SQLAlchemy and SQLModel re-export them). */
const SQLALCHEMY_NAMES = /^(sqlalchemy|flask_sqlalchemy|sqlmodel)(\.|$)/;
const COLUMN_CALLS = new Set(["Column", "mapped_column"]);
const RELATIONSHIP_CALLS = new Set(["relationship", "relation", "dynamic_loader"]);
/** Positional `Column(...)` arguments that are not its type. */
const NOT_A_TYPE = /^([\w.]+\.)?(ForeignKey|Sequence|Identity|Computed|CheckConstraint|FetchedValue|DefaultClause)\(/;
/** SQLAlchemy's legacy boolean `lazy` values. */
const LAZY_BOOLEANS = new Map<unknown, string>([
  [true, "select"],
  [false, "joined"],
  [null, "noload"],
]);

/** The SQLAlchemy name a resolved name stands for (`Column`, `relationship`), or null when it is not SQLAlchemy's. */
export function sqlalchemyName(resolved: string | null): string | null {
  return resolved && SQLALCHEMY_NAMES.test(resolved) ? lastSegment(resolved) : null;
}

function callName(index: ProjectIndex, place: Place, call: CallFact): string | null {
  return sqlalchemyName(resolveName(index, place, call.qualified, call.callee));
}

/** One attribute declaration: a class-level assignment, or the call a `@declared_attr` method returns. */
interface Declaration {
  target: string;
  line: number;
  args: ArgumentFact[];
  annotation: string | null;
  /** Calls written inside the declaration (`ForeignKey(...)` inside `Column(...)`). */
  inner: CallFact[];
}

/** A class body's columns (`Column`, `mapped_column`, bare `Mapped[T]`, `@declared_attr` methods) and `relationship()`s. */
export function sqlalchemyMembers(index: ProjectIndex, cls: ClassRef): Members {
  const out: Members = { columns: [], relations: [] };
  const add = (name: string | null, d: Declaration) => {
    if (name && COLUMN_CALLS.has(name)) out.columns.push(readColumn(index, cls, d, name));
    else if (name && RELATIONSHIP_CALLS.has(name)) out.relations.push(readRelationship(cls, d));
  };
  for (const a of cls.fact.assignments) {
    if (a.target.startsWith("__")) continue;
    if (a.kind === "other" && isMappedAnnotation(a.annotation)) out.columns.push(bareMapped(cls, a));
    else add(sqlalchemyName(calleeOf(index, cls, a)), { target: a.target, line: a.line, args: a.args ?? [], annotation: a.annotation, inner: callsInAssignment(cls, a) });
  }
  // mixins declare foreign keys and relationships in methods: `@declared_attr def project_id(cls): return Column(ForeignKey(...))`
  for (const fn of cls.facts.functions) {
    if (fn.className !== cls.fact.qualname || fn.name.startsWith("__") || !fn.decorators.some((d) => /(^|\.)declared_attr(\.\w+)?$/.test(d.name))) continue;
    const inner = cls.facts.calls.filter((c) => c.enclosing === fn.qualname);
    const outer = inner.find((c) => {
      const name = callName(index, cls, c);
      return name !== null && (COLUMN_CALLS.has(name) || RELATIONSHIP_CALLS.has(name));
    });
    if (outer) add(callName(index, cls, outer), { target: fn.name, line: fn.line, args: outer.args, annotation: fn.returns, inner });
  }
  return out;
}

/** `id: Mapped[int]`: a column typed by its annotation alone. */
function bareMapped(cls: ClassRef, a: AssignmentFact): ColumnDecl {
  return { name: a.target, aliases: [], type: a.annotation, file: cls.file, line: a.line, primaryKey: false, nullable: admitsNone(a.annotation), index: null, unique: false, foreignKey: null, indexesForeignKey: false };
}

function readColumn(index: ProjectIndex, cls: ClassRef, d: Declaration, callee: string): ColumnDecl {
  const args = positional(d.args);
  const dbName = typeof args[0]?.value === "string" ? (args[0].value as string) : null;
  const typeArg = args.find((arg) => typeof arg.value !== "string" && !NOT_A_TYPE.test(arg.text));
  const primaryKey = boolKeyword(d.args, "primary_key") === true;
  const explicitNullable = boolKeyword(d.args, "nullable");
  const mapped = callee === "mapped_column" && isMappedAnnotation(d.annotation);
  const type = typeArg?.text ?? keyword(d.args, "type_")?.text ?? (mapped ? d.annotation : null);
  return {
    name: d.target,
    aliases: dbName && dbName !== d.target ? [dbName] : [],
    type: type === null ? null : type.replace(/\s+/g, " "),
    file: cls.file,
    line: d.line,
    primaryKey,
    // SQLAlchemy: nullable unless primary key; 2.0 `Mapped[T]` says it through Optional
    nullable: explicitNullable ?? (primaryKey ? false : mapped ? admitsNone(d.annotation) : true),
    index: boolKeyword(d.args, "index"),
    unique: boolKeyword(d.args, "unique") === true,
    foreignKey: foreignKeyTarget(index, cls, d.inner, d.args),
    indexesForeignKey: false,
  };
}

/** The target of a `ForeignKey(...)` inside a column declaration: from the recorded call, else from the argument's text. */
function foreignKeyTarget(index: ProjectIndex, cls: ClassRef, inner: CallFact[], args: ArgumentFact[]): string | null {
  const call = inner.find((c) => callName(index, cls, c) === "ForeignKey");
  const first = call ? positional(call.args)[0] : undefined;
  if (first) return valueOrText(first);
  const written = args.find((arg) => /^([\w.]+\.)?ForeignKey\(/.test(arg.text));
  return written ? (stringsIn(written.text)[0] ?? null) : null;
}

function readRelationship(cls: ClassRef, d: Declaration): RelationDecl {
  const first = positional(d.args)[0] ?? keyword(d.args, "argument");
  const target = first ? valueOrText(first) : annotatedTarget(d.annotation);
  return { name: d.target, target: target ?? "?", file: cls.file, line: d.line, lazy: lazyOf(keyword(d.args, "lazy")) };
}

function lazyOf(arg: ArgumentFact | undefined): string | null {
  if (!arg) return null;
  if (typeof arg.value === "string") return arg.value;
  return LAZY_BOOLEANS.get(arg.value) ?? arg.text;
}

/** A SQLModel class body: annotated fields, `Field(...)` options, `Relationship(...)`. */
export function sqlmodelMembers(index: ProjectIndex, cls: ClassRef): Members {
  const out: Members = { columns: [], relations: [] };
  for (const a of cls.fact.assignments) {
    if (a.target.startsWith("__") || a.target === "model_config" || !a.annotation || /^(typing\.)?ClassVar\b/.test(a.annotation)) continue;
    const name = sqlalchemyName(calleeOf(index, cls, a));
    if (name === "Relationship") {
      out.relations.push({ name: a.target, target: annotatedTarget(a.annotation) ?? "?", file: cls.file, line: a.line, lazy: sqlmodelLazy(a) });
      continue;
    }
    const options = name === "Field" ? a.args : undefined;
    const saColumn = keyword(options, "sa_column");
    const column = saColumn ? columnOptions(index, cls, a) : null;
    const primaryKey = (boolKeyword(options, "primary_key") ?? column?.primaryKey) === true;
    out.columns.push({
      name: a.target,
      aliases: [],
      type: a.annotation,
      file: cls.file,
      line: a.line,
      primaryKey,
      nullable: boolKeyword(options, "nullable") ?? column?.nullable ?? (primaryKey ? false : admitsNone(a.annotation)),
      index: boolKeyword(options, "index") ?? column?.index ?? null,
      unique: (boolKeyword(options, "unique") ?? column?.unique) === true,
      foreignKey: stringKeyword(options, "foreign_key") ?? column?.foreignKey ?? null,
      indexesForeignKey: false,
    });
  }
  return out;
}

/** `Field(sa_column=Column(...))`: the options of the inner `Column`. */
function columnOptions(index: ProjectIndex, cls: ClassRef, a: AssignmentFact): Pick<ColumnDecl, "primaryKey" | "nullable" | "index" | "unique" | "foreignKey"> | null {
  const column = callsInAssignment(cls, a).find((c) => callName(index, cls, c) === "Column");
  if (!column) return null;
  return {
    primaryKey: boolKeyword(column.args, "primary_key") === true,
    nullable: boolKeyword(column.args, "nullable"),
    index: boolKeyword(column.args, "index"),
    unique: boolKeyword(column.args, "unique") === true,
    foreignKey: foreignKeyTarget(index, cls, callsInAssignment(cls, a), a.args ?? []),
  };
}

/** `Relationship(sa_relationship_kwargs={"lazy": "selectin"})`. */
function sqlmodelLazy(a: AssignmentFact): string | null {
  const kwargs = keyword(a.args, "sa_relationship_kwargs")?.text ?? "";
  return /["']lazy["']\s*:\s*["'](\w+)["']/.exec(kwargs)?.[1] ?? null;
}

/** Whether a SQLModel class body alone marks it as a table: a table name, a relationship, or its own primary key. */
export function sqlmodelTableSignal(index: ProjectIndex, cls: ClassRef): { strong: boolean; primaryKey: boolean } {
  let strong = false;
  let primaryKey = false;
  for (const a of cls.fact.assignments) {
    if (a.target === "__tablename__" || a.target === "__table_args__") strong = true;
    const name = sqlalchemyName(calleeOf(index, cls, a));
    if (name === "Relationship") strong = true;
    if (name === "Field" && (boolKeyword(a.args, "primary_key") === true || (keyword(a.args, "sa_column") && columnOptions(index, cls, a)?.primaryKey))) primaryKey = true;
  }
  return { strong, primaryKey };
}

/**
 * `__table_args__`: `Index`, `UniqueConstraint`, `PrimaryKeyConstraint`, `ForeignKeyConstraint`,
 * read from the calls inside the assignment, or from its text when the calls were not recorded.
 */
export function tableArgs(index: ProjectIndex, cls: ClassRef, a: AssignmentFact | undefined): TableDecl {
  const table = emptyTable();
  if (!a) return table;
  const calls = callsInAssignment(cls, a);
  const constraints: Array<{ name: string; args: ArgumentFact[] | null; text: string; line: number }> = calls.length
    ? calls.map((c) => ({ name: callName(index, cls, c) ?? "", args: c.args, text: c.snippet, line: c.line }))
    : (a.items ?? []).map((text) => ({ name: /^(?:[\w.]+\.)?(\w+)\(/.exec(text)?.[1] ?? "", args: null, text, line: a.line }));
  for (const c of constraints) {
    const strings = c.args ? positional(c.args).map(columnNameOf) : stringsIn(c.text.slice(c.text.indexOf("(")));
    switch (c.name) {
      case "Index": {
        const columns = strings.slice(1).filter((s): s is string => s !== null);
        if (columns.length) table.indexes.push(columns);
        break;
      }
      case "UniqueConstraint": {
        const columns = strings.filter((s): s is string => s !== null);
        if (columns.length) table.uniques.push(columns);
        break;
      }
      case "PrimaryKeyConstraint": {
        const columns = strings.filter((s): s is string => s !== null);
        if (columns.length) table.primaryKey = columns;
        break;
      }
      case "ForeignKeyConstraint": {
        const [fields, targets] = c.args ? positional(c.args).map((arg) => arg.items ?? []) : [];
        if (fields?.length) table.foreignKeys.push({ fields, target: (targets ?? []).join(", ") || "?", file: cls.file, line: c.line });
        break;
      }
    }
  }
  return table;
}

/** A column named in a constraint: `"email"`, `email`, `User.email` → `email`; expressions → null. */
function columnNameOf(arg: ArgumentFact): string | null {
  if (typeof arg.value === "string") return arg.value;
  if (arg.kind === "name" || arg.kind === "attribute") return lastSegment(arg.text);
  return null;
}

/** Flask-SQLAlchemy's default table name: `UserRole` → `user_role`. */
export function flaskTableName(className: string): string {
  return className
    .replace(/(?<=[a-z0-9])([A-Z])|(?!^)([A-Z])(?=[a-z])/g, (_m, a: string | undefined, b: string | undefined) => `_${a ?? b}`)
    .toLowerCase()
    .replace(/^_+/, "");
}

/** A module-level `Index("ix", User.a, User.b)`: the model class id and the column names. */
export function moduleLevelIndexes(index: ProjectIndex, place: Place): Array<{ model: string; columns: string[]; line: number }> {
  const out: Array<{ model: string; columns: string[]; line: number }> = [];
  for (const call of place.facts.calls) {
    if (call.enclosing !== null || !/(^|\.)Index$/.test(call.callee) || callName(index, place, call) !== "Index") continue;
    const columns = positional(call.args).slice(1);
    const owners = columns.map((arg) => (arg.qualified ? index.resolveSymbol(arg.qualified, place.module) : null));
    const owner = owners[0]?.slice(0, owners[0].lastIndexOf("."));
    if (!owner || owners.some((o) => o === null || !o.startsWith(`${owner}.`))) continue;
    out.push({ model: owner, columns: owners.map((o) => lastSegment(o as string)), line: call.line });
  }
  return out;
}
