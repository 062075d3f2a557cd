import type { ArgumentFact, AssignmentFact } from "../../python/facts.js";
import type { ProjectIndex } from "../../python/project-index.js";
import {
  boolKeyword,
  type ClassRef,
  callsInAssignment,
  calleeOf,
  emptyTable,
  keyword,
  lastSegment,
  type Members,
  nameGroups,
  type Orm,
  ownAssignment,
  positional,
  resolveName,
  stringKeyword,
  stringsIn,
  type TableDecl,
  valueOrText,
} from "./shared.js";

/** How an ORM whose columns are `name = SomethingField(...)` spells its options. */
interface FieldDialect {
  /** Whether a resolved callee belongs to this ORM's fields. */
  owns(resolved: string): boolean;
  foreignKeys: ReadonlySet<string>;
  /** Foreign keys that are unique by nature (one-to-one). */
  oneToOne: ReadonlySet<string>;
  manyToMany: ReadonlySet<string>;
  /** Fields that are not columns of this table. */
  notColumns: ReadonlySet<string>;
  /** Fields that are the primary key by themselves (Peewee's `AutoField`). */
  primaryKeyFields: ReadonlySet<string>;
  primaryKeyOptions: string[];
  indexOptions: string[];
  /** Options naming the column in the table. */
  columnOptions: string[];
  /** Keyword giving a relation's target when it is not the first positional argument. */
  targetOptions: string[];
  /** The ORM indexes foreign keys itself (Django always, Peewee by default). */
  indexesForeignKeys: boolean;
}

const DIALECTS: Record<"django" | "tortoise" | "peewee", FieldDialect> = {
  django: {
    // project and third-party fields (`MoneyField`, `PhoneNumberField`) are columns too
    owns: () => true,
    foreignKeys: new Set(["ForeignKey", "OneToOneField", "ParentalKey"]),
    oneToOne: new Set(["OneToOneField"]),
    manyToMany: new Set(["ManyToManyField", "ParentalManyToManyField"]),
    notColumns: new Set(["GenericForeignKey", "GenericRelation"]),
    primaryKeyFields: new Set(),
    primaryKeyOptions: ["primary_key"],
    indexOptions: ["db_index"],
    columnOptions: ["db_column"],
    targetOptions: ["to"],
    indexesForeignKeys: true,
  },
  tortoise: {
    owns: (resolved) => resolved.startsWith("tortoise."),
    foreignKeys: new Set(["ForeignKeyField", "OneToOneField"]),
    oneToOne: new Set(["OneToOneField"]),
    manyToMany: new Set(["ManyToManyField"]),
    notColumns: new Set(["ReverseRelation", "BackwardFKRelation", "BackwardOneToOneRelation"]),
    primaryKeyFields: new Set(),
    primaryKeyOptions: ["pk", "primary_key"],
    indexOptions: ["index", "db_index"],
    columnOptions: ["source_field"],
    targetOptions: ["model_name"],
    indexesForeignKeys: false,
  },
  peewee: {
    owns: (resolved) => /^(peewee|playhouse)\./.test(resolved),
    foreignKeys: new Set(["ForeignKeyField", "DeferredForeignKey"]),
    oneToOne: new Set(),
    manyToMany: new Set(["ManyToManyField"]),
    notColumns: new Set(),
    primaryKeyFields: new Set(["AutoField", "BigAutoField", "PrimaryKeyField"]),
    primaryKeyOptions: ["primary_key"],
    indexOptions: ["index"],
    columnOptions: ["column_name", "db_column"],
    targetOptions: ["model", "rel_model_name"],
    // peewee's ForeignKeyField sets index=True unless told otherwise
    indexesForeignKeys: true,
  },
};

function firstBool(args: ArgumentFact[] | undefined, names: string[]): boolean | null {
  for (const name of names) {
    const value = boolKeyword(args, name);
    if (value !== null) return value;
  }
  return null;
}

/** Columns and relations of a Django, Tortoise or Peewee class body. */
export function fieldMembers(index: ProjectIndex, cls: ClassRef, orm: "django" | "tortoise" | "peewee"): Members {
  const dialect = DIALECTS[orm];
  const out: Members = { columns: [], relations: [] };
  for (const a of cls.fact.assignments) {
    const resolved = calleeOf(index, cls, a);
    if (!resolved || !dialect.owns(resolved)) continue;
    const kind = lastSegment(resolved);
    if (dialect.notColumns.has(kind)) continue;
    const isForeignKey = dialect.foreignKeys.has(kind);
    if (isForeignKey || dialect.manyToMany.has(kind)) {
      const target = positional(a.args)[0] ?? dialect.targetOptions.map((name) => keyword(a.args, name)).find((arg) => arg !== undefined);
      out.relations.push({ name: a.target, target: target ? valueOrText(target) : "?", file: cls.file, line: a.line, lazy: null });
      if (!isForeignKey) continue;
    } else if (!kind.endsWith("Field")) continue;
    const columnName = dialect.columnOptions.map((name) => stringKeyword(a.args, name)).find((name) => name !== null);
    const primaryKey = firstBool(a.args, dialect.primaryKeyOptions) ?? dialect.primaryKeyFields.has(kind);
    out.columns.push({
      name: a.target,
      aliases: [...(isForeignKey ? [`${a.target}_id`] : []), ...(columnName ? [columnName] : [])],
      type: writtenCallee(a) ?? kind,
      file: cls.file,
      line: a.line,
      primaryKey,
      nullable: primaryKey ? false : (boolKeyword(a.args, "null") ?? false),
      index: firstBool(a.args, dialect.indexOptions),
      unique: boolKeyword(a.args, "unique") === true || dialect.oneToOne.has(kind),
      foreignKey: isForeignKey ? (out.relations[out.relations.length - 1]?.target ?? "?") : null,
      indexesForeignKey: isForeignKey && dialect.indexesForeignKeys,
    });
  }
  return out;
}

/** `models.CharField` in `models.CharField(max_length=10)`. */
function writtenCallee(a: AssignmentFact): string | null {
  return /^([A-Za-z_][\w.]*)\s*\(/.exec(a.text)?.[1] ?? null;
}

export interface MetaOptions {
  table: string | null;
  appLabel: string | null;
  abstract: boolean;
  proxy: boolean;
  decl: TableDecl;
}

/** A nested `Meta` class: table name, abstract/proxy flags, indexes and constraints. */
export function metaOptions(index: ProjectIndex, meta: ClassRef | null, orm: Orm): MetaOptions {
  const options: MetaOptions = { table: null, appLabel: null, abstract: false, proxy: false, decl: emptyTable() };
  if (!meta) return options;
  const text = (target: string): string | null => {
    const value = ownAssignment(meta, target)?.value;
    return typeof value === "string" ? value : null;
  };
  options.table = text(orm === "tortoise" ? "table" : orm === "peewee" ? "table_name" : "db_table") ?? (orm === "peewee" ? text("db_table") : null);
  options.appLabel = text("app_label");
  options.abstract = ownAssignment(meta, "abstract")?.value === true;
  options.proxy = ownAssignment(meta, "proxy")?.value === true;
  const decl = options.decl;
  for (const a of meta.fact.assignments) {
    switch (a.target) {
      case "unique_together":
        decl.uniques.push(...nameGroups(a));
        break;
      case "index_together":
        decl.indexes.push(...nameGroups(a));
        break;
      case "indexes":
      case "constraints":
        if (orm === "peewee") readPeeweeIndexes(a, decl);
        else readIndexCalls(index, meta, a, decl);
        break;
      case "primary_key":
        // peewee: `primary_key = CompositeKey("a", "b")`, or False for no primary key
        if (a.value === false) decl.primaryKey = [];
        else if (/CompositeKey\(/.test(a.text)) decl.primaryKey = stringsIn(a.text);
        break;
    }
  }
  return options;
}

/** `indexes = [models.Index(fields=["a", "-b"])]`, `constraints = [UniqueConstraint(fields=[...])]`, Tortoise's tuples. */
function readIndexCalls(index: ProjectIndex, meta: ClassRef, a: AssignmentFact, decl: TableDecl): void {
  const calls = callsInAssignment(meta, a);
  for (const call of calls) {
    const kind = lastSegment(resolveName(index, meta, call.qualified, call.callee) ?? call.callee);
    const fields = (keyword(call.args, "fields")?.items ?? positional(call.args).filter((arg) => typeof arg.value === "string").map((arg) => arg.value as string)).map((f) => f.replace(/^-/, ""));
    if (fields.length === 0) continue;
    if (kind === "UniqueConstraint") decl.uniques.push(fields);
    // B-tree and hash indexes serve equality lookups on their leading column; GIN/GiST/BRIN do not
    else if (kind === "Index" || kind === "BTreeIndex" || kind === "HashIndex") decl.indexes.push(fields);
  }
  if (calls.length === 0 && a.target === "indexes") decl.indexes.push(...nameGroups(a));
}

/** Peewee: `indexes = ((("a", "b"), True),)`, the flag saying unique. */
function readPeeweeIndexes(a: AssignmentFact, decl: TableDecl): void {
  for (const item of a.items ?? []) {
    const columns = stringsIn(item);
    if (columns.length === 0) continue;
    if (/,\s*True\s*\)\s*$/.test(item)) decl.uniques.push(columns);
    else decl.indexes.push(columns);
  }
}
