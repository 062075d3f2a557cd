import assert from "node:assert/strict";
import { describe, it } from "node:test";
import celeryTaskLimits from "../../src/checks/resilience/celery-task-limits.js";
import { locations, project, py } from "../helpers/project.js";

/** Project-wide Celery configuration before per-task claims, and one finding per cause (issue 6). */
describe("RES005 reads the Celery configuration and groups tasks by cause", () => {
  const many = (names: string[], decorator = "@app.task") => names.flatMap((n) => [decorator, `def ${n}(order_id):`, "    Order.objects.filter(id=order_id).update(done=True)"]);

  it("many tasks without a time limit and no configured limit: one finding at the Celery app, every task as evidence", async () => {
    const p = await project({
      "proj/__init__.py": "",
      "proj/celery.py": py("from celery import Celery", "app = Celery('proj')"), // 2
      "proj/tasks.py": py("from proj.celery import app", "from proj.models import Order", ...many(["a", "b", "c", "d", "e", "f"])),
    });
    const findings = p.run(celeryTaskLimits);
    const limit = findings.find((f) => /time limit/.test(f.message));
    assert.ok(limit);
    assert.equal(limit.evidence[0]?.file, "proj/celery.py");
    assert.equal(limit.evidence[0]?.line, 2);
    assert.equal(limit.evidence.length, 7);
    assert.match(limit.message, /6 of 6 Celery tasks run without a time limit/);
    // retries for work that stays inside the service: one low finding
    const retry = findings.find((f) => /no retry policy/.test(f.message));
    assert.equal(retry?.severity, "low");
    assert.equal(findings.length, 2);
  });

  it("a time limit set once in Django settings (CELERY_TASK_TIME_LIMIT) or task_annotations covers every task", async () => {
    for (const setting of ["CELERY_TASK_TIME_LIMIT = 300", "task_annotations = {'*': {'time_limit': 300}}"]) {
      const p = await project({
        "proj/__init__.py": "",
        "proj/settings.py": py(setting),
        "proj/tasks.py": py("from celery import shared_task", "from proj.models import Order", ...many(["a", "b", "c", "d", "e", "f"], "@shared_task")),
      });
      const findings = p.run(celeryTaskLimits);
      assert.equal(findings.filter((f) => /time limit/.test(f.message)).length, 0, setting);
    }
  });

  it("tasks that send email or call other services are grouped apart from scheduled ones, which their next run repairs", async () => {
    const p = await project({
      "proj/__init__.py": "",
      "proj/celery.py": py("from celery import Celery", "from celery.schedules import crontab", "app = Celery('proj')", "app.conf.update(task_time_limit=60)", "app.conf.beat_schedule = {}", "SCHEDULE = {'cleanup': {'task': 'proj.tasks.cleanup', 'schedule': crontab()}}"),
      "proj/tasks.py": py(
        "import requests",
        "from django.core.mail import send_mail",
        "from proj.celery import app",
        "@app.task",
        "def cleanup(): ...",
        ...["a", "b", "c", "d", "e"].flatMap((n) => ["@app.task", `def notify_${n}(url):`, "    requests.post(url, json={}, timeout=5)"]),
        "@app.task",
        "def welcome(user_id):",
        "    send_mail('hi', 'body', 'a@b.c', ['d@e.f'])",
      ),
    });
    const findings = p.run(celeryTaskLimits);
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.severity, "medium");
    assert.match(findings[0]?.message ?? "", /^6 Celery tasks that reach outside the service/);
    assert.match(findings[0]?.message ?? "", /1 scheduled task is left out/);
    assert.ok(!findings[0]?.evidence.some((e) => /cleanup/.test(e.snippet ?? "")));
  });

  it("a task whose outside work goes through a function a scheduled task also runs is low; a shared leaf helper is not that", async () => {
    const p = await project({
      "proj/__init__.py": "",
      "proj/celery.py": py("from celery import Celery", "from celery.schedules import crontab", "app = Celery('proj')", "app.conf.update(task_time_limit=60)", "app.conf.beat_schedule = {'reindex': {'task': 'proj.tasks.reindex', 'schedule': crontab()}, 'digest': {'task': 'proj.tasks.digest', 'schedule': crontab()}}"),
      "proj/index.py": py("import requests", "def embed(doc):", "    return requests.post('https://embed.example', json=doc, timeout=5)", "def update_index(docs):", "    for d in docs:", "        embed(d)"),
      "proj/mail.py": py("from django.core.mail import send_mail", "def send_email(to):", "    send_mail('hi', 'body', 'a@b.c', [to])"),
      "proj/tasks.py": py(
        "from proj.celery import app",
        "from proj.index import update_index",
        "from proj.mail import send_email",
        "@app.task",
        "def reindex():",
        "    update_index(all_docs())",
        "@app.task",
        "def digest():",
        "    send_email('team@example.com')",
        "@app.task", // 10
        "def bulk_update(ids):",
        "    update_index(load(ids))",
        "@app.task", // 13
        "def password_reset(to):",
        "    send_email(to)",
      ),
      "proj/views.py": py("from proj.tasks import bulk_update, password_reset", "def reset(request):", "    password_reset.delay(request.user.email)", "def update(request):", "    bulk_update.apply_async(args=[request.ids])"),
    });
    const findings = p.run(celeryTaskLimits);
    assert.deepEqual(findings.map((f) => [f.evidence[0]?.line, f.severity]).sort(), [[10, "low"], [13, "medium"]]);
    assert.match(findings.find((f) => f.severity === "low")?.message ?? "", /through update_index, which the scheduled task reindex also runs/);
  });

  it("a scheduled rebuild job that reaches the same work further down repairs a task; a scheduled job of another kind does not", async () => {
    const files = (job: string) => ({
      "proj/__init__.py": "",
      "proj/celery.py": py("from celery import Celery", "from celery.schedules import crontab", "app = Celery('proj')", "app.conf.update(task_time_limit=60)", `app.conf.beat_schedule = {'nightly': {'task': 'proj.tasks.${job}', 'schedule': crontab()}}`),
      "proj/index.py": py("import httpx", "def client():", "    return httpx.Client(timeout=5)", "def send(doc):", "    return client().post('https://embed.example', json=doc)", "def embed(doc):", "    return send(doc)", "def add_document(doc):", "    embed(doc)", "def update_index(docs):", "    for d in docs:", "        embed(d)"),
      "proj/tasks.py": py(
        "from proj.celery import app",
        "from proj.index import add_document, update_index",
        "@app.task",
        `def ${job}():`,
        "    update_index(changed_docs())",
        "@app.task", // 6
        "def index_document(doc):",
        "    add_document(doc)",
      ),
      "proj/views.py": py("from proj.tasks import index_document", "def save(doc):", "    index_document.delay(doc)"),
    });
    const rebuilt = (await project(files("rebuild_index"))).run(celeryTaskLimits);
    assert.deepEqual(rebuilt.map((f) => [f.evidence[0]?.line, f.severity]), [[6, "low"]]);
    assert.match(rebuilt[0]?.message ?? "", /through embed, which the scheduled task rebuild_index also runs/);
    const other = (await project(files("send_digest"))).run(celeryTaskLimits);
    assert.deepEqual(other.map((f) => [f.evidence[0]?.line, f.severity]), [[6, "medium"]]);
  });

  it("a task that makes no call outside, or that nothing enqueues, is low; one that catches and records its own failures needs no retry policy", async () => {
    const p = await project({
      "proj/__init__.py": "",
      "proj/celery.py": py("from celery import Celery", "app = Celery('proj')", "app.conf.update(task_time_limit=60)"),
      "proj/tasks.py": py(
        "import requests",
        "from proj.celery import app",
        "@app.task(bind=True)", // 3
        "def debug_task(self):",
        "    print(self.request)",
        "@app.task", // 6
        "def send_hook(hook_id, url, data):",
        "    try:",
        "        requests.post(url, json=data, timeout=10)",
        "    except requests.RequestException as e:",
        "        HookLog.objects.create(hook_id=hook_id, error=str(e))",
        "@app.task", // 12
        "def push(url, data):",
        "    requests.post(url, json=data, timeout=10)",
        "@app.task", // 15
        "def unused_push(url):",
        "    requests.post(url, timeout=10)",
        "def _send(hook_id, url):",
        "    try:",
        "        requests.post(url, timeout=10)",
        "    except requests.RequestException as e:",
        "        HookLog.objects.create(hook_id=hook_id, error=str(e))",
        "@app.task", // 23
        "def deliver(hook_id, url):",
        "    _send(hook_id, url)",
      ),
      "proj/views.py": py("from proj.tasks import deliver, push", "def hook(request):", "    push.delay(request.url, {})", "    deliver.delay(1, request.url)"),
    });
    const findings = p.run(celeryTaskLimits);
    // a task nothing enqueues or calls is low: nothing is lost today
    assert.deepEqual(findings.map((f) => [f.evidence[0]?.line, f.severity]), [[12, "medium"], [3, "low"], [15, "low"]]);
    assert.match(findings[2]?.message ?? "", /nothing in the project enqueues or calls it/);
    assert.match(findings[0]?.message ?? "", /push has no retry policy \(it calls requests\.post\)/);
  });

  it("a few tasks missing the same things are one finding that names them", async () => {
    const p = await project({
      "app/__init__.py": "",
      "app/email.py": py(
        "from app.celery import celery",
        "@celery.task", // 2
        "def send_reset(user):",
        "    send_email(user.email, 'reset')",
        "@celery.task", // 5
        "def send_activation(user):",
        "    send_email(user.email, 'activate')",
      ),
      "app/celery.py": py("from celery import Celery", "celery = Celery('app')"),
      "app/views.py": py("from app.email import send_activation, send_reset", "def reset(u):", "    send_reset.delay(u)", "def activate(u):", "    send_activation.delay(u)"),
    });
    const findings = p.run(celeryTaskLimits);
    assert.deepEqual(findings.map((f) => [f.evidence.map((e) => e.line), f.severity]), [[[2, 5], "medium"]]);
    assert.match(findings[0]?.message ?? "", /^2 Celery tasks have no retry policy and no time limit \(send_reset, send_activation/);
  });

  it("retry_kwargs without autoretry_for is no retry policy; autoretry_for on a base task class is one", async () => {
    const p = await project({
      "proj/__init__.py": "",
      "proj/tasks.py": py(
        "from celery import Celery, Task",
        "app = Celery('proj')",
        "app.conf.update(task_time_limit=60)",
        "class RetryingTask(Task):",
        "    autoretry_for = (IOError,)",
        "    retry_backoff = True",
        "@app.task(retry_kwargs={'max_retries': 3})", // 7
        "def looks_retried(): ...",
        "@app.task(base=RetryingTask)",
        "def retried(): ...",
      ),
    });
    assert.deepEqual(locations(p.run(celeryTaskLimits)), [["RES005", "proj/tasks.py", 7]]);
  });

  it("Prefect, Dramatiq and Huey tasks are not Celery tasks", async () => {
    const p = await project({
      "flows/etl.py": py("from prefect import flow, task", "@task", "def extract(): ...", "@task(retries=2)", "def load(): ...", "@flow", "def etl(): ..."),
    });
    assert.deepEqual(locations(p.run(celeryTaskLimits)), []);
  });

  it("tasks in lint-rule fixtures and tests are counted apart from the service's own", async () => {
    const p = await project({
      "proj/__init__.py": "",
      "proj/celery.py": py("from celery import Celery", "app = Celery('proj')"),
      "proj/tasks.py": py("from proj.celery import app", "from proj.models import Order", ...many(["a", "b", "c", "d", "e"])),
      ".semgrep/celery/rule.py": py("from proj.celery import app", "from proj.models import Order", ...many(["f", "g", "h", "i", "j", "k"])),
    });
    const findings = p.run(celeryTaskLimits).filter((f) => /time limit/.test(f.message));
    const service = findings.find((f) => f.evidence[0]?.file === "proj/celery.py");
    assert.match(service?.message ?? "", /^5 of 5 Celery tasks/);
    const fixture = findings.find((f) => f.evidence[0]?.file.startsWith(".semgrep/"));
    assert.equal(fixture?.severity, "low");
    assert.match(fixture?.message ?? "", /^6 of 6 Celery tasks/);
  });
});
