import { compareCodeUnits } from "../core/diagnostics.js";
import type { FileFacts } from "../python/facts.js";
import type { ProjectIndex } from "../python/project-index.js";
import { fieldMembers, metaOptions } from "./data-models/field-orms.js";
import { type ClassRef, type ColumnDecl, type Members, nestedClass, type Orm, ownAssignment, type RelationDecl, resolveName, type TableDecl } from "./data-models/shared.js";
import { flaskTableName, moduleLevelIndexes, sqlalchemyMembers, sqlalchemyName, sqlmodelMembers, sqlmodelTableSignal, tableArgs } from "./data-models/sqlalchemy.js";
import type { DataModel, ForeignKey, ModelField } from "./types.js";

/** Library classes a model derives from. `base`: deriving from it makes the declarative base, not a model. */
const ROOT_CLASSES: Array<{ pattern: RegExp; orm: Orm; base?: true; flask?: true }> = [
  { pattern: /^sqlalchemy\.(orm|orm\.decl_api|ext\.declarative)\.(DeclarativeBase|DeclarativeBaseNoMeta)$/, orm: "sqlalchemy", base: true },
  { pattern: /^flask_sqlalchemy(\.extension)?\.SQLAlchemy\.Model$|^flask_sqlalchemy\.model\.Model$/, orm: "sqlalchemy", flask: true },
  { pattern: /^sqlmodel(\.main)?\.SQLModel$/, orm: "sqlmodel" },
  { pattern: /^django\.(contrib\.gis\.)?db\.models(\.base)?\.Model$/, orm: "django" },
  { pattern: /^django\.contrib\.auth\.(models|base_user)\.(AbstractUser|AbstractBaseUser|PermissionsMixin)$/, orm: "django" },
  { pattern: /^(model_utils\.models|django_extensions\.db\.models)\.\w+Model$|^mptt\.models\.MPTTModel$|^polymorphic\.models\.PolymorphicModel$/, orm: "django" },
  { pattern: /^tortoise(\.models)?\.Model$/, orm: "tortoise" },
  { pattern: /^peewee\.Model$|^playhouse(\.\w+)+\.Model$/, orm: "peewee" },
];
/** Calls whose result is a declarative base: `Base = declarative_base()`, `Base = registry().generate_base()`. */
const DECLARATIVE_FACTORIES = /^sqlalchemy\.(orm|orm\.decl_api|ext\.declarative)\.declarative_base$|^sqlalchemy\.orm(\.decl_api)?\.registry(\(\))?\.generate_base$/;
const AS_DECLARATIVE = /^sqlalchemy\.(orm|orm\.decl_api|ext\.declarative)\.as_declarative$/;
/** `@reg.mapped`: a mapped class with no declarative base. */
const REGISTRY_MAPPED = /^sqlalchemy\.orm(\.decl_api)?\.registry(\(\))?\.(mapped|mapped_as_dataclass)$/;
/** SQLModel schema names (`HeroCreate`, `HeroPublic`): never tables, whatever they inherit. */
const SCHEMA_NAME = /(Base|Create|Read|Update|Public|Schema|In|Out|Patch|Response|Request)$/;
/** Deepest class hierarchy followed for its ORM. */
const MAX_LINEAGE_DEPTH = 100;

interface Lineage {
  orm: Orm | null;
  /** The class is the declarative base itself (`class Base(DeclarativeBase)`, `@as_declarative`). */
  declarativeBase: boolean;
  flask: boolean;
}

type BaseRef = { kind: "class"; ref: ClassRef } | { kind: "root"; orm: Orm; base: boolean; flask: boolean } | { kind: "unknown" };

/** Project classes with their bases resolved across modules, and what each one is to an ORM. */
class ClassGraph {
  readonly classes: ClassRef[] = [];
  private readonly byId = new Map<string, ClassRef>();
  private readonly bases = new Map<string, BaseRef[]>();
  private readonly subclassed = new Set<string>();
  private readonly lineages = new Map<string, Lineage>();
  private readonly models = new Map<string, boolean>();

  constructor(private readonly index: ProjectIndex) {
    for (const mod of index.modules.values()) {
      // a revision's frozen copy of a model is history, not the model
      if (isAlembicRevision(mod.facts)) continue;
      for (const fact of mod.facts.classes) {
        const ref: ClassRef = { id: `${mod.name}.${fact.qualname}`, module: mod.name, file: mod.file, facts: mod.facts, fact };
        this.classes.push(ref);
        this.byId.set(ref.id, ref);
      }
    }
    for (const cls of this.classes) {
      const bases = cls.fact.bases.map((b) => this.resolveBase(cls, b.qualified, b.text));
      this.bases.set(cls.id, bases);
      for (const b of bases) if (b.kind === "class") this.subclassed.add(b.ref.id);
    }
  }

  private resolveBase(cls: ClassRef, qualified: string | null, text: string): BaseRef {
    if (qualified) {
      const symbolName = this.index.resolveSymbol(qualified, cls.module);
      const symbol = this.index.symbol(symbolName);
      const ref = this.byId.get(symbolName);
      if (symbol?.kind === "class" && ref) return { kind: "class", ref };
      if (symbol?.kind === "assignment" && symbol.fact.kind === "call" && symbol.fact.callee && DECLARATIVE_FACTORIES.test(this.index.resolve(symbol.fact.callee, symbol.module))) {
        return { kind: "root", orm: "sqlalchemy", base: false, flask: false };
      }
    }
    const external = resolveName(this.index, cls, qualified, text);
    const root = external ? ROOT_CLASSES.find((r) => r.pattern.test(external)) : undefined;
    return root ? { kind: "root", orm: root.orm, base: root.base === true, flask: root.flask === true } : { kind: "unknown" };
  }

  lineage(cls: ClassRef, depth = 0): Lineage {
    const known = this.lineages.get(cls.id);
    if (known) return known;
    const none: Lineage = { orm: null, declarativeBase: false, flask: false };
    // no real hierarchy is this deep: a generated chain of thousands of classes must not overflow the stack
    if (depth > MAX_LINEAGE_DEPTH) return none;
    this.lineages.set(cls.id, none); // cycle guard
    const result = this.computeLineage(cls, depth) ?? none;
    this.lineages.set(cls.id, result);
    return result;
  }

  private computeLineage(cls: ClassRef, depth: number): Lineage | null {
    for (const d of cls.fact.decorators) {
      const name = resolveName(this.index, cls, d.qualified, d.name);
      if (name && AS_DECLARATIVE.test(name)) return { orm: "sqlalchemy", declarativeBase: true, flask: false };
      if (name && REGISTRY_MAPPED.test(name)) return { orm: "sqlalchemy", declarativeBase: false, flask: false };
    }
    for (const b of this.bases.get(cls.id) ?? []) {
      if (b.kind === "root") return { orm: b.orm, declarativeBase: b.base, flask: b.flask };
      if (b.kind === "class") {
        const parent = this.lineage(b.ref, depth + 1);
        if (parent.orm) return { orm: parent.orm, declarativeBase: false, flask: parent.flask };
      }
    }
    // a base imported from outside the project: a table name and SQLAlchemy columns say enough
    if (typeof ownAssignment(cls, "__tablename__")?.value !== "string") return null;
    const hasColumns = cls.fact.assignments.some((a) => a.kind === "call" && ["Column", "mapped_column"].includes(sqlalchemyName(resolveName(this.index, cls, a.callee, null)) ?? ""));
    return hasColumns ? { orm: "sqlalchemy", declarativeBase: false, flask: false } : null;
  }

  /** Whether the class is a table of its own (not a base, mixin, abstract or proxy model, or schema). */
  isModel(cls: ClassRef): boolean {
    const known = this.models.get(cls.id);
    if (known !== undefined) return known;
    this.models.set(cls.id, false);
    const result = this.computeIsModel(cls);
    this.models.set(cls.id, result);
    return result;
  }

  private computeIsModel(cls: ClassRef): boolean {
    const { orm, declarativeBase } = this.lineage(cls);
    switch (orm) {
      case null:
        return false;
      case "sqlalchemy":
        return !declarativeBase && ownAssignment(cls, "__abstract__")?.value !== true;
      case "sqlmodel": {
        // `class Hero(SQLModel, table=True)`: the class keyword decides; without it, infer from what only tables declare
        const table = cls.fact.keywords?.find((k) => k.name === "table");
        if (table) return table.value === true;
        const own = sqlmodelTableSignal(this.index, cls);
        if (own.strong) return true;
        if (this.subclassed.has(cls.id)) return false;
        if (own.primaryKey) return true;
        return !SCHEMA_NAME.test(cls.fact.name) && this.ancestors(cls).some((a) => sqlmodelTableSignal(this.index, a).primaryKey);
      }
      case "django": {
        const meta = nestedClass(cls, "Meta");
        return !(meta && (ownAssignment(meta, "abstract")?.value === true || ownAssignment(meta, "proxy")?.value === true));
      }
      case "tortoise": {
        const meta = nestedClass(cls, "Meta");
        return !(meta && ownAssignment(meta, "abstract")?.value === true);
      }
      case "peewee":
        // `class BaseModel(Model): class Meta: database = db` only carries settings for its subclasses
        return !(this.subclassed.has(cls.id) && fieldMembers(this.index, cls, "peewee").columns.length === 0);
    }
  }

  /** Project ancestors, nearest first (a left-to-right walk keeping each class's last place, close to Python's MRO). */
  ancestors(cls: ClassRef): ClassRef[] {
    const order: ClassRef[] = [];
    const walk = (c: ClassRef, depth: number) => {
      if (depth > 20) return;
      for (const b of this.bases.get(c.id) ?? []) {
        if (b.kind !== "class") continue;
        const seen = order.indexOf(b.ref);
        if (seen >= 0) order.splice(seen, 1);
        order.push(b.ref);
        walk(b.ref, depth + 1);
      }
    };
    walk(cls, 0);
    return order.filter((c) => c !== cls);
  }

  /** Ancestors whose declarations become part of this table: mixins, abstract models, bases, never another table. */
  contributors(cls: ClassRef): { contributors: ClassRef[]; parentModel: ClassRef | null } {
    const contributors: ClassRef[] = [];
    const tables = new Set<ClassRef>();
    let parentModel: ClassRef | null = null;
    for (const a of this.ancestors(cls)) {
      // a class reached only through another table belongs to that table
      if ([...tables].some((t) => this.ancestors(t).includes(a))) continue;
      if (this.isModel(a)) {
        tables.add(a);
        parentModel ??= a;
      } else contributors.push(a);
    }
    return { contributors, parentModel };
  }
}

/**
 * ORM models of the project (SQLAlchemy, SQLModel, Django, Tortoise, Peewee), read statically
 * from class declarations followed across modules: fields, keys, indexes, relationships, and
 * whether migrations exist for them. Sorted by file and line.
 */
export function dataModels(index: ProjectIndex, migrationFiles: string[]): DataModel[] {
  const graph = new ClassGraph(index);
  const migrations = summariseMigrations(index, migrationFiles);
  // `Index("ix", User.a, User.b)` written after the class, at module level
  const laterIndexes = new Map<string, string[][]>();
  for (const mod of index.modules.values()) {
    for (const ix of moduleLevelIndexes(index, { module: mod.name, file: mod.file, facts: mod.facts })) {
      laterIndexes.set(ix.model, [...(laterIndexes.get(ix.model) ?? []), ix.columns]);
    }
  }
  const models: DataModel[] = [];
  for (const cls of graph.classes) {
    const { orm, flask } = graph.lineage(cls);
    if (orm && graph.isModel(cls)) models.push(buildModel(index, graph, cls, orm, flask, laterIndexes.get(cls.id) ?? [], migrations));
  }
  return models.sort((a, b) => compareCodeUnits(a.file, b.file) || a.line - b.line || compareCodeUnits(a.name, b.name));
}

function buildModel(index: ProjectIndex, graph: ClassGraph, cls: ClassRef, orm: Orm, flask: boolean, laterIndexes: string[][], migrations: Migrations): DataModel {
  const { contributors, parentModel } = graph.contributors(cls);
  // farthest ancestor first, so that nearer declarations override
  const columns = new Map<string, ColumnDecl>();
  const relations = new Map<string, RelationDecl>();
  for (const layer of [...contributors].reverse().concat(cls)) {
    const members = readMembers(index, layer, orm);
    for (const c of members.columns) {
      columns.delete(c.name);
      columns.set(c.name, c);
    }
    for (const r of members.relations) relations.set(r.name, r);
  }
  const nearestFirst = [cls, ...contributors];
  let table: string | null;
  let decl: TableDecl;
  if (orm === "sqlalchemy" || orm === "sqlmodel") {
    const owner = nearestFirst.find((c) => ownAssignment(c, "__table_args__"));
    decl = tableArgs(index, owner ?? cls, owner ? ownAssignment(owner, "__table_args__") : undefined);
    table = sqlalchemyTable(nearestFirst, parentModel, graph) ?? (orm === "sqlmodel" ? cls.fact.name.toLowerCase() : flask ? flaskTableName(cls.fact.name) : null);
  } else {
    // a model without its own Meta inherits its abstract parent's
    const meta = metaOptions(index, nearestFirst.map((c) => nestedClass(c, "Meta")).find((m) => m !== null) ?? null, orm);
    decl = meta.decl;
    table = meta.table ?? (orm === "django" ? djangoTable(cls, meta.appLabel) : cls.fact.name.toLowerCase());
  }
  const declared = [...columns.values()];
  const primaryKey = decl.primaryKey ?? (declared.some((c) => c.primaryKey) ? declared.filter((c) => c.primaryKey).map((c) => c.name) : implicitPrimaryKey(orm, parentModel));
  const indexes = dedupe([...declared.filter((c) => c.index === true).map((c) => [c.name]), ...decl.indexes, ...laterIndexes]);
  const uniqueConstraints = dedupe([...declared.filter((c) => c.unique && !c.primaryKey).map((c) => [c.name]), ...decl.uniques]);
  // an index serves lookups on its leading column only (PostgreSQL does not index foreign keys by itself)
  const leads = new Set([primaryKey[0], ...indexes.map((ix) => ix[0]), ...uniqueConstraints.map((u) => u[0])].filter((n): n is string => n !== undefined));
  const covered = (c: ColumnDecl) => c.unique || c.index === true || (c.indexesForeignKey && c.index !== false) || [c.name, ...c.aliases].some((n) => leads.has(n));
  return {
    orm,
    name: cls.id,
    table,
    file: cls.file,
    line: cls.fact.line,
    fields: declared.map((c): ModelField => ({ name: c.name, type: c.type, line: lineIn(cls, c), primaryKey: c.primaryKey, nullable: c.nullable, indexed: covered(c), unique: c.unique })),
    primaryKey,
    foreignKeys: [
      ...declared.filter((c) => c.foreignKey !== null).map((c): ForeignKey => ({ field: c.name, target: c.foreignKey as string, line: lineIn(cls, c), indexed: covered(c) })),
      ...decl.foreignKeys.map((fk): ForeignKey => ({ field: fk.fields.join(", "), target: fk.target, line: lineIn(cls, fk), indexed: leads.has(fk.fields[0] as string) })),
    ],
    indexes,
    uniqueConstraints,
    relationships: [...relations.values()].map((r) => ({ name: r.name, target: r.target, line: lineIn(cls, r), lazy: r.lazy })),
    migrated: migrated(index, orm, cls, migrations),
  };
}

function readMembers(index: ProjectIndex, cls: ClassRef, orm: Orm): Members {
  switch (orm) {
    case "sqlalchemy":
      return sqlalchemyMembers(index, cls);
    case "sqlmodel":
      return sqlmodelMembers(index, cls);
    default:
      return fieldMembers(index, cls, orm);
  }
}

/** A declaration's line when it sits in the model's file; an inherited one from elsewhere points at the model's class line. */
function lineIn(cls: ClassRef, decl: { file: string; line: number }): number {
  return decl.file === cls.file ? decl.line : cls.fact.line;
}

/** `__tablename__` (own or inherited from a mixin), `__table__ = Table("name", ...)`, or the parent's table (single-table inheritance). */
function sqlalchemyTable(nearestFirst: ClassRef[], parentModel: ClassRef | null, graph: ClassGraph): string | null {
  for (const c of nearestFirst) {
    const tablename = ownAssignment(c, "__tablename__");
    if (tablename) return typeof tablename.value === "string" ? tablename.value : null;
    const tableObject = ownAssignment(c, "__table__");
    const first = tableObject?.args?.find((a) => a.name === null);
    if (tableObject) return typeof first?.value === "string" ? first.value : null;
  }
  if (!parentModel) return null;
  const { contributors, parentModel: grandparent } = graph.contributors(parentModel);
  return sqlalchemyTable([parentModel, ...contributors], grandparent, graph);
}

/** Django's default: `<app_label>_<model name lowercased>`, the app being the package that holds `models.py` (or `models/`). */
function djangoTable(cls: ClassRef, appLabel: string | null): string | null {
  const label = appLabel ?? lastDir(djangoAppDir(cls.file));
  return label ? `${label}_${cls.fact.name.toLowerCase()}` : null;
}

function djangoAppDir(file: string): string {
  let dir = file.includes("/") ? file.slice(0, file.lastIndexOf("/")) : "";
  while (lastDir(dir) === "models") dir = dir.includes("/") ? dir.slice(0, dir.lastIndexOf("/")) : "";
  return dir;
}

function lastDir(dir: string): string {
  return dir.slice(dir.lastIndexOf("/") + 1);
}

function implicitPrimaryKey(orm: Orm, parentModel: ClassRef | null): string[] {
  if (orm === "django") return [parentModel ? `${parentModel.fact.name.toLowerCase()}_ptr` : "id"];
  return orm === "tortoise" || orm === "peewee" ? ["id"] : [];
}

/** An Alembic revision script: module-level `revision` and `down_revision`. */
function isAlembicRevision(facts: FileFacts): boolean {
  return facts.assignments.some((a) => a.target === "revision") && facts.assignments.some((a) => a.target === "down_revision");
}

/** What the migration files say, computed once: which tools left files, and which folders hold them. */
interface Migrations {
  any: boolean;
  alembic: boolean;
  /** Folders holding a `migrations/` folder with a migration in it (`shop` for `shop/migrations/0001_initial.py`; "" at the root). */
  migrationParents: Set<string>;
  /** A migration outside Alembic's `versions/` (Django, Aerich, peewee-migrate). */
  other: boolean;
}

function summariseMigrations(index: ProjectIndex, migrationFiles: string[]): Migrations {
  // revisions in a folder the scan does not take for migrations (`revisions/versions/`) still count
  const alembicRevisions = [...index.modules.values()].some((m) => isAlembicRevision(m.facts));
  const summary: Migrations = { any: migrationFiles.length > 0 || alembicRevisions, alembic: alembicRevisions, migrationParents: new Set(), other: false };
  for (const file of migrationFiles) {
    if (file === "__init__.py" || file.endsWith("/__init__.py")) continue;
    const dirs = file.split("/").slice(0, -1);
    if (dirs.includes("versions")) summary.alembic = true;
    else summary.other = true;
    dirs.forEach((dir, i) => {
      if (dir === "migrations") summary.migrationParents.add(dirs.slice(0, i).join("/"));
    });
  }
  return summary;
}

/**
 * A Django model belongs to the app whose package contains its module: a model in a sub-package of an app
 * (`blog/admin_2fa/models.py`, re-exported by `blog/models.py`) is migrated by that app's `migrations/`. A folder
 * with an `apps.py` of its own is an app itself, and the search stops there.
 */
function djangoMigrated(dir: string, migrations: Migrations, index: ProjectIndex): boolean {
  let current = dir;
  for (let depth = 0; depth < 6; depth++) {
    if (migrations.migrationParents.has(current)) return true;
    if (!current || index.moduleByFile.has(`${current}/apps.py`)) return false;
    current = current.includes("/") ? current.slice(0, current.lastIndexOf("/")) : "";
    // the repository root is no app
    if (!current) return false;
  }
  return false;
}

/** Alembic versions for SQLAlchemy/SQLModel, the app's `migrations/` package for Django, Aerich's folder for Tortoise. */
function migrated(index: ProjectIndex, orm: Orm, cls: ClassRef, migrations: Migrations): boolean | null {
  switch (orm) {
    case "sqlalchemy":
    case "sqlmodel":
      return migrations.alembic ? true : migrations.any ? null : false;
    case "django":
      return djangoMigrated(djangoAppDir(cls.file), migrations, index);
    case "tortoise":
      return migrations.migrationParents.size > 0;
    case "peewee":
      return migrations.other ? true : null;
  }
}

function dedupe(groups: string[][]): string[][] {
  const seen = new Set<string>();
  return groups.filter((g) => {
    const key = g.join("\u0000");
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
