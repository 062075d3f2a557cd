import assert from "node:assert/strict";
import { describe, it } from "node:test";
import noDeploymentDefinition from "../../src/checks/deployment/no-deployment-definition.js";
import { readHostRuntime } from "../../src/model/deployment/host-configs.js";
import { classifyPath } from "../../src/workspace/classify.js";
import { locations, project, py } from "../helpers/project.js";

const fastapi = { "app/main.py": py("from fastapi import FastAPI", "app = FastAPI()", "@app.get('/items')", "def items():", "    return []") };
const flask = { "web/app.py": py("from flask import Flask", "app = Flask(__name__)", "@app.route('/')", "def index():", "    return 'ok'") };

describe("DEP001 no deployment definition", () => {
  it("fires on a FastAPI service with nothing that builds or runs it, at the file creating the app", async () => {
    const p = await project({ ...fastapi, "requirements.txt": "fastapi==0.115.0\n" });
    const findings = p.run(noDeploymentDefinition);
    assert.deepEqual(locations(findings), [["DEP001", "app/main.py", null]]);
    assert.equal(findings[0]?.severity, "low");
  });

  it("fires on a Flask service too", async () => {
    const p = await project({ ...flask });
    assert.deepEqual(locations(p.run(noDeploymentDefinition)), [["DEP001", "web/app.py", null]]);
  });

  for (const [name, file, text] of [
    ["a Dockerfile", "Dockerfile", "FROM python:3.12-slim\n"],
    ["a Procfile", "Procfile", "web: gunicorn web.app:app\n"],
    ["fly.toml", "fly.toml", "app = 'svc'\n"],
    ["a systemd unit", "deploy/svc.service", "[Service]\nExecStart=/srv/venv/bin/gunicorn web.app:app\n"],
    ["a supervisor program", "etc/supervisor/conf.d/svc.conf", "[program:svc]\n"],
    ["an nginx site", "nginx/site.conf", "server { listen 80; }\n"],
    ["uwsgi.ini", "uwsgi.ini", "[uwsgi]\nmodule = web.app:app\n"],
    ["gunicorn.conf.py", "gunicorn.conf.py", "workers = 4\n"],
    ["an Ansible playbook", "playbooks/deploy.yml", "- hosts: web\n"],
    ["a Kubernetes manifest", "k8s/deployment.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: svc\n"],
  ] as const) {
    it(`stays quiet with ${name}`, async () => {
      const p = await project({ ...flask, [file]: text });
      assert.deepEqual(p.run(noDeploymentDefinition), [], file);
    });
  }

  it("stays quiet on a library: an app built only in tests or examples, a Django app with no settings of its own", async () => {
    const library = await project({ "fastapi_extra/__init__.py": py("def paginate(items):", "    return items"), "examples/demo.py": fastapi["app/main.py"] });
    assert.deepEqual(library.run(noDeploymentDefinition), []);
    const djangoApp = await project({
      "polls/urls.py": py("from django.urls import path", "from . import views", "urlpatterns = [path('', views.index)]"),
      "polls/views.py": py("from django.http import HttpResponse", "def index(request):", "    return HttpResponse('ok')"),
    });
    assert.deepEqual(djangoApp.run(noDeploymentDefinition), []);
  });

  it("reads host configuration files by path, leaving test fixtures out", () => {
    const runtime = readHostRuntime(
      ["deploy/app.service", "conf/nginx/http.conf", "supervisord.conf", "tests/fixtures/nginx.conf", "template.yaml", "src/app.py"].map((path) => ({ path, kind: classifyPath(path), size: 1, ...(path === "template.yaml" ? { text: "Resources: {}\n" } : {}) })),
    );
    assert.deepEqual(runtime.configs, [{ kind: "systemd", file: "deploy/app.service" }, { kind: "nginx", file: "conf/nginx/http.conf" }, { kind: "supervisor", file: "supervisord.conf" }]);
  });
});
