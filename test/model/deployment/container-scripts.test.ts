import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { project } from "../../helpers/project.js";

const lines = (...l: string[]): string => `${l.join("\n")}\n`;

describe("container start scripts", () => {
  it("links the script an ENTRYPOINT names through COPY and ENV, and reads its privilege drop and PUID mapping", async () => {
    const p = await project({
      "docker/Dockerfile": lines("FROM python:3.12-slim", "ENV APP_HOME=/app", "COPY ./docker/entry.sh $APP_HOME/run.sh", "ENTRYPOINT [\"/app/run.sh\"]"),
      // biome-ignore lint/suspicious/noTemplateCurlyInString: shell text
      "docker/entry.sh": lines("#!/bin/bash", "# PUID in a comment does not count", "PUID=${PUID:-911}", "usermod -o -u \"$PUID\" abc", "exec gosu $PUID python -m app"),
    });
    assert.deepEqual(p.model.dockerfiles[0]?.startScripts, ["docker/entry.sh"]);
    const script = p.model.containerScripts.find((s) => s.file === "docker/entry.sh");
    assert.equal(script?.privilegeDrop?.line, 5);
    assert.deepEqual(script?.userMapping, { line: 3, variable: "PUID" });
    assert.deepEqual(p.model.hostUserMapping.map((e) => [e.file, e.line]), [["docker/entry.sh", 3]]);
  });

  it("links a script the ENTRYPOINT names relative to the WORKDIR, in a whole-context copy", async () => {
    const p = await project({
      "docker/Dockerfile": lines("FROM python:3.11-slim", "COPY . /srv/app", "WORKDIR /srv/app", "ENTRYPOINT [\"./docker/entrypoint.sh\"]"),
      "docker/entrypoint.sh": lines("#!/bin/sh", "python manage.py migrate", "exec gosu app gunicorn app.wsgi"),
      "docker/other.sh": lines("#!/bin/sh", "echo other"),
    });
    assert.deepEqual(p.model.dockerfiles[0]?.startScripts, ["docker/entrypoint.sh"]);
    assert.equal(p.model.containerScripts.find((s) => s.file === "docker/entrypoint.sh")?.privilegeDrop?.line, 3);
  });

  it("links every service of a root filesystem that s6-overlay's /init starts", async () => {
    const p = await project({
      Dockerfile: lines("FROM python:3.12-slim", "COPY ./docker/rootfs /", "ENTRYPOINT [\"/init\"]"),
      "docker/rootfs/etc/s6-overlay/s6-rc.d/svc-web/run": lines("#!/command/with-contenv bash", "exec s6-setuidgid app granian app.asgi:application"),
      "scripts/release.sh": lines("#!/bin/sh", "exec gosu root make release"),
    });
    assert.deepEqual(p.model.dockerfiles[0]?.startScripts, ["docker/rootfs/etc/s6-overlay/s6-rc.d/svc-web/run"]);
  });

  it("links a script inside a copied folder that CMD runs, and not a script the command does not name", async () => {
    const named = await project({
      Dockerfile: lines("FROM python:3.12-slim", "COPY . /srv", "CMD [\"/srv/scripts/start.sh\"]"),
      "scripts/start.sh": lines("#!/bin/sh", "exec gunicorn app:app"),
      "scripts/other.sh": lines("#!/bin/sh", "exec gosu app true"),
    });
    assert.deepEqual(named.model.dockerfiles[0]?.startScripts, ["scripts/start.sh"]);
    const unnamed = await project({
      Dockerfile: lines("FROM python:3.12-slim", "COPY ./docker/entry.sh /entry.sh", "CMD [\"gunicorn\", \"app:app\"]"),
      "docker/entry.sh": lines("#!/bin/sh", "exec gosu app \"$@\""),
    });
    assert.deepEqual(unnamed.model.dockerfiles[0]?.startScripts, []);
  });
});
