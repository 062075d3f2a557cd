import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { project, py } from "../helpers/project.js";

describe("settings sources", () => {
  it("reads pydantic-settings classes (through a project base), Django settings, Flask config and env templates", async () => {
    const p = await project({
      "app/config.py": py(
        "from pydantic_settings import BaseSettings",
        "class Base(BaseSettings):",
        "    debug: bool = False",
        "class Settings(Base):", // 4
        "    database_url: str",
        "    api_prefix: str = '/api'",
      ),
      "proj/settings.py": py("import os", "DEBUG = os.environ.get('DEBUG') == '1'", "SECRET_KEY = os.environ['SECRET_KEY']", "TIME_ZONE = 'UTC'", "helper = 1"),
      "web/app.py": py("from flask import Flask", "class ProdConfig:", "    SQLALCHEMY_DATABASE_URI = os.getenv('DB')", "    JSON_SORT_KEYS = False", "app = Flask(__name__)", "app.config.from_object(ProdConfig)"),
      ".env.example": "DATABASE_URL=\nexport SECRET_KEY=changeme\n",
      "app/schemas.py": py("from pydantic import BaseModel", "class Item(BaseModel):", "    name: str"),
    });
    const got = p.model.settings.map((s) => `${s.kind} ${s.name} ${s.file}:${s.line} env=[${s.fromEnvironment.join(",")}] literal=[${s.literal.join(",")}]`);
    assert.deepEqual(got, [
      "file .env.example .env.example:1 env=[DATABASE_URL,SECRET_KEY] literal=[]",
      "pydantic app.config.Base app/config.py:2 env=[debug] literal=[debug]",
      "pydantic app.config.Settings app/config.py:4 env=[api_prefix,database_url] literal=[api_prefix]",
      "django proj.settings proj/settings.py:2 env=[DEBUG,SECRET_KEY] literal=[TIME_ZONE]",
      "flask web.app.ProdConfig web/app.py:6 env=[SQLALCHEMY_DATABASE_URI] literal=[JSON_SORT_KEYS]",
    ]);
    assert.doesNotMatch(JSON.stringify(p.model.settings), /changeme/, "only names, never values");
  });
});
