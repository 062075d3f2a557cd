import { fileRole, runsInProduction } from "../../core/file-roles.js";
import { isDevelopmentServer } from "../../model/deployment/server-command.js";
import type { Evidence } from "../../model/types.js";
import { defineCheck } from "../define.js";

/** Terraform resources that run the service on a platform whose health checks live in its own configuration (target groups, Cloud Run probes). */
const PLATFORM_SERVICE = /^(aws_ecs_service|aws_ecs_task_definition|aws_apprunner_service|aws_lb_target_group|google_cloud_run_(v2_)?service|azurerm_container_app|azurerm_linux_web_app)$/;

export default defineCheck({
  id: "DEP005",
  area: "deployment",
  title: "No container health check and no orchestrator probes",
  severity: "low",
  kind: "concern",
  confidence: "medium",
  why: "Without a HEALTHCHECK or liveness/readiness probes, nothing restarts a process that is up but hung (a deadlock, an exhausted pool), and a load balancer keeps routing requests to an instance that cannot serve them until someone notices.",
  recommendation: "Give the runtime a way to ask: a `HEALTHCHECK` in the Dockerfile or a compose `healthcheck:`, or Kubernetes liveness and readiness probes against a health endpoint (django-health-check, fastapi-health, a `/healthz` route that checks the database).",
  example: {
    bad: 'FROM python:3.12-slim\nCMD ["gunicorn", "app.wsgi"]',
    good: 'FROM python:3.12-slim\nHEALTHCHECK --interval=30s --timeout=3s CMD curl -fsS http://localhost:8000/healthz || exit 1\nCMD ["gunicorn", "app.wsgi"]',
  },
  references: ["https://docs.docker.com/reference/dockerfile/#healthcheck", "https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/"],
  effort: "S",
  libraries: ["django-health-check", "fastapi-health"],
  run({ model }) {
    // any health check the deployment declares counts: the runtime that uses it is the one that runs the service
    if (model.dockerfiles.some((d) => d.healthcheck)) return [];
    if (model.composeServices.some((c) => c.healthcheck && (c.build || c.dockerfile !== null))) return [];
    // Kubernetes workloads: DEP008 reports each one without probes (and Helm values may set them)
    if (model.kubernetes.length > 0) return [];
    // ECS, Cloud Run, App Runner: health checks are set on the platform (target groups, service probes), which is not read here
    if (model.terraform.some((t) => PLATFORM_SERVICE.test(t.type))) return [];
    // managed platforms check an HTTP path of their own configuration (Fly.io, Render, App Engine)
    if (model.platforms.length > 0) return [];
    const images: Evidence[] = [];
    for (const d of model.dockerfiles) {
      if (!d.runsPython || !runsInProduction(fileRole(d.file))) continue;
      // an image that only compose's development server runs is a development image
      const builders = model.composeServices.filter((c) => c.dockerfile === d.file);
      if (builders.length > 0 && builders.every((c) => isDevelopmentServer(c.server))) continue;
      // a base image with no command of its own starts nothing to check
      if (!d.command && !d.entrypoint) continue;
      const final = d.stages[d.stages.length - 1];
      images.push({ file: d.file, line: final?.line ?? 1, snippet: `FROM ${final?.image ?? ""}` });
    }
    if (images.length === 0) return [];
    const where = model.composeServices.length > 0 ? `, and no compose service that builds ${images.length > 1 ? "them" : "it"} has a \`healthcheck:\`` : "";
    const names = images.map((e) => e.file).join(", ");
    return [{ message: `The service image${images.length > 1 ? "s" : ""} (${names}) declare${images.length > 1 ? "" : "s"} no HEALTHCHECK${where}: nothing restarts a hung process or takes it out of rotation.`, evidence: images }];
  },
});
