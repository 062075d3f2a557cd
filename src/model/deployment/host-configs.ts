import { posix } from "node:path";
import { fileRole } from "../../core/file-roles.js";
import type { WorkspaceFile } from "../../workspace/types.js";

/** A file that deploys or runs the service outside containers and orchestrators, by what it configures. */
export interface HostConfig {
  kind: "systemd" | "supervisor" | "nginx" | "apache" | "caddy" | "uwsgi" | "gunicorn" | "ansible" | "serverless" | "platform" | "orchestration" | "terraform" | "deploy script";
  file: string;
}

/** A Python version the project declares for itself: `requires-python`, Poetry's `python`, `.python-version`, `runtime.txt`. */
export interface PythonDeclaration {
  file: string;
  line: number;
  /** As written: `>=3.8,<3.11`, `^3.9`, `3.9.18`. */
  spec: string;
  /** `exact`: the interpreter used (`.python-version`, `runtime.txt`); `range`: the versions supported (`requires-python`). */
  kind: "exact" | "range";
  source: "requires-python" | "poetry" | "pipfile" | ".python-version" | "runtime.txt" | ".tool-versions";
}

export interface HostRuntime {
  configs: HostConfig[];
  python: PythonDeclaration[];
}

/** Path patterns of deployment files the model does not read otherwise; the first that matches names the kind. */
const HOST_FILES: Array<{ kind: HostConfig["kind"]; path: RegExp }> = [
  { kind: "systemd", path: /(^|\/)[\w@.-]+\.(service|socket)$/ },
  { kind: "supervisor", path: /(^|\/)supervisord?\.(conf|ini)$|(^|\/)supervisord?(\.d)?\/(.+\/)?[^/]+\.(conf|ini)$|\.supervisor(d)?\.conf$/ },
  { kind: "nginx", path: /(^|\/)nginx[\w.-]*\.conf(\.template|\.tmpl|\.j2)?$|(^|\/)nginx\/.+\.(conf|template|j2)$|(^|\/)sites-(available|enabled)\/[^/]+$|\.nginx(\.conf)?$/ },
  { kind: "apache", path: /(^|\/)(httpd|apache2?)[\w.-]*\.conf$|(^|\/)apache2?\/.+\.conf$|\.wsgi$/ },
  { kind: "caddy", path: /(^|\/)Caddyfile[\w.-]*$/ },
  { kind: "uwsgi", path: /(^|\/)uwsgi[\w.-]*\.(ini|ya?ml|xml|json)$/ },
  { kind: "gunicorn", path: /(^|\/)gunicorn([._-]conf(ig)?)?\.py$|(^|\/)gunicorn[\w.-]*\.conf(\.py)?$/ },
  { kind: "ansible", path: /(^|\/)ansible\.cfg$|(^|\/)playbooks?\/[^/]+\.ya?ml$|(^|\/)playbook[\w.-]*\.ya?ml$|(^|\/)roles\/[^/]+\/tasks\/[^/]+\.ya?ml$/ },
  { kind: "serverless", path: /(^|\/)(serverless\.(ya?ml|json|ts)|zappa_settings\.(json|ya?ml|toml)|samconfig\.toml|template\.ya?ml|cdk\.json|Pulumi\.ya?ml|chalice\/config\.json|vercel\.json)$/ },
  { kind: "platform", path: /(^|\/)(\.ebextensions\/.+|\.platform\.app\.yaml|apprunner\.ya?ml|Dockerrun\.aws\.json|nixpacks\.toml|app\.json|\.do\/app\.yaml|cloudbuild\.ya?ml|appspec\.ya?ml|manifests?\/[\w.-]*\.ya?ml|manifest[\w.-]*\.ya?ml|\.kamal\/.+|config\/deploy\.yml)$/ },
  // Terraform files whose resources the model does not read (modules only, or HCL the parser rejects)
  { kind: "terraform", path: /\.tf(\.json)?$/ },
  { kind: "orchestration", path: /(^|\/)(kustomization\.ya?ml|skaffold\.ya?ml|helmfile\.ya?ml|Tiltfile|[\w-]+\.nomad(\.hcl)?|docker-stack[\w.-]*\.ya?ml|Chart\.yaml)$/ },
  { kind: "deploy script", path: /(^|\/)fabfile(\.py|\/__init__\.py)$|(^|\/)deploy(ment)?\/.+\.(sh|py)$|(^|\/)deploy[\w-]*\.sh$/ },
];

/** A `template.yaml` is an AWS SAM template only when it says so; a `manifest.yml` is Cloud Foundry's only with `applications:`. */
const NEEDS_TEXT: Array<{ base: RegExp; text: RegExp }> = [
  { base: /^template\.ya?ml$/, text: /AWS::Serverless|Transform:/ },
  { base: /(^|\/)manifests?\/|^manifest[\w.-]*\.ya?ml$/, text: /^applications:/m },
  { base: /^app\.json$/, text: /"(buildpacks|formation|addons|stack|scripts)"\s*:/ },
  { base: /^config\/deploy\.yml$/, text: /^service:|^image:/m },
];

/**
 * Deployment outside containers: unit files, process managers, web-server and application-server configuration,
 * Ansible, serverless and platform definitions, deploy scripts (files of tests and fixtures left out); and the
 * Python versions the project declares for itself.
 */
export function readHostRuntime(files: WorkspaceFile[]): HostRuntime {
  const configs: HostConfig[] = [];
  const python: PythonDeclaration[] = [];
  for (const file of files) {
    const role = fileRole(file.path);
    if (role === "test" || role === "fixture") continue;
    const kind = HOST_FILES.find((h) => h.path.test(file.path))?.kind;
    const base = posix.basename(file.path).toLowerCase();
    const check = NEEDS_TEXT.find((n) => n.base.test(base) || n.base.test(file.path));
    if (kind && (!check || (file.text !== undefined && check.text.test(file.text)))) configs.push({ kind, file: file.path });
    if (file.text !== undefined) python.push(...pythonDeclarations(file, base));
  }
  return { configs, python };
}

function pythonDeclarations(file: WorkspaceFile, base: string): PythonDeclaration[] {
  const text = file.text ?? "";
  const lines = text.split(/\r?\n/);
  const out: PythonDeclaration[] = [];
  const at = (pattern: RegExp, source: PythonDeclaration["source"], kind: PythonDeclaration["kind"]) => {
    lines.forEach((line, i) => {
      const m = pattern.exec(line);
      if (m?.[1]) out.push({ file: file.path, line: i + 1, spec: m[1].trim(), kind, source });
    });
  };
  if (base === "pyproject.toml") {
    at(/^\s*requires-python\s*=\s*["']([^"']+)["']/, "requires-python", "range");
    // `python = "^3.9"` under [tool.poetry.dependencies]
    let poetryDependencies = false;
    lines.forEach((line, i) => {
      const header = /^\s*\[([^\]]+)\]/.exec(line);
      if (header) poetryDependencies = header[1]?.trim() === "tool.poetry.dependencies";
      const m = poetryDependencies ? /^\s*python\s*=\s*["']([^"']+)["']/.exec(line) : null;
      if (m?.[1]) out.push({ file: file.path, line: i + 1, spec: m[1].trim(), kind: "range", source: "poetry" });
    });
  } else if (base === "pipfile") {
    at(/^\s*python_(?:full_)?version\s*=\s*["']([^"']+)["']/, "pipfile", "exact");
  } else if (base === ".python-version") {
    const i = lines.findIndex((l) => /^\s*\d+\.\d+/.test(l));
    if (i >= 0) out.push({ file: file.path, line: i + 1, spec: (lines[i] ?? "").trim(), kind: "exact", source: ".python-version" });
  } else if (base === "runtime.txt") {
    at(/^\s*python-(\d+\.\d+(?:\.\d+)?)\s*$/, "runtime.txt", "exact");
  } else if (base === ".tool-versions") {
    at(/^\s*python\s+(\d+\.\d+(?:\.\d+)?)/, ".tool-versions", "exact");
  }
  return out;
}
