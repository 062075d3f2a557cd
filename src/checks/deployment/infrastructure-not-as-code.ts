import { fileRole, runsInProduction } from "../../core/file-roles.js";
import { isDevelopmentServer } from "../../model/deployment/server-command.js";
import type { ComposeService, SystemModel } from "../../model/types.js";
import { defineCheck } from "../define.js";
import { appFile } from "../handlers.js";

/** Compose files named for production or deployment (`docker-compose.prod.yml`, `compose.deploy.yaml`, `docker-stack.yml`). */
const PRODUCTION_COMPOSE = /(^|\/)(docker-)?(compose|stack)[-.](prod|production|deploy|release|live|stack)[\w.-]*\.ya?ml$|(^|\/)docker-stack[\w.-]*\.ya?ml$/;

/** A compose file that runs the service for production: named so, or running a production server (no reload, no runserver). */
function productionCompose(services: ComposeService[]): ComposeService | undefined {
  return (
    services.find((s) => PRODUCTION_COMPOSE.test(s.file)) ??
    services.find((s) => runsInProduction(fileRole(s.file)) && s.server !== null && !isDevelopmentServer(s.server) && (s.build || s.dockerfile !== null))
  );
}

/** What describes the infrastructure as code, by name, or null. */
export function infrastructureAsCode(model: SystemModel): string | null {
  if (model.terraform.length > 0) return "Terraform";
  if (model.kubernetes.length > 0) return model.kubernetes.some((w) => w.helm) ? "a Helm chart" : "Kubernetes manifests";
  const host = (model.hostRuntime?.configs ?? []).find((c) => c.kind === "ansible" || c.kind === "serverless" || c.kind === "platform" || c.kind === "orchestration" || c.kind === "terraform");
  if (host) return `${host.kind} configuration (${host.file})`;
  const platform = model.platforms[0];
  if (platform) return `${platform.name} configuration`;
  if (model.technologies.some((t) => t.category === "iac")) return "infrastructure code";
  // a compose file shipped for people to run the project's published image is how it is deployed
  const sample = model.sampleDeployments[0];
  if (sample) return `a sample deployment of the published image (${sample.file})`;
  const compose = productionCompose(model.composeServices);
  if (compose) return `a production compose file (${compose.file})`;
  return null;
}

export default defineCheck({
  id: "DEP010",
  area: "deployment",
  title: "Infrastructure not described as code",
  severity: "low",
  kind: "concern",
  confidence: "medium",
  why: "A production system whose servers, databases, networks and secrets were set up by hand in a console cannot be rebuilt after a loss, reviewed before a change, or copied faithfully into a staging environment; drift between environments is found during incidents.",
  recommendation: "Describe the production infrastructure in the repository (or a sibling infrastructure repository): Terraform or OpenTofu (or Pulumi, AWS CDK in Python) for the cloud resources, a Helm chart or Kubernetes manifests for the workloads, or the platform's own file (fly.toml, render.yaml, app.yaml) on a managed platform; apply it from CI.",
  example: { bad: "# Dockerfile only; the database, load balancer and DNS were created in the cloud console", good: '# infra/main.tf\nresource "aws_db_instance" "app" {\n  engine = "postgres"\n  backup_retention_period = 7\n  deletion_protection     = true\n}' },
  references: ["https://developer.hashicorp.com/terraform/intro", "https://www.pulumi.com/docs/iac/languages-sdks/python/", "https://12factor.net/dev-prod-parity"],
  effort: "L",
  libraries: ["pulumi", "aws-cdk-lib"],
  run({ model, context }) {
    if (context.stage !== "production" && context.stage !== "scale") return [];
    if (!model.hostRuntime || model.importGraph.modules === 0) return [];
    if (infrastructureAsCode(model)) return [];
    const shipped = (file: string) => runsInProduction(fileRole(file));
    const dockerfile = model.dockerfiles.find((d) => shipped(d.file))?.file;
    const compose = model.composeServices.find((c) => shipped(c.file))?.file;
    const host = model.hostRuntime.configs.find((c) => shipped(c.file));
    const present = [
      dockerfile ? `a Dockerfile (${dockerfile})` : null,
      compose ? `a compose file (${compose})` : null,
      model.procfile[0] ? `a Procfile (${model.procfile[0].file})` : null,
      host ? `${host.kind} configuration (${host.file})` : null,
    ].filter((p): p is string => p !== null);
    const first = dockerfile ?? compose ?? appFile(model);
    return [{
      message: `The review context says ${context.stage}, but no infrastructure is described as code: looked for Terraform, Kubernetes manifests or a Helm chart, Pulumi or AWS CDK, Ansible, Serverless or platform files (fly.toml, render.yaml, app.yaml, railway.json, App Runner, Elastic Beanstalk) and a production compose file, and found none.${present.length ? ` The repository has ${present.join(", ")}, which builds or runs the service but not the infrastructure around it.` : ""} If the infrastructure lives in another repository, this does not apply.`,
      evidence: [{ file: first, line: null }],
    }];
  },
});
