import type { TechCategory, Maintenance } from "./catalog/types.js";

/** A place in the reviewed repository. `line` is null only for findings about something absent. */
export interface Evidence {
  file: string;
  line: number | null;
  endLine?: number;
  snippet?: string;
}

export interface Dependency {
  /** Normalised PyPI name (PEP 503: lower-case, runs of `-_.` as `-`). */
  name: string;
  /** Version specifier as written (`>=2.0,<3`), empty when none. */
  spec: string;
  pinned: boolean;
  dev: boolean;
  /** Group or extra it belongs to (`dev`, `test`), null for the main dependencies. */
  group: string | null;
  manifest: string;
  line: number;
}

export interface Technology {
  name: string;
  category: TechCategory;
  /** PyPI package, when the technology is a Python package. */
  package?: string;
  note?: string;
  maintenance?: Maintenance;
  alternative?: string;
  evidence: Evidence[];
}

export interface Endpoint {
  method: string;
  path: string;
  /** `module.qualname` of the handler. */
  handler: string;
  file: string;
  line: number;
  isAsync: boolean;
  framework: "fastapi";
  auth: boolean | null;
  authReason: string;
  /** Only served under this condition (a router included inside `if ...:`). */
  condition?: string;
  /** Functions that run for every request to this route (app, router, include and route `dependencies=`). */
  dependencies?: string[];
}

export interface DockerStage {
  image: string;
  line: number;
  alias: string | null;
}

export interface Dockerfile {
  file: string;
  stages: DockerStage[];
  /** The final stage's effective USER, null when it runs as root by default. */
  user: { name: string; line: number } | null;
  healthcheck: boolean;
  /** The final stage's CMD and ENTRYPOINT (inherited from the stage it builds on when it sets none). */
  command: { text: string; line: number } | null;
  entrypoint: { text: string; line: number } | null;
  exposes: number[];
  /** Builds or runs Python (a Python base image, pip/uv/poetry installs, a Python server command). */
  runsPython: boolean;
}

export interface ComposeService {
  file: string;
  name: string;
  line: number;
  image: string | null;
  build: boolean;
  command: string | null;
  healthcheck: boolean;
}

/** A literal configuration value (env file, compose environment, Dockerfile ENV/ARG). Values never leave the process unredacted. */
export interface ConfigValue {
  file: string;
  line: number;
  key: string;
  value: string;
  origin: "env" | "compose" | "dockerfile";
}

export interface TestInventory {
  files: number;
  /** Test file paths, sorted. */
  paths: string[];
  functions: number;
  /** Share of application code lines to test functions, for CODE004. */
  appCodeLines: number;
}

export interface CiPipeline {
  file: string;
  runsTests: boolean;
  lints: boolean;
}

export interface ImportGraphSummary {
  modules: number;
  edges: number;
  cycles: Array<{ modules: string[]; evidence: Evidence[] }>;
}

export interface SystemModel {
  dependencies: Dependency[];
  lockFiles: string[];
  technologies: Technology[];
  endpoints: Endpoint[];
  dockerfiles: Dockerfile[];
  composeServices: ComposeService[];
  ci: CiPipeline[];
  tests: TestInventory;
  envFiles: Array<{ file: string; tracked: boolean | null; gitignored: boolean }>;
  documents: string[];
  importGraph: ImportGraphSummary;
  /** Where the ASGI/WSGI application object is created (for findings about absent things). */
  appFiles: string[];
  manifests: string[];
  /** Migration files (Alembic versions, Django migrations), sorted. */
  migrations: string[];
  configValues: ConfigValue[];
}
