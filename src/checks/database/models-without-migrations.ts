import { defineCheck } from "../define.js";
import type { Report } from "../types.js";

export default defineCheck({
  id: "DB001",
  area: "database",
  title: "ORM models without migrations",
  severity: "high",
  kind: "concern",
  confidence: "medium",
  why: "Without versioned migrations the schema is created by hand or by `create_all()`, which never alters an existing table: every model change then needs manual SQL in every environment, and production drifts from the code.",
  recommendation: "Manage the schema with migrations: Alembic for SQLAlchemy and SQLModel (`alembic init`, `alembic revision --autogenerate`), `makemigrations` for each Django app, Aerich for Tortoise; run them as a deployment step.",
  example: { bad: "Base.metadata.create_all(engine)  # at start-up", good: "alembic upgrade head  # in the release step" },
  references: ["https://alembic.sqlalchemy.org/en/latest/tutorial.html", "https://docs.djangoproject.com/en/stable/topics/migrations/"],
  effort: "M",
  libraries: ["alembic", "aerich"],
  run({ model }) {
    const unmigrated = model.dataModels.filter((m) => m.migrated === false);
    if (unmigrated.length === 0) return [];
    // one finding per ORM and, for Django, per app: that is where the fix goes
    const groups = new Map<string, typeof unmigrated>();
    for (const m of unmigrated) {
      const key = m.orm === "django" ? `django:${m.file.slice(0, m.file.lastIndexOf("/"))}` : m.orm;
      groups.set(key, [...(groups.get(key) ?? []), m]);
    }
    const reports: Report[] = [];
    for (const models of groups.values()) {
      const first = models[0];
      if (!first) continue;
      const tool = first.orm === "django" ? "a migrations package for this app" : first.orm === "tortoise" ? "Aerich migrations" : "Alembic migrations";
      reports.push({
        message: `${models.length} ${first.orm} model${models.length === 1 ? "" : "s"} (${models.slice(0, 4).map((m) => m.name.slice(m.name.lastIndexOf(".") + 1)).join(", ")}${models.length > 4 ? ", …" : ""}) with no ${tool}.`,
        evidence: models.slice(0, 5).map((m) => ({ file: m.file, line: m.line, snippet: `class ${m.name.slice(m.name.lastIndexOf(".") + 1)}` })),
      });
    }
    return reports;
  },
});
