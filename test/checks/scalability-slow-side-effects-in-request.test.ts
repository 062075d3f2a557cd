import assert from "node:assert/strict";
import { describe, it } from "node:test";
import slowSideEffects from "../../src/checks/scalability/slow-side-effects-in-request.js";
import { locations, project, py } from "../helpers/project.js";

describe("PERF003 slow side effects inside the request", () => {
  it("fires on Django send_mail in a view through a helper, naming the chain and the task system", async () => {
    const p = await project({
      "requirements.txt": "django\ncelery\n",
      "shop/__init__.py": "",
      "shop/notify.py": py(
        "from django.core.mail import send_mail", // 1
        "",
        "def welcome(user):",
        "    send_mail('Welcome', 'hi', None, [user.email])", // 4
      ),
      "shop/views.py": py(
        "from django.http import HttpResponse", // 1
        "from shop.notify import welcome",
        "",
        "def register(request):", // 4
        "    welcome(request.user)", // 5
        "    return HttpResponse('ok')",
      ),
      "shop/urls.py": py("from django.urls import path", "from shop import views", "urlpatterns = [path('register/', views.register)]"),
    });
    const findings = p.run(slowSideEffects);
    assert.deepEqual(locations(findings), [["PERF003", "shop/views.py", 5]]);
    assert.equal(findings[0]?.severity, "medium");
    assert.match(findings[0]?.message ?? "", /views\.register sends email with Django mail while serving the request: views\.register → notify\.welcome → send_mail\(\)/);
    assert.match(findings[0]?.message ?? "", /already uses celery/);
  });

  it("fires on Flask-Mail in a Flask view", async () => {
    const p = await project({
      "web/app.py": py(
        "from flask import Flask", // 1
        "from flask_mail import Mail, Message",
        "app = Flask(__name__)",
        "mail = Mail(app)",
        "",
        '@app.route("/contact", methods=["POST"])',
        "def contact():",
        '    mail.send(Message("hi", recipients=["a@b.c"]))', // 8
        '    return "ok"',
      ),
    });
    const findings = p.run(slowSideEffects);
    assert.deepEqual(locations(findings), [["PERF003", "web/app.py", 8]]);
    assert.match(findings[0]?.message ?? "", /no background task system/);
  });

  it("stays quiet for mail sent from a task, a BackgroundTasks job, a queued Django backend or a management command", async () => {
    const p = await project({
      "requirements.txt": "django\ndjango-celery-email\nfastapi\n",
      "app/__init__.py": "",
      "app/mailer.py": py("import smtplib", "", "def send(to):", "    with smtplib.SMTP('localhost') as s:", "        s.sendmail('a', [to], 'x')"),
      "app/api.py": py(
        "from fastapi import BackgroundTasks, FastAPI",
        "from app.mailer import send",
        "app = FastAPI()",
        "",
        '@app.post("/signup")',
        "def signup(email: str, tasks: BackgroundTasks):",
        "    tasks.add_task(send, email)",
      ),
      "shop/views.py": py("from django.core.mail import send_mail", "from django.http import HttpResponse", "", "def register(request):", "    send_mail('s', 'b', None, ['x@y.z'])", "    return HttpResponse('ok')"),
      "shop/urls.py": py("from django.urls import path", "from shop import views", "urlpatterns = [path('register/', views.register)]"),
      "shop/management/commands/digest.py": py("from django.core.mail import send_mail", "", "def handle():", "    send_mail('s', 'b', None, ['x@y.z'])"),
    });
    assert.deepEqual(p.run(slowSideEffects), []);
  });
});

describe("PERF003 on an event loop", () => {
  it("says a sync mail library blocks the loop, and skips a send-test-email endpoint", async () => {
    const p = await project({
      "app/api.py": py(
        "import smtplib", // 1
        "from fastapi import FastAPI",
        "app = FastAPI()",
        "",
        "async def send(to):",
        "    with smtplib.SMTP('localhost') as s:",
        "        s.sendmail('a', [to], 'x')", // 7
        "",
        '@app.post("/invite")',
        "async def invite(to: str):",
        "    await send(to)", // 11
        "",
        '@app.post("/admin/testemail")',
        "async def api_test_email(to: str):",
        "    await send(to)",
      ),
    });
    const findings = p.run(slowSideEffects);
    assert.deepEqual(locations(findings), [["PERF003", "app/api.py", 11]]);
    assert.match(findings[0]?.message ?? "", /smtplib is synchronous, so every other request on the event loop waits too/);
  });
});

describe("PERF003 with Amazon SES", () => {
  it("fires on boto3 SES send_email in a Django view, once per function", async () => {
    const p = await project({
      "reg/__init__.py": "",
      "reg/email.py": py(
        "import boto3", // 1
        "",
        "def send(to, v2):",
        "    if v2:",
        '        boto3.client("sesv2").send_email(Destination=to)', // 5
        "    else:",
        '        ses = boto3.client("ses")',
        "        ses.send_email(Destination=to)", // 8
      ),
      "reg/views.py": py("from django.http import HttpResponse", "from reg.email import send", "", "def invite(request):", "    send(['a@b.c'], True)", "    return HttpResponse('ok')"),
      "reg/urls.py": py("from django.urls import path", "from reg import views", "urlpatterns = [path('invite/', views.invite)]"),
    });
    const findings = p.run(slowSideEffects);
    assert.deepEqual(locations(findings), [["PERF003", "reg/views.py", 5]]);
    assert.match(findings[0]?.message ?? "", /Amazon SES \(boto3\).*views\.invite → email\.send → boto3\.client\("sesv2"\)\.send_email\(\)/);
    assert.equal(findings[0]?.evidence.length, 3);
  });
});
