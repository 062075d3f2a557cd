import assert from "node:assert/strict";
import { describe, it } from "node:test";
import unpaginatedCollection from "../../src/checks/api/unpaginated-collection.js";
import baseImage from "../../src/checks/deployment/base-image.js";
import unlockedDependencies from "../../src/checks/deployment/unlocked-dependencies.js";
import noErrorTracking from "../../src/checks/observability/no-error-tracking.js";
import riskySecurityLibrary from "../../src/checks/security/risky-security-library.js";
import { locations, project, py } from "../helpers/project.js";

describe("API003 collection endpoint without pagination", () => {
  it("fires on a GET declared to return a list with no paging, at the handler's def line", async () => {
    const p = await project({
      "app/main.py": py(
        "from fastapi import FastAPI",
        "app = FastAPI()",
        "@app.get('/users', response_model=list[User])",
        "def users(): return db.scalars(select(User)).all()", // 4
        "@app.get('/items')",
        "def items(limit: int = 50, offset: int = 0) -> list[Item]: return db.scalars(select(Item)).all()",
        "@app.get('/me')",
        "def me() -> dict: return db.get(User, 1)",
        "@app.get('/currencies')",
        "def currencies() -> list[str]: return db.scalars(select(Currency.code)).all()",
        "@app.get('/cases/{case_id}/participants')",
        "def participants(case_id: int) -> list[User]: return db.scalars(select(User)).all()", // 12
        "@app.get('/flow_run_states')",
        "def states(flow_run_id: UUID) -> list[State]: return db.scalars(select(State)).all()", // 14
      ),
    });
    const findings = p.run(unpaginatedCollection);
    // a list of names is an enumeration; the children of one resource (by path or by a required id filter) are a low note
    assert.deepEqual(locations(findings), [["API003", "app/main.py", 4], ["API003", "app/main.py", 12], ["API003", "app/main.py", 14]]);
    assert.deepEqual(findings.map((f) => f.severity), ["medium", "low", "low"]);
  });

  it("stays quiet when a dependency supplies the paging parameters (Depends(parse_filters))", async () => {
    const p = await project({
      "app/main.py": py(
        "from fastapi import Depends, FastAPI",
        "app = FastAPI()",
        "def parse_filters(limit: int | None = None, offset: int | None = None): ...",
        "def filters_for(model):",
        "    def dependency(limit: int | None = None, offset: int | None = None): ...",
        "    return dependency",
        "@app.get('/payments')",
        "def payments(filters=Depends(parse_filters)) -> list[Payment]: ...",
        "@app.get('/invoices')",
        "def invoices(filters=Depends(filters_for(Invoice))) -> list[Invoice]: ...",
      ),
    });
    assert.deepEqual(locations(p.run(unpaginatedCollection)), []);
    assert.match(p.model.endpoints.find((e) => e.path === "/payments")?.pagination ?? "", /limit\/offset parameters of parse_filters/);
  });

  it("stays quiet on a list no query loads: settings, an outbound API, a relation of the loaded caller", async () => {
    const p = await project({
      "app/main.py": py(
        "import httpx",
        "from fastapi import Depends, FastAPI",
        "from app.config import settings",
        "app = FastAPI()",
        "@app.get('/rates')",
        "def rates() -> list[Rate]:",
        "    return settings.rate_history",
        "@app.get('/tags')",
        "async def tags() -> list[Tag]:",
        "    async with httpx.AsyncClient() as client:",
        "        return (await client.get('https://reviews.example/tags')).json()",
        "@app.get('/wallets')",
        "def wallets(user: User = Depends(current_user)) -> list[Wallet]:",
        "    return user.wallets",
        "@app.get('/orders')",
        "def orders() -> list[Order]:", // 16
        "    return session.scalars(select(Order)).all()",
      ),
    });
    assert.deepEqual(locations(p.run(unpaginatedCollection)), [["API003", "app/main.py", 16]]);
  });

  it("is low when an authenticated list is scoped to the caller, by a parameter or by self.group_id in a class-based view", async () => {
    const p = await project({
      "app/main.py": py(
        "from fastapi import APIRouter, Depends, FastAPI, HTTPException",
        "from fastapi_utils.cbv import cbv",
        "app = FastAPI()",
        "router = APIRouter()",
        "def current_user(token: str = Depends(oauth2_scheme)):",
        "    if not token:",
        "        raise HTTPException(status_code=401)",
        "@app.get('/dashboards')",
        "def dashboards(db: Session = Depends(get_db), user: User = Depends(current_user)) -> list[Dashboard]:", // 9
        "    return db.scalars(select(Dashboard).where(Dashboard.owner_id == user.id)).all()",
        "@app.get('/all-users')",
        "def all_users(db: Session = Depends(get_db), user: User = Depends(current_user)) -> list[User]:", // 12
        "    return db.scalars(select(User)).all()",
        "@cbv(router)",
        "class Reports:",
        "    user: User = Depends(current_user)",
        "    @property",
        "    def repos(self):",
        "        return Repositories(self.session, group_id=self.group_id)",
        "    @router.get('/reports')",
        "    def list_reports(self) -> list[Report]:", // 21
        "        return self.repos.reports.get_all()",
        "app.include_router(router)",
      ),
    });
    const findings = p.run(unpaginatedCollection);
    assert.deepEqual(findings.map((f) => [f.evidence[0]?.line, f.severity]), [[12, "medium"], [9, "low"], [21, "low"]]);
    assert.match(findings[1]?.message ?? "", /belongs to the caller \(scoped by `user`\)/);
    assert.match(findings[2]?.message ?? "", /scoped by `self\.group_id`/);
  });

  it("is low when a class-based view's data access is built for the caller in a base class and the handler goes through it", async () => {
    const view = (scope: string) => py(
      "from fastapi import APIRouter, Depends, FastAPI, HTTPException",
      "from fastapi_utils.cbv import cbv",
      "app = FastAPI()",
      "router = APIRouter()",
      "def current_user(token: str = Depends(oauth2_scheme)):",
      "    if not token:",
      "        raise HTTPException(status_code=401)",
      "class BaseController:",
      "    user: User = Depends(current_user)",
      "    @property",
      "    def repos(self):",
      `        return AllRepositories(self.session${scope})`,
      "@cbv(router)",
      "class Shares(BaseController):",
      "    @property",
      "    def repo(self):",
      "        return self.repos.share_tokens",
      "    @router.get('/shares')",
      "    def list_shares(self) -> list[Share]:", // 19
      "        return self.repo.get_all()",
      "app.include_router(router)",
    );
    const scoped = (await project({ "app/main.py": view(", group_id=self.group_id") })).run(unpaginatedCollection);
    assert.deepEqual(scoped.map((f) => [f.evidence[0]?.line, f.severity]), [[19, "low"]]);
    assert.match(scoped[0]?.message ?? "", /scoped by `self\.group_id, through BaseController\.repos`/);
    const global = (await project({ "app/main.py": view("") })).run(unpaginatedCollection);
    assert.deepEqual(global.map((f) => [f.evidence[0]?.line, f.severity]), [[19, "medium"]]);
  });

  it("five or more unpaged collections are one finding that lists them", async () => {
    const routes = ["a", "b", "c", "d", "e"].flatMap((n) => [`@app.get('/${n}')`, `def ${n}() -> list[Thing]: return crud.thing.get_multi(db)`]);
    const findings = (await project({ "app/main.py": py("from fastapi import FastAPI", "app = FastAPI()", ...routes) })).run(unpaginatedCollection);
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.evidence.length, 5);
    assert.match(findings[0]?.message ?? "", /^5 collection endpoints return whole lists/);
  });
});

describe("DEP003 base image unpinned or end-of-life Python", () => {
  it("fires on latest, a missing tag, a floating tag and Python 3.8, at the FROM line", async () => {
    const p = await project({
      Dockerfile: py("FROM python:3.8-slim AS build", "FROM node", "FROM python:latest", "FROM python:slim"),
    });
    assert.deepEqual(locations(p.run(baseImage)), [
      ["DEP003", "Dockerfile", 1],
      ["DEP003", "Dockerfile", 2],
      ["DEP003", "Dockerfile", 3],
      ["DEP003", "Dockerfile", 4],
    ]);
  });

  it("reads end of support from the catalog's dated table: Python 3.10 ended in October 2026", async () => {
    const p = await project({ Dockerfile: py("FROM python:3.10-slim", "FROM python:3.13-slim") });
    const findings = p.run(baseImage);
    assert.deepEqual(locations(findings), [["DEP003", "Dockerfile", 1]]);
    assert.match(findings[0]?.message ?? "", /Python 3\.10, whose support ended in 2026-10: no more security fixes; move to Python 3\.13 \(https:\/\/devguide\.python\.org\/versions\/\)/);
  });

  it("is low for an unpinned image that does not build or run the Python service (a sidecar)", async () => {
    const p = await project({ "infra/tailscale/Dockerfile": py("FROM debian:latest", "RUN useradd tailscale", "USER tailscale", 'CMD ["./run-tailscale.sh"]') });
    assert.deepEqual(p.run(baseImage).map((f) => [f.evidence[0]?.line, f.severity]), [[1, "low"]]);
  });

  it("is low, once per Dockerfile, for the project's own base image that its CI builds and tags", async () => {
    const prod = py("FROM acme/base:latest AS builder", "RUN pip wheel -w /w .", "FROM acme/base:latest", "COPY --from=builder /w /w", 'CMD ["gunicorn", "app:app"]');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression
    const workflow = "on: push\njobs:\n  base:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: docker/build-push-action@v6\n        with:\n          file: docker/base/Dockerfile\n          tags: ${{ vars.REGISTRY }}/base:latest,${{ vars.REGISTRY }}/base:2.6\n";
    const own = (await project({ "docker/prod/Dockerfile": prod, ".github/workflows/base.yml": workflow })).run(baseImage);
    assert.deepEqual(own.map((f) => [f.evidence.map((e) => e.line), f.severity]), [[[1, 3], "low"]]);
    assert.match(own[0]?.message ?? "", /built by this repository \(\.github\/workflows\/base\.yml:9\)/);
    // someone else's image under the same tag stays medium
    assert.deepEqual((await project({ "docker/prod/Dockerfile": prod })).run(baseImage).map((f) => f.severity), ["medium"]);
  });

  it("is low for a rolling image published only as latest (Chainguard, Wolfi)", async () => {
    const p = await project({ Dockerfile: py("FROM cgr.dev/chainguard/wolfi-base:latest", "RUN apk add python-3.12") });
    assert.deepEqual(p.run(baseImage).map((f) => [f.evidence[0]?.line, f.severity]), [[1, "low"]]);
  });

  it("stays quiet on pinned supported images, digests, build args and earlier stages", async () => {
    const p = await project({
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a Dockerfile build argument, not a JS template
      Dockerfile: py("ARG BASE=python:3.12-slim", "FROM ${BASE} AS base", "FROM python:3.12-slim-bookworm AS build", "FROM build", "FROM registry.local:5000/team/python:3.13", "FROM python@sha256:0123abcd"),
    });
    assert.deepEqual(locations(p.run(baseImage)), []);
  });
});

describe("DEP012 dependencies not locked", () => {
  it("fires without a lock file when runtime dependencies are ranges, citing the manifest with no line", async () => {
    const p = await project({ "pyproject.toml": '[project]\nname = "x"\ndependencies = ["fastapi>=0.115", "httpx==0.28.1"]\n' });
    assert.deepEqual(locations(p.run(unlockedDependencies)), [["DEP012", "pyproject.toml", null]]);
  });

  it("is low when the ranges are bounded (==5.2.*, ~=, <) but for a few, and names the open ones", async () => {
    const bounded = ["django==5.2.*", "gunicorn==23.0.*", "celery~=5.4.0", "redis>=5.0,<6", "requests==2.*", "sentry-sdk==2.*", "pyyaml==6.0.*", "jinja2==3.1.*", "drf-spectacular"];
    const low = (await project({ "requirements.txt": `${bounded.join("\n")}\n` })).run(unlockedDependencies);
    assert.deepEqual(low.map((f) => f.severity), ["low"]);
    assert.match(low[0]?.message ?? "", /1 has no upper bound \(drf-spectacular\)/);
    const open = (await project({ "requirements.txt": "django==5.2.*\nfastapi>=0.115\nhttpx\n" })).run(unlockedDependencies);
    assert.deepEqual(open.map((f) => f.severity), ["medium"]);
  });

  it("stays quiet with a lock file, or when every runtime requirement is pinned", async () => {
    const locked = await project({ "pyproject.toml": '[project]\nname = "x"\ndependencies = ["fastapi>=0.115"]\n', "uv.lock": "version = 1\n" });
    assert.deepEqual(locations(locked.run(unlockedDependencies)), []);
    const pinned = await project({ "requirements.txt": "fastapi==0.115.6\nhttpx==0.28.1\n", "requirements-dev.txt": "pytest\n" });
    assert.deepEqual(locations(pinned.run(unlockedDependencies)), []);
  });
});

describe("SEC029 unmaintained or risky security library", () => {
  it("fires on python-jose and passlib with the alternative, at the manifest line", async () => {
    const p = await project({ "requirements.txt": "fastapi==0.115.6\npython-jose[cryptography]==3.3.0\npasslib[bcrypt]==1.7.4\n" });
    const findings = p.run(riskySecurityLibrary);
    assert.deepEqual(locations(findings), [
      ["SEC029", "requirements.txt", 2],
      ["SEC029", "requirements.txt", 3],
    ]);
    assert.match(findings[0]?.message ?? "", /PyJWT|joserfc/);
  });

  it("is low for a development requirement that no code imports, and stays medium once code imports it", async () => {
    const dev = { "requirements.txt": "django==5.2.1\n", "requirements-dev.txt": "python-jose==3.3.0\n" };
    const unused = (await project(dev)).run(riskySecurityLibrary);
    assert.deepEqual(unused.map((f) => [f.evidence[0]?.file, f.severity]), [["requirements-dev.txt", "low"]]);
    assert.match(unused[0]?.message ?? "", /no code imports it/);
    const used = (await project({ ...dev, "app/tokens.py": "from jose import jwt\n" })).run(riskySecurityLibrary);
    assert.deepEqual(used.map((f) => f.severity), ["medium"]);
  });

  it("stays quiet on maintained ones", async () => {
    const p = await project({ "requirements.txt": "pyjwt==2.10.1\npwdlib[argon2]==0.2.1\ncryptography==44.0.0\n" });
    assert.deepEqual(locations(p.run(riskySecurityLibrary)), []);
  });
});

describe("OBS003 no error tracking", () => {
  const app = { "app/main.py": py("from fastapi import FastAPI", "app = FastAPI()", "@app.get('/x')", "def x(): ...") };

  it("fires for a service with endpoints and no tracker, citing the app file", async () => {
    const p = await project(app);
    assert.deepEqual(locations(p.run(noErrorTracking)), [["OBS003", "app/main.py", null]]);
  });

  it("stays quiet when sentry-sdk is declared or imported, and without endpoints", async () => {
    assert.deepEqual(locations((await project({ ...app, "requirements.txt": "sentry-sdk==2.19.2\n" })).run(noErrorTracking)), []);
    assert.deepEqual(locations((await project({ ...app, "app/errors.py": "import sentry_sdk\n" })).run(noErrorTracking)), []);
    assert.deepEqual(locations((await project({ "app/util.py": "def f(): ...\n" })).run(noErrorTracking)), []);
  });

  it("is low when errors are kept by Django's mail to ADMINS or a project log handler", async () => {
    const admins = await project({ ...app, "app/settings.py": py("ADMINS = [('Ops', 'ops@example.com')]") });
    assert.deepEqual(admins.run(noErrorTracking).map((f) => f.severity), ["low"]);
  });
});
