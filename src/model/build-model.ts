import { basename } from "node:path";
import type { Diagnostic } from "../core/diagnostics.js";
import { compareCodeUnits } from "../core/diagnostics.js";
import type { TestFileSummary } from "../python/parse-files.js";
import type { ProjectIndex } from "../python/project-index.js";
import type { FileSet } from "../workspace/types.js";
import { readCi } from "./deployment/ci.js";
import { readKubernetes } from "./deployment/kubernetes.js";
import { readProcfiles } from "./deployment/procfile.js";
import { readTerraform } from "./deployment/terraform.js";
import { readCompose } from "./deployment/compose.js";
import { readDockerfile } from "./deployment/dockerfile.js";
import { buildTargets, builtImages } from "./deployment/build-targets.js";
import { hostingPlatforms } from "./deployment/platforms.js";
import { hostUserMapping, readContainerScript, sampleDeployments, startScripts } from "./deployment/container-scripts.js";
import { edgeRateLimits } from "./deployment/edge-rate-limits.js";
import { dataModels } from "./data-models.js";
import { afterCommitHooks, databasePools } from "./pools.js";
import { operationsEvidence } from "./operations-evidence.js";
import { readDesignDocuments } from "./documents/find-documents.js";
import { allEndpoints } from "./endpoints/all.js";
import { unreadFrameworks } from "./endpoints/unread-frameworks.js";
import { graphqlModel } from "./endpoints/graphql.js";
import { websocketEndpoints } from "./endpoints/websockets.js";
import { readManifests } from "./manifests/dependencies.js";
import { readSecurityConfig } from "./deployment/security-config.js";
import { readSetupPy } from "./manifests/setup-py.js";
import { readToolConfig } from "./tool-config.js";
import { readHealthProbes } from "./health-probes.js";
import { detectTechnologies } from "./technologies.js";
import { importGraph } from "./import-graph.js";
import { settingsSources } from "./settings.js";
import { buildTopology } from "./topology.js";
import { readEnvFile } from "./deployment/env-files.js";
import { readHostRuntime } from "./deployment/host-configs.js";
import type { ConfigValue, ContainerScript, Dockerfile, SystemModel } from "./types.js";

/** `[project].name` or `[tool.poetry].name` of a pyproject.toml. */
function projectName(data: Record<string, unknown>): string[] {
  const project = data.project as { name?: unknown } | undefined;
  const poetry = (data.tool as { poetry?: { name?: unknown } } | undefined)?.poetry;
  return [project?.name, poetry?.name].filter((n): n is string => typeof n === "string");
}

export interface ModelResult {
  model: SystemModel;
  /** Parsed pyproject.toml documents (for `[tool.archscope]`). */
  pyprojects: Array<{ file: string; data: Record<string, unknown> }>;
  diagnostics: Diagnostic[];
}

/** Model stage: one picture of the system from the file set and the project index. */
export async function buildSystemModel(fileSet: FileSet, index: ProjectIndex, tests: TestFileSummary[], migrations: string[] = []): Promise<ModelResult> {
  const diagnostics: Diagnostic[] = [];
  const manifests = readManifests(fileSet.files);
  manifests.dependencies.push(...readSetupPy(index));
  diagnostics.push(...manifests.diagnostics);
  const configValues: ConfigValue[] = [];
  const dockerfiles = fileSet.files
    .filter((f) => f.kind === "dockerfile")
    .map((f) => readDockerfile(f, diagnostics, configValues))
    .filter((d): d is Dockerfile => d !== null);
  const containerScripts = fileSet.files.map(readContainerScript).filter((s): s is ContainerScript => s !== null);
  for (const d of dockerfiles) d.startScripts = startScripts(d, containerScripts);
  const composeServices = fileSet.files.filter((f) => f.kind === "compose").flatMap((f) => readCompose(f, diagnostics, configValues));
  for (const f of fileSet.files) if (f.kind === "env") configValues.push(...readEnvFile(f));
  const { endpoints, appFiles } = allEndpoints(index, fileSet.files);
  const images = dockerfiles.flatMap((d) => d.stages.map((s) => ({ image: s.image, file: d.file, line: s.line })));
  const technologies = detectTechnologies(manifests.dependencies, index, composeServices, configValues, images, fileSet.files);
  const procfile = readProcfiles(fileSet.files);
  const topology = buildTopology({ project: basename(fileSet.root), compose: composeServices, procfile, technologies, appFiles, index });
  const appCodeLines = [...index.modules.values()].reduce((sum, m) => sum + m.facts.codeLines, 0);
  const model: SystemModel = {
    dependencies: manifests.dependencies,
    lockFiles: manifests.lockFiles.sort(compareCodeUnits),
    technologies,
    endpoints,
    dockerfiles,
    composeServices,
    ci: readCi(fileSet.files, diagnostics),
    tests: { files: tests.length, paths: tests.map((t) => t.path).sort(compareCodeUnits), functions: tests.reduce((n, t) => n + t.tests, 0), appCodeLines },
    envFiles: fileSet.files
      .filter((f) => f.kind === "env")
      .map((f) => ({ file: f.path, tracked: f.tracked ?? null, gitignored: f.gitignored ?? false })),
    documents: fileSet.files.filter((f) => f.kind === "doc").map((f) => f.path),
    importGraph: importGraph(index),
    appFiles,
    manifests: fileSet.files.filter((f) => f.kind === "manifest").map((f) => f.path),
    components: topology.components,
    connections: topology.connections,
    settings: settingsSources(index, fileSet.files),
    dataModels: dataModels(index, migrations),
    kubernetes: readKubernetes(fileSet.files, diagnostics),
    terraform: await readTerraform(fileSet.files, diagnostics),
    procfile,
    migrations: [...migrations].sort(compareCodeUnits),
    configValues,
    buildTargets: buildTargets(fileSet.files),
    builtImages: builtImages(fileSet.files),
    platforms: hostingPlatforms(fileSet.files),
    containerScripts,
    hostUserMapping: hostUserMapping(dockerfiles, containerScripts, configValues),
    sampleDeployments: sampleDeployments(composeServices, manifests.pyprojects.flatMap((p) => projectName(p.data))),
    edgeRateLimits: edgeRateLimits(fileSet.files),
    databasePools: databasePools(index),
    afterCommitHooks: afterCommitHooks(index),
    designDocuments: readDesignDocuments(fileSet.files, new Set(fileSet.explicitDocuments ?? [])),
    websockets: websocketEndpoints(index),
    unreadFrameworks: unreadFrameworks(index),
    ...graphqlModel(index),
    operations: operationsEvidence(fileSet.files),
    securityConfig: readSecurityConfig(fileSet.files),
    hostRuntime: readHostRuntime(fileSet.files),
    toolConfigs: readToolConfig(fileSet.files, manifests.dependencies, diagnostics),
    healthProbes: readHealthProbes(fileSet.files),
  };
  return { model, pyprojects: manifests.pyprojects, diagnostics };
}
