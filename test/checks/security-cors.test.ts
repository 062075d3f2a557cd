import assert from "node:assert/strict";
import { describe, it } from "node:test";
import corsAnyOrigin from "../../src/checks/security/cors-any-origin.js";
import { project, py } from "../helpers/project.js";

describe("SEC011 CORS allows any origin with credentials", () => {
  it("is high for any origin with credentials in FastAPI, Flask-CORS and django-cors-headers", async () => {
    const p = await project({
      "app/main.py": py(
        "from fastapi import FastAPI", // 1
        "from fastapi.middleware.cors import CORSMiddleware", // 2
        "app = FastAPI()", // 3
        'app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=True, allow_methods=["*"])', // 4
      ),
      "web/app.py": py("from flask import Flask", "from flask_cors import CORS", "app = Flask(__name__)", "CORS(app, supports_credentials=True)"),
      "proj/settings.py": py("CORS_ALLOW_ALL_ORIGINS = True", "CORS_ALLOW_CREDENTIALS = True"),
    });
    assert.deepEqual(p.run(corsAnyOrigin).map((f) => [f.evidence[0]?.file, f.evidence[0]?.line, f.severity]), [
      ["app/main.py", 4, "high"],
      ["proj/settings.py", 1, "high"],
      ["web/app.py", 4, "high"],
    ]);
  });

  it("is low for any origin without credentials, and quiet for listed origins or origins from settings", async () => {
    const p = await project({
      "app/main.py": py(
        "from fastapi import FastAPI",
        "from fastapi.middleware.cors import CORSMiddleware",
        "from app.config import settings",
        "app = FastAPI()",
        'app.add_middleware(CORSMiddleware, allow_origins=["*"])', // 5
        'app.add_middleware(CORSMiddleware, allow_origins=["https://shop.example"], allow_credentials=True)',
        "app.add_middleware(CORSMiddleware, allow_origins=settings.CORS_ORIGINS, allow_credentials=True)",
      ),
      "app/config.py": py("class Settings: ...", "settings = Settings()"),
      "web/app.py": py("from flask import Flask", "from flask_cors import CORS", "app = Flask(__name__)", 'CORS(app, origins=["https://shop.example"], supports_credentials=True)'),
      "proj/settings.py": py("CORS_ALLOW_ALL_ORIGINS = False", 'CORS_ALLOWED_ORIGINS = ["https://shop.example"]', "CORS_ALLOW_CREDENTIALS = True"),
    });
    assert.deepEqual(p.run(corsAnyOrigin).map((f) => [f.evidence[0]?.file, f.evidence[0]?.line, f.severity]), [["app/main.py", 5, "low"]]);
  });
});

describe("SEC011 and the deployed Django settings", () => {
  it("stays quiet when the production settings turn any-origin off again", async () => {
    const files = {
      "config/settings/cors.py": py("CORS_ALLOW_ALL_ORIGINS = True", "CORS_ALLOW_CREDENTIALS = True"),
      "config/django/base.py": py("from config.settings.cors import *", "INSTALLED_APPS = ['corsheaders']", "ROOT_URLCONF = 'config.urls'"),
      "config/django/production.py": py("from .base import *", "CORS_ALLOW_ALL_ORIGINS = False"),
      "config/wsgi.py": py("import os", "from django.core.wsgi import get_wsgi_application", "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.django.base')", "application = get_wsgi_application()"),
    };
    assert.deepEqual((await project(files)).run(corsAnyOrigin), []);
    const { "config/django/production.py": _, ...withoutProduction } = files;
    assert.equal((await project(withoutProduction)).run(corsAnyOrigin)[0]?.severity, "high");
  });
});
