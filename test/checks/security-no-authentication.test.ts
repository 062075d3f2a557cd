import assert from "node:assert/strict";
import { describe, it } from "node:test";
import check from "../../src/checks/security/no-authentication.js";
import { locations, project, py } from "../helpers/project.js";

const REQS = "fastapi==0.115.0\nsqlalchemy==2.0.36\nuvicorn==0.32.0\n";
const OPEN_API = py(
  "from fastapi import FastAPI", // 1
  "app = FastAPI()",
  "",
  '@app.get("/health")',
  "def health():",
  '    return {"ok": True}',
  "",
  '@app.get("/orders")', // 8
  "def list_orders():",
  "    return db.query_all()",
  "",
  '@app.post("/orders")', // 12
  "def create_order(payload: dict):",
  "    return db.insert(payload)",
);

describe("SEC016 no authentication mechanism", () => {
  it("fires high, once, when no endpoint is authenticated and nothing in the service authenticates", async () => {
    const p = await project({ "requirements.txt": REQS, "app/__init__.py": "", "app/main.py": OPEN_API });
    const findings = p.run(check);
    assert.deepEqual(locations(findings), [["SEC016", "app/main.py", 9]]);
    assert.equal(findings[0]?.severity, "high");
    assert.match(findings[0]?.message ?? "", /2 endpoints \(GET \/orders and POST \/orders\) are served with no authentication .*; 1 of them changes state \(API002 lists them\)/);
  });

  it("is medium when the context says the service is internal, and low when every route only reads", async () => {
    const internal = await project({ "requirements.txt": REQS, "app/__init__.py": "", "app/main.py": OPEN_API }, { context: { exposure: "internal" } });
    assert.deepEqual(internal.run(check).map((f) => f.severity), ["medium"]);
    const readOnly = await project({ "requirements.txt": REQS, "app/__init__.py": "", "app/main.py": py("from fastapi import FastAPI", "app = FastAPI()", '@app.get("/stations")', "def stations():", "    return []") });
    const findings = readOnly.run(check);
    assert.deepEqual(findings.map((f) => f.severity), ["low"]);
    assert.match(findings[0]?.message ?? "", /Every route only reads/);
  });

  it("stays quiet when one route authenticates, an auth library is declared, or a credential check exists", async () => {
    const authenticated = py(
      "from fastapi import Depends, FastAPI",
      "from fastapi.security import HTTPBearer",
      "bearer = HTTPBearer()",
      "app = FastAPI()",
      '@app.get("/orders")',
      "def list_orders(token=Depends(bearer)):",
      "    return []",
      '@app.post("/orders")',
      "def create_order(payload: dict):",
      "    return payload",
    );
    assert.deepEqual(locations((await project({ "requirements.txt": REQS, "app/__init__.py": "", "app/main.py": authenticated })).run(check)), []);
    assert.deepEqual(locations((await project({ "requirements.txt": `${REQS}pyjwt==2.9.0\n`, "app/__init__.py": "", "app/main.py": OPEN_API })).run(check)), []);
    const keyCheck = py("import hmac, os", "def valid_key(given: str) -> bool:", '    return hmac.compare_digest(given, os.environ["API_KEY"])');
    assert.deepEqual(locations((await project({ "requirements.txt": REQS, "app/__init__.py": "", "app/main.py": OPEN_API, "app/keys.py": keyCheck })).run(check)), []);
  });

  it("stays quiet behind an authenticating proxy, for Django sites using contrib.auth, and with only health routes", async () => {
    const proxied = await project({ "requirements.txt": REQS, "app/__init__.py": "", "app/main.py": OPEN_API, "docker-compose.yml": "services:\n  proxy:\n    image: quay.io/oauth2-proxy/oauth2-proxy:v7.6.0\n  api:\n    build: .\n" });
    assert.deepEqual(locations(proxied.run(check)), []);
    const django = await project({
      "requirements.txt": "django==5.1\n",
      "mysite/__init__.py": "",
      "mysite/settings.py": py("ROOT_URLCONF = 'mysite.urls'", "INSTALLED_APPS = ['django.contrib.auth', 'django.contrib.contenttypes', 'shop']"),
      "mysite/urls.py": py("from django.urls import path", "from shop import views", "urlpatterns = [path('orders/', views.orders)]"),
      "shop/__init__.py": "",
      "shop/views.py": py("from django.http import JsonResponse", "def orders(request):", "    return JsonResponse({'orders': []})"),
    });
    assert.deepEqual(locations(django.run(check)), []);
    const health = await project({ "requirements.txt": REQS, "app/__init__.py": "", "app/main.py": py("from fastapi import FastAPI", "app = FastAPI()", '@app.get("/healthz")', "def healthz():", "    return {}") });
    assert.deepEqual(locations(health.run(check)), []);
  });
});
