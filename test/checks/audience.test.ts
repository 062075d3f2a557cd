import assert from "node:assert/strict";
import { describe, it } from "node:test";
import unvalidatedRequestBody from "../../src/checks/api/unvalidated-request-body.js";
import massAssignment from "../../src/checks/security/mass-assignment.js";
import { project, py } from "../helpers/project.js";

const app = (decorator: string) =>
  py(
    "from functools import wraps",
    "from flask import Flask, request, abort",
    "from app.models import Page",
    "from app.db import session",
    "app = Flask(__name__)",
    "def admins_only(f):",
    "    @wraps(f)",
    "    def wrapper(*args, **kwargs):",
    "        if not is_admin():",
    "            abort(403)",
    "        return f(*args, **kwargs)",
    "    return wrapper",
    "def is_admin():",
    "    return False",
    "@app.route('/admin/pages', methods=['POST'])",
    decorator,
    "def create_page():",
    "    data = request.get_json()",
    "    page = Page(**data)",
    "    session.add(page)",
    "    session.commit()",
    "    return {'id': page.id}",
  );
const models = py("from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column", "class Base(DeclarativeBase):", "    pass", "class Page(Base):", "    __tablename__ = 'pages'", "    id: Mapped[int] = mapped_column(primary_key=True)");

describe("severity follows who can send the request", () => {
  it("lowers a body or mass-assignment concern one level when only administrators reach it, and says so", async () => {
    const open = await project({ "app/views.py": app("@admins_only").replace("@admins_only\n", ""), "app/models.py": models, "app/db.py": py("session = None") });
    const guarded = await project({ "app/views.py": app("@admins_only"), "app/models.py": models, "app/db.py": py("session = None") });
    const severity = (p: typeof open) => p.run(massAssignment, unvalidatedRequestBody).map((f) => [f.id, f.severity, f.severityNote ?? ""] as const);
    assert.deepEqual(severity(open).map(([id, s]) => [id, s]), [["API004", "medium"], ["SEC025", "medium"]]);
    assert.equal(severity(guarded).length, 2);
    for (const [, s, note] of severity(guarded)) {
      assert.equal(s, "low");
      assert.match(note, /lowered from medium: only administrators reach it \(decorated with admins_only/);
    }
  });
});
