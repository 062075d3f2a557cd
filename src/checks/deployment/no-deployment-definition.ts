import { fileRole, runsInProduction } from "../../core/file-roles.js";
import type { SystemModel } from "../../model/types.js";
import { defineCheck } from "../define.js";
import { appFile } from "../handlers.js";

/**
 * A service, not a library: routes served by an application object created in the project's own code (not a test
 * or an example), and for Django a settings module of its own (a reusable app has none).
 */
export function isBackend(model: SystemModel): boolean {
  const served = model.endpoints.filter((e) => runsInProduction(fileRole(e.file)));
  if (served.length === 0 && !(model.unreadFrameworks ?? []).some((f) => f.evidence.some((e) => runsInProduction(fileRole(e.file))))) return false;
  if (served.length > 0 && served.every((e) => e.framework === "django" || e.framework === "drf" || e.framework === "ninja")) {
    return model.settings.some((s) => s.kind === "django" && runsInProduction(fileRole(s.file)));
  }
  return model.appFiles.some((f) => runsInProduction(fileRole(f))) || served.length === 0;
}

export default defineCheck({
  id: "DEP001",
  area: "deployment",
  title: "No container or deployment definition",
  severity: "low",
  kind: "concern",
  confidence: "medium",
  why: "When nothing in the repository says how the service is built and run (image, process manager, platform, infrastructure), every deployment is rebuilt by hand from someone's memory: environments drift apart, a lost server takes the knowledge with it, and nobody can review or reproduce what runs in production.",
  recommendation: "Describe the runtime in the repository: a Dockerfile (with a compose file for local runs) or a platform file (fly.toml, render.yaml, app.yaml, a Procfile), and the infrastructure as code (Terraform, Helm) once there is more than one environment. For a service on its own server, commit the systemd unit, the gunicorn/uWSGI configuration and the nginx site.",
  example: { bad: "# app/ and requirements.txt only: deployed by hand over SSH", good: '# Dockerfile\nFROM python:3.12-slim\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . /app\nCMD ["gunicorn", "app.wsgi", "--bind", "0.0.0.0:8000"]' },
  references: ["https://12factor.net/build-release-run", "https://docs.docker.com/get-started/docker-concepts/building-images/writing-a-dockerfile/"],
  effort: "M",
  libraries: ["gunicorn", "uvicorn"],
  run({ model }) {
    // a model built without the deployment files cannot tell absence
    if (!model.hostRuntime || !isBackend(model)) return [];
    const defined =
      model.dockerfiles.length > 0 ||
      model.composeServices.length > 0 ||
      model.kubernetes.length > 0 ||
      model.terraform.length > 0 ||
      model.procfile.length > 0 ||
      model.platforms.length > 0 ||
      model.hostRuntime.configs.length > 0 ||
      model.technologies.some((t) => t.category === "iac" || t.category === "orchestration" || t.category === "container");
    if (defined) return [];
    return [{
      message: "The repository has no container or deployment definition: no Dockerfile, compose file, Kubernetes manifests or Helm chart, Terraform, Procfile or platform file (fly.toml, render.yaml, app.yaml, railway.json), and no host configuration (systemd unit, supervisor, nginx, uWSGI or gunicorn config). If it is deployed from another repository, this does not apply.",
      evidence: [{ file: appFile(model), line: null }],
    }];
  },
});
