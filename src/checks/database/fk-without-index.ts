import { defineCheck } from "../define.js";
import type { Report } from "../types.js";

/** ORMs that leave foreign keys unindexed unless told (Django and Peewee index them themselves). */
const UNINDEXED_BY_DEFAULT = new Set(["sqlalchemy", "sqlmodel", "tortoise"]);

export default defineCheck({
  id: "DB004",
  area: "database",
  title: "Foreign key column without an index",
  severity: "low",
  kind: "concern",
  confidence: "medium",
  why: "PostgreSQL does not index foreign key columns by itself. Joins and lookups by the parent (`WHERE user_id = ...`), and every delete or key update on the parent table, then scan the child table; it goes unnoticed until the table is large.",
  recommendation: "Add an index on the foreign key column (`mapped_column(ForeignKey(...), index=True)`, `Field(foreign_key=..., index=True)`) through a migration, unless a composite index already starts with it.",
  example: { bad: 'owner_id: Mapped[int] = mapped_column(ForeignKey("user.id"))', good: 'owner_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)' },
  references: ["https://www.postgresql.org/docs/current/ddl-constraints.html#DDL-CONSTRAINTS-FK", "https://docs.sqlalchemy.org/en/20/core/constraints.html#indexes"],
  effort: "S",
  libraries: ["alembic"],
  // the index ships as a migration: models without migrations get them first
  dependsOn: ["DB001"],
  run({ model }) {
    // MySQL's InnoDB creates the index itself
    const databases = model.technologies.filter((t) => t.category === "database").map((t) => t.name);
    if (databases.length > 0 && databases.every((d) => d === "MySQL" || d === "MariaDB")) return [];
    const reports: Report[] = [];
    for (const m of model.dataModels) {
      if (!UNINDEXED_BY_DEFAULT.has(m.orm)) continue;
      for (const fk of m.foreignKeys) {
        if (fk.indexed) continue;
        reports.push({ message: `${m.name}.${fk.field} references ${fk.target} and no index covers it${m.table ? ` (table ${m.table})` : ""}.`, evidence: [{ file: m.file, line: fk.line, snippet: `${fk.field} → ${fk.target}` }] });
      }
    }
    return reports;
  },
});
