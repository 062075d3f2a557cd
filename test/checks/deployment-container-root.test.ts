import assert from "node:assert/strict";
import { describe, it } from "node:test";
import containerRoot from "../../src/checks/deployment/container-root.js";
import { locations, project } from "../helpers/project.js";

/** Dockerfile text, one instruction per item so line numbers stay obvious. */
function dockerfile(...lines: string[]): string {
  return `${lines.join("\n")}\n`;
}

describe("DEP002 container runs as root", () => {
  const fires: Array<[string, string, number]> = [
    ["no USER at all, at the FROM line", dockerfile(
      "FROM python:3.12-slim", // 1
      "WORKDIR /app",
      "COPY . .",
      "CMD [\"uvicorn\", \"app.main:app\"]",
    ), 1],
    ["a multi-stage build where only the builder sets USER, at the final FROM", dockerfile(
      "FROM python:3.12 AS builder",
      "RUN useradd builder",
      "USER builder",
      "RUN pip wheel -r requirements.txt -w /wheels",
      "",
      "FROM python:3.12-slim", // 6
      "COPY --from=builder /wheels /wheels",
      "CMD [\"gunicorn\", \"app.main:app\"]",
    ), 6],
    ["USER root as the last user, at that line", dockerfile(
      "FROM python:3.12-slim",
      "RUN useradd app",
      "USER app",
      "RUN pip install -r requirements.txt",
      "USER root", // 5
      "CMD [\"gunicorn\", \"app.main:app\"]",
    ), 5],
    ["a final stage whose only gosu CMD belongs to the builder stage", dockerfile(
      "FROM python:3.12 AS builder",
      "CMD gosu app python -m app",
      "FROM python:3.12-slim", // 3
      "COPY --from=builder /app /app",
      "CMD [\"python\", \"-m\", \"app\"]",
    ), 3],
    ["USER 0:0, at that line", dockerfile("FROM python:3.12-slim", "USER 0:0", "CMD [\"python\", \"-m\", \"app\"]"), 2],
    ["USER root:root, at that line", dockerfile("FROM python:3.12-slim", "USER root:root", "CMD [\"python\", \"-m\", \"app\"]"), 2],
  ];
  for (const [name, text, line] of fires) {
    it(`fires on ${name}`, async () => {
      const findings = (await project({ Dockerfile: text })).run(containerRoot);
      assert.deepEqual(locations(findings), [["DEP002", "Dockerfile", line]]);
      assert.equal(findings[0]?.severity, "medium");
    });
  }

  it("names the final stage's image in the message", async () => {
    const findings = (await project({ "deploy/Dockerfile": dockerfile("FROM python:3.12-slim", "CMD [\"python\"]") })).run(containerRoot);
    assert.deepEqual(locations(findings), [["DEP002", "deploy/Dockerfile", 1]]);
    assert.equal(findings[0]?.message, "The final stage (python:3.12-slim) sets no USER, so the application runs as root.");
  });

  it("reports each Dockerfile on its own", async () => {
    const p = await project({
      "api/Dockerfile": dockerfile("FROM python:3.12-slim", "USER app"),
      "worker/Dockerfile": dockerfile("FROM python:3.12-slim", "RUN pip install celery", "CMD [\"celery\", \"worker\"]"),
    });
    assert.deepEqual(locations(p.run(containerRoot)), [["DEP002", "worker/Dockerfile", 1]]);
  });

  const quiet: Array<[string, string]> = [
    ["USER app", dockerfile("FROM python:3.12-slim", "RUN useradd app", "USER app", "CMD [\"gunicorn\", \"app.main:app\"]")],
    ["a numeric USER 1000", dockerfile("FROM python:3.12-slim", "USER 1000", "CMD [\"gunicorn\", \"app.main:app\"]")],
    ["USER 1000:1000", dockerfile("FROM python:3.12-slim", "USER 1000:1000", "CMD [\"gunicorn\", \"app.main:app\"]")],
    ["USER root early, then USER app", dockerfile("FROM python:3.12-slim", "USER root", "RUN apt-get update", "USER app", "CMD [\"python\"]")],
    ["a final stage with USER after a root builder", dockerfile(
      "FROM python:3.12 AS builder",
      "RUN pip wheel -r requirements.txt -w /wheels",
      "FROM python:3.12-slim",
      "COPY --from=builder /wheels /wheels",
      "USER nobody",
      "CMD [\"python\", \"-m\", \"app\"]",
    )],
    ["an entrypoint that drops privileges with gosu", dockerfile(
      "FROM python:3.12-slim",
      "RUN apt-get install -y gosu && useradd app",
      "ENTRYPOINT [\"gosu\", \"app\", \"gunicorn\", \"app.main:app\"]",
    )],
    ["a final stage built on a stage whose entrypoint uses gosu", dockerfile(
      "FROM python:3.12-slim AS base",
      "ENTRYPOINT [\"gosu\", \"app\", \"python\", \"-m\", \"app\"]",
      "FROM base AS final",
      "COPY . /app",
    )],
    ["a CMD that drops privileges with su-exec", dockerfile("FROM python:3.12-alpine", "CMD su-exec app:app python -m app")],
  ];
  for (const [name, text] of quiet) {
    it(`stays quiet on ${name}`, async () => {
      assert.deepEqual(locations((await project({ Dockerfile: text })).run(containerRoot)), []);
    });
  }

  it("stays quiet when the entrypoint script drops to another user, and fires when the script it runs does not", async () => {
    const image = dockerfile("FROM python:3.12-slim", "COPY ./docker/entry.sh /app/run.sh", "ENTRYPOINT [\"/app/run.sh\"]");
    const drops = await project({ "docker/Dockerfile": image, "docker/entry.sh": "#!/bin/bash\nusermod -o -u \"$PUID\" abc\nexec gosu $PUID \"$0\" \"$@\"\n" });
    assert.deepEqual(locations(drops.run(containerRoot)), []);
    const keeps = await project({ "docker/Dockerfile": image, "docker/entry.sh": "#!/bin/bash\n# gosu is not used here\nexec python -m app\n" });
    assert.deepEqual(locations(keeps.run(containerRoot)), [["DEP002", "docker/Dockerfile", 1]]);
  });

  it("stays quiet when the services s6-overlay starts drop to a user, and stays low when they do not", async () => {
    const image = dockerfile("FROM python:3.12-slim", "COPY ./docker/rootfs /", "ENTRYPOINT [\"/init\"]");
    const service = "docker/rootfs/etc/s6-overlay/s6-rc.d/svc-web/run";
    const drops = await project({ Dockerfile: image, [service]: "#!/command/with-contenv bash\nexec s6-setuidgid app granian app.asgi:application\n" });
    assert.deepEqual(locations(drops.run(containerRoot)), []);
    const keeps = await project({ Dockerfile: image, [service]: "#!/command/with-contenv bash\nexec granian app.asgi:application\n" });
    assert.deepEqual(keeps.run(containerRoot).map((f) => [f.evidence[0]?.line, f.severity]), [[1, "low"]]);
  });

  it("reviews the stage CI builds by name as well as the last, and leaves an AWS Lambda stage alone", async () => {
    const image = dockerfile(
      "FROM python:3.12-slim AS production", // 1
      "COPY . /app",
      "CMD [\"uvicorn\", \"app.main:app\"]",
      "",
      "FROM public.ecr.aws/lambda/python:3.12 AS lambda", // 5
      "COPY . /var/task",
      "CMD [\"app.worker.handler\"]",
    );
    const workflow = "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: docker/build-push-action@v6\n        with:\n          target: production\n";
    const built = (await project({ "server/Dockerfile": image, ".github/workflows/deploy.yml": workflow })).run(containerRoot);
    assert.deepEqual(locations(built), [["DEP002", "server/Dockerfile", 1]]);
    assert.match(built[0]?.message ?? "", /The stage `production` that \.github\/workflows\/deploy\.yml:8 builds/);
    // without a build that names it, an earlier stage is a build step: only the (Lambda) last stage counts
    assert.deepEqual(locations((await project({ "server/Dockerfile": image })).run(containerRoot)), []);
    // a test-runner stage that CI builds to run the suite is not what production runs
    const testStage = dockerfile("FROM python:3.12-slim AS api-test", "CMD [\"make\", \"test\"]", "FROM python:3.12-slim AS api", "USER app");
    const testWorkflow = workflow.replace("target: production", "target: api-test");
    assert.deepEqual(locations((await project({ "server/Dockerfile": testStage, ".github/workflows/deploy.yml": testWorkflow })).run(containerRoot)), []);
    // a stage that CI builds and that switches to a user is fine
    const withUser = image.replace("COPY . /app\n", "COPY . /app\nUSER app\n");
    assert.deepEqual(locations((await project({ "server/Dockerfile": withUser, ".github/workflows/deploy.yml": workflow })).run(containerRoot)), []);
  });

  it("leaves out a build stage CI builds by name to fill a cache, and is low on an image compose runs with a reloading server", async () => {
    const prod = dockerfile("FROM python:3.12-slim AS builder", "RUN pip wheel -w /wheels -r requirements.txt", "FROM python:3.12-slim", "COPY --from=builder /wheels /wheels", "USER app", "CMD [\"gunicorn\", \"app:app\"]");
    const ci = "image:\n  script:\n    - docker build --target builder -t cache .\n";
    assert.deepEqual(locations((await project({ Dockerfile: prod, ".gitlab-ci.yml": ci })).run(containerRoot)), []);
    const dev = dockerfile("FROM python:3.12-slim", "COPY . /app", "CMD [\"uvicorn\", \"app.main:app\"]");
    const compose = "services:\n  web:\n    build: ./project\n    command: uvicorn app.main:app --reload --host 0.0.0.0\n";
    const findings = (await project({ "project/Dockerfile": dev, "docker-compose.yml": compose })).run(containerRoot);
    assert.deepEqual(findings.map((f) => [f.evidence[0]?.file, f.severity]), [["project/Dockerfile", "low"]]);
    assert.match(findings[0]?.message ?? "", /a development image: docker-compose\.yml runs it as `web`/);
    // a production compose file that runs the same image without --reload makes it the service
    const both = await project({ "project/Dockerfile": dev, "docker-compose.override.yml": compose, "docker-compose.yml": compose.replace(" --reload", "") });
    assert.deepEqual(both.run(containerRoot).map((f) => f.severity), ["medium"]);
    // the same image run by compose without --reload is the service
    const served = compose.replace(" --reload", "");
    assert.deepEqual((await project({ "project/Dockerfile": dev, "docker-compose.yml": served })).run(containerRoot).map((f) => f.severity), ["medium"]);
  });

  it("is low on an image with no command that nothing runs (a base image), medium when compose runs it", async () => {
    const base = dockerfile("FROM python:3.12-slim", "RUN adduser --disabled-password app", "RUN pip install -r requirements.txt");
    const alone = (await project({ "docker/base/Dockerfile": base })).run(containerRoot);
    assert.deepEqual(alone.map((f) => f.severity), ["low"]);
    assert.match(alone[0]?.message ?? "", /sets no CMD or ENTRYPOINT/);
    const compose = "services:\n  web:\n    build:\n      context: .\n      dockerfile: docker/base/Dockerfile\n    command: gunicorn app:app\n";
    const run = (await project({ "docker/base/Dockerfile": base, "docker-compose.yml": compose })).run(containerRoot);
    assert.deepEqual(run.map((f) => f.severity), ["medium"]);
  });

  it("stays quiet on an image that runs no Python (a front-end's nginx)", async () => {
    const text = dockerfile("FROM node:20 AS build", "RUN npm ci && npm run build", "FROM nginx:1.27-alpine", "COPY --from=build /app/dist /usr/share/nginx/html");
    assert.deepEqual(locations((await project({ "web/Dockerfile": text })).run(containerRoot)), []);
  });

  it("stays quiet without a Dockerfile", async () => {
    assert.deepEqual(locations((await project({ "app/main.py": "print('hi')\n" })).run(containerRoot)), []);
  });
});
