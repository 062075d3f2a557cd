import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ciWithoutTests, noMetrics, noRateLimiting, noStructuredLogging } from "../../src/checks/absent-capabilities.js";
import noErrorTracking from "../../src/checks/observability/no-error-tracking.js";
import { locations, project, py } from "../helpers/project.js";

const app = { "app/main.py": py("from fastapi import FastAPI", "app = FastAPI()", "@app.get('/x')", "def x(): ...") };

describe("absent capabilities", () => {
  it("API005 fires with no rate limit anywhere, and not with slowapi declared or a limited route", async () => {
    assert.deepEqual(locations((await project(app)).run(noRateLimiting)), [["API005", "app/main.py", null]]);
    assert.deepEqual(locations((await project({ ...app, "requirements.txt": "slowapi==0.1.9\n" })).run(noRateLimiting)), []);
    const limited = await project({ "app/main.py": py("from fastapi import FastAPI", "app = FastAPI()", "@limiter.limit('5/minute')", "@app.get('/x')", "def x(): ...") });
    assert.deepEqual(locations(limited.run(noRateLimiting)), []);
  });

  it("API005 stays quiet on rate limiting the project built itself and uses (a decorator, a TokenBucket model); an unused helper does not count", async () => {
    const decorator = await project({
      ...app,
      "app/limits.py": py("def ratelimit(method, limit):", "    def wrap(f):", "        return f", "    return wrap"),
      "app/views.py": py("from app.limits import ratelimit", "@ratelimit(method='POST', limit=10)", "def login(): ..."),
    });
    assert.deepEqual(locations(decorator.run(noRateLimiting)), []);
    const bucket = await project({ ...app, "app/models.py": py("class TokenBucket:", "    @staticmethod", "    def authorize_login(email): ..."), "app/forms.py": py("from app.models import TokenBucket", "def clean(email):", "    TokenBucket.authorize_login(email)") });
    assert.deepEqual(locations(bucket.run(noRateLimiting)), []);
    const unused = await project({ ...app, "app/limits.py": py("def ratelimit(f):", "    return f") });
    assert.deepEqual(locations(unused.run(noRateLimiting)), [["API005", "app/main.py", null]]);
  });

  it("API005 is low when the service answers 429 itself (a quota check), and says where", async () => {
    const quota = await project({ ...app, "app/ingest.py": py("from fastapi import HTTPException", "def check_quota(project):", "    if project.over_quota:", "        raise HTTPException(status_code=429)") });
    const findings = quota.run(noRateLimiting);
    assert.deepEqual(findings.map((f) => [f.evidence[0]?.file, f.evidence[0]?.line, f.severity]), [["app/ingest.py", 4, "low"]]);
    // a 429 mentioned in another call is no answer to a client, and one raised unconditionally (an error demo) limits nothing
    const unrelated = await project({ ...app, "app/retry.py": py("from rest_framework import exceptions", "def backoff(codes):", "    return sleep_for(429)", "def trigger_throttled():", "    raise exceptions.Throttled()") });
    assert.deepEqual(unrelated.run(noRateLimiting).map((f) => f.severity), ["medium"]);
  });

  it("API005 is raised to high for a public production API", async () => {
    const p = await project(app, { context: { stage: "production", exposure: "public" } });
    const [finding] = p.run(noRateLimiting);
    assert.equal(finding?.severity, "high");
    assert.match(finding?.severityNote ?? "", /raised from medium/);
  });

  it("OBS004 fires without a metrics library, and not with prometheus-fastapi-instrumentator", async () => {
    assert.deepEqual(locations((await project(app)).run(noMetrics)), [["OBS004", "app/main.py", null]]);
    assert.deepEqual(locations((await project({ ...app, "requirements.txt": "prometheus-fastapi-instrumentator==7.0.0\n" })).run(noMetrics)), []);
  });

  it("OBS002 fires without structured logging, and not with structlog or a JSON formatter in LOGGING", async () => {
    assert.deepEqual(locations((await project(app)).run(noStructuredLogging)), [["OBS002", "app/main.py", null]]);
    assert.deepEqual(locations((await project({ ...app, "requirements.txt": "structlog==24.4.0\n" })).run(noStructuredLogging)), []);
    const dictConfig = await project({ ...app, "app/logs.py": py("LOGGING = {'formatters': {'json': {'()': 'pythonjsonlogger.jsonlogger.JsonFormatter'}}}") });
    assert.deepEqual(locations(dictConfig.run(noStructuredLogging)), []);
  });

  it("DEP006 fires without CI, and when CI runs no tests; stays quiet when it does", async () => {
    const withTests = { ...app, "pyproject.toml": '[project]\nname = "x"\n', "tests/test_x.py": "def test_x():\n    assert True\n" };
    assert.deepEqual(locations((await project(withTests)).run(ciWithoutTests)), [["DEP006", "pyproject.toml", null]]);
    const buildOnly = { ...withTests, ".github/workflows/build.yml": "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: docker build .\n" };
    assert.deepEqual(locations((await project(buildOnly)).run(ciWithoutTests)), [["DEP006", ".github/workflows/build.yml", null]]);
    const tested = { ...withTests, ".github/workflows/ci.yml": "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: pytest\n" };
    assert.deepEqual(locations((await project(tested)).run(ciWithoutTests)), []);
  });

  it("OBS002, OBS003 and OBS004 are low for a self-hosted product whose image maps its user to the host's PUID/PGID", async () => {
    const selfHosted = {
      ...app,
      "docker/Dockerfile": "FROM python:3.12-slim\nCOPY ./docker/entry.sh /app/run.sh\nENTRYPOINT [\"/app/run.sh\"]\n",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: shell text
      "docker/entry.sh": "#!/bin/bash\nPUID=${PUID:-911}\nexec gosu $PUID python -m app\n",
    };
    const p = await project(selfHosted);
    for (const check of [noStructuredLogging, noErrorTracking, noMetrics]) {
      const [finding] = p.run(check);
      assert.equal(finding?.severity, "low", check.id);
      assert.match(finding?.message ?? "", /PUID in docker\/entry\.sh:2/);
      assert.deepEqual(finding?.evidence.map((e) => [e.file, e.line]), [["app/main.py", null], ["docker/entry.sh", 2]]);
    }
    // the same script in a repository whose Dockerfile does not run it says nothing about the product
    const unlinked = await project({ ...selfHosted, "docker/Dockerfile": "FROM python:3.12-slim\nCMD [\"gunicorn\", \"app.main:app\"]\n" });
    assert.deepEqual(unlinked.run(noMetrics).map((f) => f.severity), ["medium"]);
  });

  it("OBS004 is low when Sentry performance monitoring records requests, not when tracing is off", async () => {
    const traced = await project({ ...app, "app/sentry.py": py("import sentry_sdk", "sentry_sdk.init(dsn=DSN, traces_sample_rate=0.5)") });
    assert.deepEqual(traced.run(noMetrics).map((f) => [f.evidence[0]?.file, f.evidence[0]?.line, f.severity]), [["app/sentry.py", 2, "low"]]);
    const off = await project({ ...app, "app/sentry.py": py("import sentry_sdk", "sentry_sdk.init(dsn=DSN, traces_sample_rate=0)") });
    assert.deepEqual(off.run(noMetrics).map((f) => f.severity), ["medium"]);
  });

  it("OBS004 is low for a product whose repository ships a sample deployment of its own published image", async () => {
    const sample = "services:\n  web:\n    image: acme-tracker/acme-tracker:2\n    ports: ['8000:8000']\n";
    const product = { ...app, "pyproject.toml": '[project]\nname = "acme-tracker"\n' };
    const findings = (await project({ ...product, "docker-compose-sample.yaml": sample })).run(noMetrics);
    assert.deepEqual(findings.map((f) => [f.severity, f.evidence[1]?.file]), [["low", "docker-compose-sample.yaml"]]);
    assert.match(findings[0]?.message ?? "", /ships a sample deployment of its own published image/);
    // a compose file running someone else's image, or the project's own compose for its deployment, says nothing of the kind
    assert.deepEqual((await project({ ...product, "docker-compose-sample.yaml": sample.replace("acme-tracker/acme-tracker", "grafana/grafana") })).run(noMetrics).map((f) => f.severity), ["medium"]);
    assert.deepEqual((await project({ ...product, "docker-compose.yml": sample })).run(noMetrics).map((f) => f.severity), ["medium"]);
  });

  it("OBS004 stays quiet on a metrics facade of the project's own that the code uses", async () => {
    const p = await project({
      ...app,
      "app/metrics.py": py("class MetricProvider:", "    def counter(self, name, value=None): ...", "    def timer(self, name, value): ...", "provider = MetricProvider()"),
      "app/middleware.py": py("from app.metrics import provider", "def record(request):", "    provider.counter('server.call.counter')"),
    });
    assert.deepEqual(locations(p.run(noMetrics)), []);
    assert.deepEqual(locations((await project(app)).run(noMetrics)), [["OBS004", "app/main.py", null]]);
  });

  it("API005 stays quiet when an ingress or gateway limits requests", async () => {
    const ingress = "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: api\n  annotations:\n    nginx.ingress.kubernetes.io/limit-rps: \"20\"\n";
    const p = await project({ ...app, "deploy/ingress.yaml": ingress });
    assert.deepEqual(locations(p.run(noRateLimiting)), []);
    assert.equal(p.model.edgeRateLimits[0]?.line, 6);
  });

  it("API005 does not take a test cassette's recorded rate-limit headers for an edge limit", async () => {
    const cassette = "interactions:\n- response:\n    headers:\n      X-RateLimit-Limit: ['60']\n      ratelimit: ['60;w=60']\n";
    const p = await project({ ...app, "tests/cassettes/test_checkout.yaml": cassette });
    assert.deepEqual(p.model.edgeRateLimits, []);
    assert.deepEqual(locations(p.run(noRateLimiting)).map((l) => l[0]), ["API005"]);
  });

  it("OBS002 is medium when an orchestrator collects the logs of many instances, low on a single host", async () => {
    assert.deepEqual((await project(app)).run(noStructuredLogging).map((f) => f.severity), ["low"]);
    const deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: 3\n  template:\n    spec:\n      containers:\n        - name: api\n          image: acme/api:1.0\n";
    const k8s = (await project({ ...app, "deploy/api.yaml": deployment })).run(noStructuredLogging);
    assert.deepEqual(k8s.map((f) => f.severity), ["medium"]);
    assert.match(k8s[0]?.message ?? "", /runs on an orchestrator \(deploy\/api\.yaml\)/);
  });

  it("OBS002 stays quiet on a project log handler that stores records, and is low when LOGGING comes from the operator's configuration", async () => {
    const handler = await project({ ...app, "app/logs.py": py("import logging", "class DbHandler(logging.Handler):", "    def emit(self, record):", "        Record.objects.create(message=record.getMessage())") });
    assert.deepEqual(locations(handler.run(noStructuredLogging)), []);
    // a handler that forwards records to another logger (as loguru's InterceptHandler does) keeps nothing
    const intercept = await project({ ...app, "app/logs.py": py("import logging", "target = logging.getLogger('audit')", "class InterceptHandler(logging.Handler):", "    def emit(self, record):", "        self.buffer.append(record)", "        target.log(record.levelno, record.getMessage())") });
    assert.deepEqual(locations(intercept.run(noStructuredLogging)), [["OBS002", "app/main.py", null]]);
    const operator = await project({ ...app, "app/settings.py": py("import configuration", "LOGGING = getattr(configuration, 'LOGGING', {})") });
    assert.deepEqual(operator.run(noStructuredLogging).map((f) => [f.evidence[0]?.file, f.severity]), [["app/settings.py", "low"]]);
  });
});
