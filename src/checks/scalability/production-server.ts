import { defineCheck } from "../define.js";
import type { Report } from "../types.js";

const DEV_SERVERS = new Set(["flask run", "runserver", "fastapi dev"]);
const ASGI_FRAMEWORKS = new Set(["FastAPI", "Starlette", "Litestar", "Quart", "Django Ninja"]);
const ASGI_WORKER = /uvicorn|UvicornWorker|uvicorn_worker|gthread|gevent|eventlet|tornado|asgi/i;

/** `app.wsgi`, `config.wsgi:application`: the target names a WSGI module, whatever ASGI framework another part of the repository uses. */
function servesWsgiModule(app: string | null): boolean {
  return app !== null && /(^|[.:])wsgi([.:]|$)/.test(app);
}

export default defineCheck({
  id: "PERF004",
  area: "scalability",
  title: "Production server misconfigured",
  severity: "high",
  kind: "concern",
  confidence: "high",
  why: "A development server (`flask run`, `manage.py runserver`, `fastapi dev`, `--reload`) is single-process, watches files and is not hardened; gunicorn's default sync workers cannot run an ASGI app and serve one request at a time per worker. Either way the service falls over at modest load or behaves differently from what was tested.",
  recommendation: "Serve with a production server: gunicorn with `-k uvicorn.workers.UvicornWorker` (or uvicorn/granian with `--workers`) for ASGI apps, gunicorn or uWSGI for WSGI apps, a worker count sized to the container's CPUs, and no `--reload` outside development.",
  example: { bad: 'CMD ["uvicorn", "app.main:app", "--reload"]', good: 'CMD ["gunicorn", "app.main:app", "-k", "uvicorn.workers.UvicornWorker", "-w", "4", "-b", "0.0.0.0:8000"]' },
  references: ["https://www.uvicorn.org/deployment/", "https://docs.gunicorn.org/en/stable/design.html", "https://flask.palletsprojects.com/en/stable/deploying/"],
  effort: "S",
  libraries: ["gunicorn", "uvicorn", "granian"],
  run({ model }) {
    const reports: Report[] = [];
    const asgi = model.technologies.some((t) => t.category === "web-framework" && ASGI_FRAMEWORKS.has(t.name));
    // what runs in production: the image's command and the Procfile's web process (compose files are usually for development)
    const commands = [
      ...model.dockerfiles.filter((d) => d.server && (d.command || d.entrypoint)).map((d) => ({ server: d.server, evidence: { file: d.file, line: (d.command ?? d.entrypoint)?.line ?? null, snippet: (d.command ?? d.entrypoint)?.text } })),
      ...model.procfile.filter((p) => p.process === "web" && p.server).map((p) => ({ server: p.server, evidence: { file: p.file, line: p.line, snippet: `${p.process}: ${p.command}` } })),
    ];
    for (const { server, evidence } of commands) {
      if (!server) continue;
      if (DEV_SERVERS.has(server.server) || server.reload) {
        reports.push({ message: `The production command starts ${server.server === "runserver" ? "Django's development server" : server.server}${server.reload ? " with auto-reload" : ""}: a development setup serving real traffic.`, evidence: [evidence] });
      } else if (server.server === "gunicorn" && asgi && !servesWsgiModule(server.app) && !(server.workerClass && ASGI_WORKER.test(server.workerClass))) {
        reports.push({ message: `gunicorn serves an ASGI application with ${server.workerClass ? `the ${server.workerClass} worker class` : "its default sync workers"}: the app cannot run as ASGI that way.`, evidence: [evidence], confidence: server.workerClass ? "medium" : "high" });
      }
    }
    return reports;
  },
});
