import assert from "node:assert/strict";
import { describe, it } from "node:test";
import localFileStorage from "../../src/checks/data/local-file-storage.js";
import { project, py } from "../helpers/project.js";

type Findings = ReturnType<Awaited<ReturnType<typeof project>>["run"]>;
const where = (findings: Findings) => findings.map((f) => [f.id, f.evidence[0]?.file, f.evidence[0]?.line, f.severity]);

const K8S = (replicas: number) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: ${replicas}\n  template:\n    spec:\n      containers:\n        - name: web\n          image: example/web:1\n`;
const SETTINGS = py("INSTALLED_APPS = ['shop']", "ROOT_URLCONF = 'shop.urls'", "MEDIA_ROOT = BASE_DIR / 'media'", "MEDIA_URL = '/media/'");
const MODELS = py("from django.db import models", "class Product(models.Model):", "    name = models.CharField(max_length=20)", "    photo = models.ImageField(upload_to='products')");
const DOCKER = "FROM python:3.12\nCMD gunicorn shop.wsgi --workers 4\n";
const FASTAPI = py(
  "import shutil",
  "from fastapi import FastAPI, UploadFile",
  "app = FastAPI()",
  "@app.post('/avatars')",
  "async def upload(file: UploadFile):",
  "    with open(f'media/{file.filename}', 'wb') as out:",
  "        shutil.copyfileobj(file.file, out)",
  "    return {'ok': True}",
);

describe("DATA005 uploaded files on local disk", () => {
  it("reports Django file fields on the default FileSystemStorage with three replicas, naming the fields, MEDIA_ROOT and the replica source", async () => {
    const p = await project({ "shop/settings.py": SETTINGS, "shop/models.py": MODELS, Dockerfile: DOCKER, "k8s/web.yaml": K8S(3) });
    const found = p.run(localFileStorage);
    assert.deepEqual(where(found), [["DATA005", "shop/models.py", 4, "medium"]]);
    assert.equal(found[0]?.confidence, "low", "volume mounts are not read: a shared volume is not ruled out");
    assert.match(found[0]?.message ?? "", /Product\.photo = models\.ImageField.*FileSystemStorage, MEDIA_ROOT at shop\/settings.py:3.*3 replicas \(Deployment web, k8s\/web.yaml:2\)/);
  });

  it("stays quiet with object storage configured, one replica, or a single-host compose deployment", async () => {
    const s3 = await project({ "shop/settings.py": py("INSTALLED_APPS = ['shop']", "ROOT_URLCONF = 'shop.urls'", 'STORAGES = {"default": {"BACKEND": "storages.backends.s3.S3Storage"}, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}'), "shop/models.py": MODELS, Dockerfile: DOCKER, "k8s/web.yaml": K8S(3) });
    assert.deepEqual(s3.run(localFileStorage), []);
    const installed = await project({ "shop/settings.py": SETTINGS, "shop/models.py": MODELS, Dockerfile: DOCKER, "k8s/web.yaml": K8S(3), "requirements.txt": "django==5.0\ndjango-storages[s3]==1.14\n" });
    assert.deepEqual(installed.run(localFileStorage), [], "django-storages installed: configured, often from the environment");
    const one = await project({ "shop/settings.py": SETTINGS, "shop/models.py": MODELS, Dockerfile: DOCKER, "k8s/web.yaml": K8S(1) });
    assert.deepEqual(one.run(localFileStorage), []);
    const compose = await project({
      "shop/settings.py": SETTINGS,
      "shop/models.py": MODELS,
      Dockerfile: DOCKER,
      "docker-compose.yml": "services:\n  web:\n    build: .\n    command: gunicorn shop.wsgi --workers 4\n    volumes:\n      - media:/app/media\nvolumes:\n  media: {}\n",
    });
    assert.deepEqual(compose.run(localFileStorage), [], "four workers on one host share its disk and the compose volume");
  });

  it("reports a FastAPI handler writing an UploadFile to a local path with an autoscaled deployment, not a temporary file or one sent on to S3", async () => {
    const hpa = "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\nspec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: web\n  minReplicas: 2\n  maxReplicas: 10\n";
    const p = await project({ "app/main.py": FASTAPI, Dockerfile: "FROM python:3.12\nCMD uvicorn app.main:app\n", "k8s/web.yaml": K8S(2), "k8s/hpa.yaml": hpa });
    const found = p.run(localFileStorage);
    assert.deepEqual(where(found), [["DATA005", "app/main.py", 6, "medium"]]);
    assert.match(found[0]?.message ?? "", /upload\(\) writes an uploaded `UploadFile`.*autoscaled/);
    const staged = await project({
      "app/main.py": py(
        "import tempfile, boto3",
        "from fastapi import FastAPI, UploadFile",
        "app = FastAPI()",
        "s3 = boto3.client('s3')",
        "@app.post('/a')",
        "async def a(file: UploadFile):",
        "    with tempfile.NamedTemporaryFile('wb') as tmp:",
        "        tmp.write(await file.read())",
        "@app.post('/b')",
        "async def b(file: UploadFile):",
        "    with open(f'/data/{file.filename}', 'wb') as out:",
        "        out.write(await file.read())",
        "    s3.upload_file(f'/data/{file.filename}', 'bucket', file.filename)",
      ),
      Dockerfile: "FROM python:3.12\nCMD uvicorn app.main:app\n",
      "k8s/web.yaml": K8S(4),
    });
    assert.deepEqual(staged.run(localFileStorage), []);
  });

  it("reports Flask request.files saved locally on Heroku (ephemeral disk), quiet with one instance and no platform", async () => {
    const code = py(
      "import os",
      "from flask import Flask, request",
      "app = Flask(__name__)",
      "@app.route('/upload', methods=['POST'])",
      "def upload():",
      "    f = request.files['file']",
      "    f.save(os.path.join(app.config['UPLOAD_FOLDER'], f.filename))",
      "    return 'ok'",
    );
    const heroku = await project({ "app/__init__.py": code, Procfile: "web: gunicorn app:app --workers 2\n", "app.json": '{"name": "x", "buildpacks": [{"url": "heroku/python"}]}' });
    const found = heroku.run(localFileStorage);
    assert.deepEqual(where(found), [["DATA005", "app/__init__.py", 7, "medium"]]);
    assert.equal(found[0]?.confidence, "medium");
    assert.match(found[0]?.message ?? "", /ephemeral filesystem \(.*app\.json/);
    const plain = await project({ "app/__init__.py": code, Procfile: "web: gunicorn app:app --workers 2\n" });
    assert.deepEqual(plain.run(localFileStorage), []);
  });
});
