import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseServerCommand } from "../../../src/model/deployment/server-command.js";
import { project, py } from "../../helpers/project.js";

describe("server commands", () => {
  const cases: Array<[string, Record<string, unknown> | null]> = [
    ['["gunicorn", "app.main:app", "-k", "uvicorn.workers.UvicornWorker", "-w", "4", "--bind", "0.0.0.0:8000"]', { server: "gunicorn", app: "app.main:app", workers: 4, workerClass: "uvicorn.workers.UvicornWorker", reload: false, bind: "0.0.0.0:8000" }],
    ["uvicorn app.main:app --host 0.0.0.0 --reload", { server: "uvicorn", app: "app.main:app", workers: null, workerClass: null, reload: true, bind: "0.0.0.0" }],
    ['sh -c "alembic upgrade head && exec gunicorn --workers=3 wsgi:app"', { server: "gunicorn", app: "wsgi:app", workers: 3, workerClass: null, reload: false, bind: null }],
    ["python -m uvicorn main:app --workers 2", { server: "uvicorn", app: "main:app", workers: 2, workerClass: null, reload: false, bind: null }],
    ['["fastapi", "run", "--workers", "4", "app/main.py"]', { server: "fastapi run", app: "app/main.py", workers: 4, workerClass: null, reload: false, bind: null }],
    ["python manage.py runserver 0.0.0.0:8000", { server: "runserver", app: null, workers: null, workerClass: null, reload: true, bind: "0.0.0.0:8000" }],
    ["flask --app app run --debug", { server: "flask run", app: "app", workers: null, workerClass: null, reload: true, bind: null }],
    ["celery -A app.worker worker --concurrency=2", { server: "celery", app: "app.worker", workers: 2, workerClass: null, reload: false, bind: null }],
    ['["./boot.sh"]', null],
    ["npm start", null],
  ];
  for (const [command, expected] of cases) {
    it(`reads ${command}`, () => assert.deepEqual(parseServerCommand(command), expected));
  }

  it("combines ENTRYPOINT and CMD of a Dockerfile's final stage", async () => {
    const p = await project({ Dockerfile: py("FROM python:3.12-slim", 'ENTRYPOINT ["gunicorn"]', 'CMD ["app:app", "-w", "4"]') });
    assert.equal(p.model.dockerfiles[0]?.server?.server, "gunicorn");
    assert.equal(p.model.dockerfiles[0]?.server?.workers, 4);
  });
});
