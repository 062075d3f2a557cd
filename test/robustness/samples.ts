// biome-ignore-all lint/suspicious/noTemplateCurlyInString: shell, compose, Helm and Terraform interpolation in sample files, not JS templates
import { example } from "./mutate.js";

/** Valid, real-looking inputs the robustness properties mutate: the bundled example project's, and small ones of each format. */

export const PYTHON = [
  example("app/main.py"),
  example("app/api/routes/orders.py"),
  example("app/core/config.py"),
  example("app/services/payments.py"),
  example("app/models/order.py"),
  [
    "from flask import Flask, request, jsonify",
    "import requests, pickle, subprocess",
    "app = Flask(__name__)",
    "app.config['SECRET_KEY'] = 'hunter2-very-secret-key-123456'",
    "",
    "@app.route('/items/<int:item_id>', methods=['GET', 'POST'])",
    "def item(item_id):",
    "    data = request.get_json()",
    "    r = requests.get(f'http://inventory/{item_id}', verify=False)",
    "    subprocess.run('ls ' + data['path'], shell=True)",
    "    return jsonify(pickle.loads(request.data))",
    "",
    "if __name__ == '__main__':",
    "    app.run(debug=True)",
  ].join("\n"),
  [
    "from django.db import models",
    "from django.http import JsonResponse",
    "",
    "class Customer(models.Model):",
    "    name = models.CharField(max_length=100)",
    "    company = models.ForeignKey('Company', on_delete=models.CASCADE)",
    "",
    "def customers(request):",
    "    out = []",
    "    for c in Customer.objects.all():",
    "        out.append({'name': c.name, 'company': c.company.name})",
    "    return JsonResponse(out, safe=False)",
  ].join("\n"),
];

export const PYPROJECT = [
  example("pyproject.toml"),
  [
    "[tool.poetry]",
    'name = "svc"',
    "[tool.poetry.dependencies]",
    'python = "^3.11"',
    'django = "4.2.7"',
    'celery = { version = "^5.3", extras = ["redis"] }',
    "[tool.poetry.group.dev.dependencies]",
    'pytest = "*"',
    "[tool.archscope]",
    'select = ["SEC", "DB002"]',
    '[tool.archscope.per-file-ignores]',
    '"scripts/*" = ["SEC001"]',
    "[tool.archscope.context]",
    'stage = "production"',
    "[tool.archscope.contracts]",
    'layers = [{ layers = ["svc.api", "svc.services", "svc.db"] }]',
  ].join("\n"),
];

export const REQUIREMENTS = [
  ["-r base.txt", "-c constraints.txt", "django==4.2.7 \\", "    --hash=sha256:abc", "requests>=2.31; python_version >= '3.8'", "celery[redis]~=5.3", "git+https://github.com/x/y.git@main#egg=y", "-e .", "# comment", "psycopg2-binary (==2.9.9)"].join("\n"),
];

export const PIPFILE = [
  ['[[source]]', 'url = "https://pypi.org/simple"', "verify_ssl = true", "[packages]", 'flask = "==3.0.0"', 'requests = "*"', 'gunicorn = {version = "==21.2", extras = ["gevent"]}', "[dev-packages]", 'pytest = "*"', "[requires]", 'python_version = "3.11"'].join("\n"),
];

export const SETUP_CFG = [["[metadata]", "name = svc", "[options]", "install_requires =", "    flask>=2", "    sqlalchemy==2.0.23", "[options.extras_require]", "dev =", "    pytest"].join("\n")];

export const DOCKERFILE = [
  example("Dockerfile"),
  [
    "# syntax=docker/dockerfile:1",
    "ARG PY=3.12",
    "FROM python:${PY}-slim AS build",
    "RUN --mount=type=cache,target=/root/.cache pip install -r requirements.txt",
    "FROM build AS final",
    "ENV SECRET_KEY=abcdef0123456789 DJANGO_SETTINGS_MODULE=app.settings",
    "COPY --from=build /app /app",
    "COPY <<EOF /etc/app.conf",
    "x = 1",
    "EOF",
    "USER 1000",
    'ENTRYPOINT ["/app/entrypoint.sh"]',
    "CMD python manage.py migrate && gunicorn app.wsgi -w 4",
  ].join("\n"),
];

export const COMPOSE = [
  example("docker-compose.yml"),
  [
    "version: '3.8'",
    "x-env: &env",
    "  DATABASE_URL: postgres://u:p@db/app",
    "services:",
    "  web:",
    "    build: { context: ., dockerfile: docker/Dockerfile }",
    "    command: gunicorn app:app --workers 4",
    "    environment: *env",
    "    deploy: { replicas: 3 }",
    "    ports: ['8000:8000', {target: 80, published: 8080}]",
    "    depends_on: [db]",
    "    env_file: .env",
    "  db:",
    "    image: postgres:16",
    "    <<: *env",
    "    healthcheck: { test: ['CMD', 'pg_isready'] }",
  ].join("\n"),
];

export const KUBERNETES = [
  [
    "apiVersion: apps/v1",
    "kind: Deployment",
    "metadata:",
    "  name: api",
    "  namespace: prod",
    "spec:",
    "  replicas: 3",
    "  template:",
    "    spec:",
    "      securityContext: { runAsNonRoot: true }",
    "      initContainers: [{ name: migrate, image: api:1 }]",
    "      containers:",
    "        - name: api",
    "          image: registry/api:1.2.3",
    "          resources: { requests: { cpu: 100m }, limits: { memory: 256Mi } }",
    "          livenessProbe: { httpGet: { path: /health, port: 8000 } }",
    "          env: &env",
    "            - { name: DEBUG, value: 'false' }",
    "        - name: sidecar",
    "          image: envoy",
    "          env: *env",
    "---",
    "apiVersion: autoscaling/v2",
    "kind: HorizontalPodAutoscaler",
    "metadata: { name: api, namespace: prod }",
    "spec:",
    "  scaleTargetRef: { kind: Deployment, name: api }",
    "  minReplicas: 2",
    "  maxReplicas: 10",
    "---",
    "apiVersion: v1",
    "kind: Secret",
    "metadata: { name: creds }",
    "stringData: { DB_PASSWORD: 'S3cr3t-Pa55w0rd-123' }",
    "data: { API_KEY: c2VjcmV0LWFwaS1rZXktMTIzNDU2Nzg5MA== }",
  ].join("\n"),
  ["apiVersion: v1", "kind: List", "items:", "  - apiVersion: batch/v1", "    kind: CronJob", "    metadata: { name: nightly }", "    spec:", "      jobTemplate:", "        spec:", "          template:", "            spec:", "              containers: [{ name: job, image: app }]"].join("\n"),
];

export const HELM_TEMPLATE = [
  [
    "apiVersion: apps/v1",
    "kind: Deployment",
    "metadata:",
    "  name: {{ include \"chart.fullname\" . }}",
    "  labels:",
    "    {{- include \"chart.labels\" . | nindent 4 }}",
    "spec:",
    "  {{- if not .Values.autoscaling.enabled }}",
    "  replicas: {{ .Values.replicaCount }}",
    "  {{- end }}",
    "  template:",
    "    spec:",
    "      {{- with .Values.imagePullSecrets }}",
    "      imagePullSecrets:",
    "        {{- toYaml . | nindent 8 }}",
    "      {{- end }}",
    "      containers:",
    "        - name: {{ .Chart.Name }}",
    "          image: \"{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}\"",
    "          {{- range .Values.env }}",
    "          - name: {{ .name | quote }}",
    "          {{- end }}",
    "          resources:",
    "            {{- toYaml .Values.resources | nindent 12 }}",
    "          securityContext: {{ printf \"%s-%d\" .Values.a 3 }}",
  ].join("\n"),
];

export const HELM_VALUES = [
  ["replicaCount: 2", "image:", "  repository: nginx", "  tag: ''", "autoscaling: { enabled: false }", "imagePullSecrets: []", "resources: &r", "  limits: { cpu: 100m }", "other: *r", "env: [{ name: A }]"].join("\n"),
];

export const TERRAFORM = [
  [
    'resource "aws_db_instance" "main" {',
    '  engine              = "postgres"',
    '  password            = "SuperSecretPassword123!"',
    "  publicly_accessible = true",
    "  storage_encrypted   = false",
    '  tags = { Name = "db-${var.env}" }',
    "  dynamic \"ingress\" {",
    "    for_each = var.rules",
    "    content { from_port = ingress.value }",
    "  }",
    "}",
    'resource "aws_s3_bucket" "logs" {',
    '  bucket = "logs"',
    "  policy = <<EOT",
    '{"Version": "2012-10-17"}',
    "EOT",
    "}",
    'resource "aws_security_group" "open" {',
    '  ingress { cidr_blocks = ["0.0.0.0/0"] }',
    "}",
  ].join("\n"),
];

export const TERRAFORM_JSON = [JSON.stringify({ resource: { aws_s3_bucket: { b: { bucket: "x", acl: "public-read", versioning: [{ enabled: false }] } }, aws_db_instance: { d: [{ password: "plain-password-1234", nested: { a: [1, { b: 2 }] } }] } } }, null, 2)];

export const PROCFILE = [["web: gunicorn app.wsgi --workers ${WEB_CONCURRENCY:-3} --bind 0.0.0.0:$PORT", "worker: celery -A app worker -l info", "release: python manage.py migrate", "# comment", "clock : python clock.py"].join("\n")];

export const MARKDOWN = [
  example("docs/ARCHITECTURE.md"),
  [
    "---",
    "title: System design",
    "---",
    "# Architecture",
    "",
    "We run a **modular monolith** on 3 app nodes behind one PostgreSQL primary (a single point of failure).",
    "The API must serve 2,000 requests per second at p99 < 250 ms with 99.95% availability.",
    "All routes require authentication. Every write is idempotent.",
    "",
    "```mermaid",
    "graph TD",
    "  client[Browser] -->|HTTPS| api(API)",
    "  api --> db[(PostgreSQL)]",
    "  api -. events .-> queue{{RabbitMQ}}",
    "  subgraph workers",
    "    w1 --> db",
    "  end",
    "```",
    "",
    "```plantuml",
    "@startuml",
    "[API] --> [Redis] : cache",
    "database Postgres",
    "@enduml",
    "```",
    "",
    "| Component | Tech |",
    "|---|---|",
    "| cache | Redis |",
  ].join("\n"),
];

export const README = ["# Project\n\nIntro.\n\n## Architecture\n\nDjango behind nginx, Celery workers on Redis, one Postgres.\n\n### Components\n\n- api\n- worker\n\n## Usage\n\n```sh\nmake run\n```\n"];

export const RST = ["Architecture\n============\n\nThe service uses Kafka and Redis.\n\nScaling\n-------\n\n10k rps at p95 200 ms.\n"];

export const GITHUB_WORKFLOW = [
  example(".github/workflows/ci.yml"),
  ["on: push", "jobs:", "  test:", "    runs-on: ubuntu-latest", "    services: { db: { image: postgres } }", "    steps:", "      - uses: actions/checkout@v4", "      - run: |", "          pip install -r requirements.txt", "          pytest && ruff check . && mypy .", "  deploy:", "    needs: test", "    uses: ./.github/workflows/deploy.yml", "    secrets: inherit"].join("\n"),
];

export const GITLAB_CI = [["stages: [test, deploy]", ".base: &base", "  image: python:3.12", "test:", "  <<: *base", "  script:", "    - pytest", "    - [bandit -r ., pip-audit]", "deploy:", "  extends: .base", "  script: kubectl apply -f k8s/", "include: { local: ci/other.yml }"].join("\n")];

export const ENV_FILE = [example(".env.example"), ["export SECRET_KEY='abc123abc123abc123'", "DEBUG=true # trailing", 'DATABASE_URL="postgres://u:p@h/db"', "EMPTY=", "=novalue", "BAD LINE"].join("\n")];

export const ARCHSCOPE_TOML = [["select = [\"SEC\", \"DB\"]", "ignore = [\"SEC001\"]", "[per-file-ignores]", "\"tests/*\" = [\"SEC\"]", "[context]", "stage = \"production\"", "exposure = \"public\"", "users = 10000", "[contracts]", "layers = [{ name = \"l\", layers = [\"app.api\", \"app.db\"] }]", "forbidden = [{ source_modules = [\"app.api\"], forbidden_modules = [\"requests\"] }]"].join("\n")];

export const OPENAPI = [["openapi: 3.0.0", "info: { title: x, version: '1' }", "security: [{ bearer: [] }]", "components:", "  securitySchemes: { bearer: { type: http, scheme: bearer } }", "paths:", "  /items:", "    x-openapi-router-controller: app.api", "    get: { operationId: list_items, security: [] }", "    post: { operationId: create_item }"].join("\n")];

export const SHELL_SCRIPT = [["#!/bin/sh", "set -e", "export PUID=${PUID:-1000}", "python manage.py migrate", "exec gosu app gunicorn app.wsgi"].join("\n")];
