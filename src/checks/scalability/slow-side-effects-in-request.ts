import { effectOf } from "../../python/effects.js";
import { defineCheck } from "../define.js";
import { shortName } from "../handlers.js";
import type { Report } from "../types.js";
import { bySite, callsOnRequestPath, describeRequestChain, requestEvidence, sinkFunction } from "./request-chains.js";

/** Calls that send an email, by resolved name: exact names, or a prefix with the sending methods below it. */
const MAIL: Array<{ prefix: string; methods?: RegExp; library: string }> = [
  { prefix: "smtplib.SMTP", methods: /^(\(\))?\.(sendmail|send_message)$/, library: "smtplib" },
  { prefix: "smtplib.SMTP_SSL", methods: /^(\(\))?\.(sendmail|send_message)$/, library: "smtplib" },
  { prefix: "django.core.mail.", methods: /^(send_mail|send_mass_mail|mail_admins|mail_managers|(EmailMessage|EmailMultiAlternatives)(\(\))?\.send)$/, library: "Django mail" },
  { prefix: "flask_mail.Mail", methods: /^(\(\))?\.send$/, library: "Flask-Mail" },
  { prefix: "flask_mailman.", methods: /^(send_mail|(EmailMessage|EmailMultiAlternatives)(\(\))?\.send)$/, library: "Flask-Mailman" },
  { prefix: "fastapi_mail.FastMail", methods: /^(\(\))?\.send_message$/, library: "fastapi-mail" },
  { prefix: "sendgrid.SendGridAPIClient", methods: /^(\(\))?\.send$/, library: "SendGrid" },
  { prefix: "boto3.client", methods: /^(\(\))?\.(send_email|send_raw_email|send_templated_email|send_bulk_email|send_bulk_templated_email)$/, library: "Amazon SES (boto3)" },
  { prefix: "yagmail.SMTP", methods: /^(\(\))?\.send$/, library: "yagmail" },
];

/** Django email backends that queue the message instead of sending it during the request. */
const QUEUED_MAIL = /^(django-celery-email|django-mailer|django-post-office|django-q-email)$/i;
/** A "send a test email" endpoint exists to report whether sending works: the wait is its purpose. */
const TEST_EMAIL = /test_?e?mail|mail_?test|send_?test/i;
const TASK_SYSTEMS = /^(celery|rq|django-rq|flask-rq2|dramatiq|huey|arq|taskiq|django-q2?|procrastinate)$/i;

function mailLibrary(resolved: string): string | null {
  for (const m of MAIL) {
    if (!resolved.startsWith(m.prefix)) continue;
    if (m.methods?.test(resolved.slice(m.prefix.length))) return m.library;
  }
  return null;
}

export default defineCheck({
  id: "PERF003",
  area: "scalability",
  title: "Slow side effects inside the request",
  severity: "medium",
  kind: "concern",
  confidence: "medium",
  why: "Sending email talks to an SMTP server or a mail API: typically 0.5–3 s, and sometimes a timeout. Done inside the request, the user waits for it, a worker is held for it, and when the mail provider is slow or down the request fails (or is retried by the client and sends twice) even though the real work succeeded.",
  recommendation: "Send the email from a background task (Celery, RQ, Dramatiq, arq, Huey) enqueued after the transaction commits, or use a queued mail backend (django-celery-email, django-mailer). FastAPI `BackgroundTasks` takes it out of the response time but loses the message if the process restarts: use a task queue for mail that must arrive.",
  example: {
    bad: "def register(request):\n    user = form.save()\n    send_mail('Welcome', body, None, [user.email])  # user waits for SMTP\n    return redirect('home')",
    good: "def register(request):\n    user = form.save()\n    transaction.on_commit(lambda: send_welcome_email.delay(user.id))\n    return redirect('home')",
  },
  references: ["https://docs.celeryq.dev/en/stable/userguide/tasks.html", "https://docs.djangoproject.com/en/stable/topics/email/#email-backends"],
  effort: "M",
  libraries: ["celery", "rq", "dramatiq", "arq", "django-celery-email"],
  dependsOn: [],
  run(input) {
    const deps = input.model.dependencies;
    const queuedDjangoMail = deps.some((d) => QUEUED_MAIL.test(d.name));
    const taskSystem = deps.find((d) => TASK_SYSTEMS.test(d.name) && !d.group)?.name ?? null;
    const calls = callsOnRequestPath(input, (resolved) => {
      const lib = mailLibrary(resolved);
      return lib !== null && !(lib === "Django mail" && queuedDjangoMail);
    })
      // on an event loop a blocking smtplib call is PERF001's (one call, one finding)
      .filter((c) => !(c.onLoop && effectOf(c.resolved)?.blocking) && !TEST_EMAIL.test(c.handler.slice(c.handler.lastIndexOf(".") + 1)));
    const reports: Report[] = [];
    for (const g of bySite(calls, sinkFunction)) {
      const lib = mailLibrary(g.first.resolved) as string;
      const sites = g.calls.map((c) => c.call).sort((a, b) => a.line - b.line);
      const sinkFile = g.first.steps[g.first.steps.length - 1]?.file ?? "";
      const others = g.handlers.length > 1 ? ` (${g.handlers.length} handlers reach it, for example ${g.handlers.slice(0, 3).map(shortName).join(", ")})` : "";
      const blocksLoop = g.onLoop && lib !== "fastapi-mail" ? ` The handler is \`async def\` and ${lib} is synchronous, so every other request on the event loop waits too.` : "";
      const queue = taskSystem ? `The project already uses ${taskSystem}: send it from a task.` : "The project has no background task system, so the email can only be sent inside the request today.";
      reports.push({
        message: `${shortName(g.first.handler)} sends email with ${lib} while serving the request: ${describeRequestChain(g.first.steps)}${others}. The response waits for the mail server and fails when it is slow or down.${blocksLoop} ${queue}`,
        evidence: [...requestEvidence(g.first.steps), ...sites.filter((s) => s !== g.first.call).map((s) => ({ file: sinkFile, line: s.line, snippet: s.snippet }))],
        confidence: g.first.steps.length > 3 ? "medium" : "high",
        severity: "medium",
      });
    }
    return reports;
  },
});
