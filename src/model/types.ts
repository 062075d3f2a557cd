import type { Maintenance, TechCategory } from "./catalog/types.js";
import type { ServerCommand } from "./deployment/server-command.js";

export type { ServerCommand };

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
  /** PEP 508 environment marker (`python_version < "3.11"`). */
  marker?: string;
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
  framework: WebFramework;
  auth: boolean | null;
  authReason: string;
  /** Declared public on purpose (`permission_classes = [AllowAny]`, `authentication_classes = ()`): what declares it. */
  declaredPublic?: string;
  /** Only served under this condition (a router included inside `if ...:`). */
  condition?: string;
  /** Functions that run for every request to this route (app, router, include and route `dependencies=`). */
  dependencies?: string[];
  /** How the collection is paginated (`limit/offset parameters`, `PageNumberPagination`), when it is. */
  pagination?: string;
  /** Request body schema (Pydantic model, DRF serializer, marshmallow schema) by name. */
  requestSchema?: string;
  /** Response schema by name (`response_model`, return annotation, serializer). */
  responseSchema?: string;
  /** Rate limit applied to the route (`slowapi 5/minute`, `AnonRateThrottle`). */
  rateLimit?: string;
}

export type WebFramework = "fastapi" | "starlette" | "flask" | "quart" | "django" | "drf" | "ninja" | "aiohttp" | "pyramid" | "litestar";

/** A web framework or RPC server the application uses whose handlers archscope does not read (Tornado, Sanic, gRPC...). */
export interface UnreadFramework {
  /** `Tornado`, `Sanic`, `gRPC`. */
  name: string;
  /** What one of its handlers is (`RequestHandler class`, `servicer class`). */
  unit: string;
  /** Handlers counted (handler classes, routed functions), null when only the server was seen. */
  handlers: number | null;
  /** Where the server is built or handlers declared, the first three places. */
  evidence: Evidence[];
}

/** A WebSocket endpoint: a FastAPI/Starlette websocket route, a Django Channels consumer, a Flask-SocketIO handler. */
export interface WebSocketEndpoint {
  /** URL path when routed by path; the event name (`connect`, `message`) for Flask-SocketIO handlers. */
  path: string;
  /** `module.qualname` of the handler (a function, or a Channels consumer class). */
  handler: string;
  file: string;
  line: number;
  framework: "fastapi" | "starlette" | "channels" | "socketio";
  /** Flask-SocketIO namespace (`/chat`), when one is given. */
  namespace?: string;
  auth: boolean | null;
  authReason: string;
}

/** A GraphQL schema the application builds, and the query depth/complexity limits applied to it. */
export interface GraphQLSchemaDef {
  library: "graphene" | "strawberry" | "ariadne" | "graphql-core";
  /** `module.name` of the schema object, or of the call building it. */
  name: string;
  file: string;
  line: number;
  /** URL paths the schema is served on, when the mount can be read. */
  routes: string[];
  /** Depth, complexity, token or alias limits applied to it (`QueryDepthLimiter(max_depth=10) (schema.py:12)`). */
  limits: string[];
}

/** One root field of a GraphQL schema (a query, mutation or subscription) with its resolver. */
export interface GraphQLOperation {
  /** The field name as declared (`gift_cards`, `createUser`). */
  name: string;
  kind: "query" | "mutation" | "subscription";
  library: "graphene" | "strawberry" | "ariadne";
  /** `module.qualname` of the resolver (method, function, or graphene Mutation class). */
  resolver: string;
  file: string;
  line: number;
  /** `module.name` of the schema it belongs to, null when no schema construction was found. */
  schema: string | null;
  /** URL path the schema is served on, when known. */
  route?: string;
  auth: boolean | null;
  authReason: string;
  /** Returns a list (`graphene.List`, `list[T]`, a connection), null when the type cannot be read. */
  returnsList: boolean | null;
  /** How the list is paginated (`first/after arguments`, `Relay connection`), when it is. */
  pagination?: string;
}

export interface ModelField {
  name: string;
  /** Column or field type as written (`String(120)`, `models.CharField`, `Mapped[int]`). */
  type: string | null;
  line: number;
  primaryKey?: boolean;
  nullable?: boolean | null;
  indexed?: boolean;
  unique?: boolean;
}

export interface ForeignKey {
  field: string;
  /** Target as written: `users.id`, `User`, `"auth.User"`. */
  target: string;
  line: number;
  /** Whether an index covers the column (explicit index, primary key, unique, or the ORM adds one itself as Django does). */
  indexed: boolean;
}

export interface Relationship {
  name: string;
  target: string;
  line: number;
  /** Loading strategy when set (`selectin`, `joined`, `select`, `dynamic`), null for the ORM default. */
  lazy: string | null;
}

export interface DataModel {
  orm: "sqlalchemy" | "sqlmodel" | "django" | "tortoise" | "peewee";
  /** `module.Class`. */
  name: string;
  table: string | null;
  file: string;
  line: number;
  fields: ModelField[];
  primaryKey: string[];
  foreignKeys: ForeignKey[];
  /** Composite and single-column indexes declared on the model (column names). */
  indexes: string[][];
  uniqueConstraints: string[][];
  relationships: Relationship[];
  /** Whether schema migrations exist for it (Alembic versions, the Django app's migrations package, Aerich); null when unknown. */
  migrated: boolean | null;
}

export interface Container {
  name: string;
  image: string | null;
  resources: { requests: boolean; limits: boolean };
  livenessProbe: boolean;
  readinessProbe: boolean;
  privileged: boolean;
  /** `runAsNonRoot: true` or a non-zero `runAsUser`; null when not set. */
  runsAsNonRoot: boolean | null;
}

/** The HPA or KEDA ScaledObject that scales a workload, with the replica bounds it states. */
export interface WorkloadScaler {
  kind: "HorizontalPodAutoscaler" | "ScaledObject";
  name: string;
  file: string;
  /** Line of `minReplicas:` (`minReplicaCount:`) when set, else of the scaler's `kind:`. */
  line: number;
  /** The floor the scaler keeps running, when set to a literal number (an HPA defaults to 1, KEDA to 0). */
  minReplicas: number | null;
  maxReplicas: number | null;
}

export interface KubernetesWorkload {
  /** The autoscaler that targets the workload; present only when one does. */
  scaler?: WorkloadScaler;
  file: string;
  line: number;
  kind: string;
  name: string;
  /** null when not set or templated. */
  replicas: number | null;
  containers: Container[];
  initContainers: string[];
  /** Whether an HPA (or KEDA ScaledObject) targets it. */
  autoscaled: boolean;
  /** From a Helm template: values may be unknown. */
  helm: boolean;
}

export interface TerraformResource {
  file: string;
  line: number;
  /** `aws_db_instance`. */
  type: string;
  name: string;
  /** Top-level attributes with literal values (interpolations kept as strings). */
  attributes: Record<string, unknown>;
}

export interface ProcfileEntry {
  file: string;
  line: number;
  process: string;
  command: string;
  server: ServerCommand | null;
}

export interface CiJob {
  name: string;
  line: number;
  tests: boolean;
  lint: boolean;
  typeCheck: boolean;
  audit: boolean;
  buildsImage: boolean;
  deploys: boolean;
  /** Task-runner targets and scripts it runs whose bodies could not be read and whose names say nothing (`make check`, `nox`): what they do is unknown. */
  unresolved?: string[];
}

export interface Component {
  name: string;
  kind: "service" | "worker" | "scheduler" | "datastore" | "proxy" | "external";
  technology: string | null;
  evidence: Evidence[];
  /** Data stores: the components that connect to it. */
  usedBy?: string[];
}

export interface Connection {
  from: string;
  to: string;
  /** How it is known: `DATABASE_URL`, `depends_on`, `celery broker`, `boto3 client`. */
  via: string;
  evidence: Evidence[];
}

export interface SettingsSource {
  file: string;
  line: number;
  kind: "django" | "pydantic" | "flask" | "dynaconf" | "file";
  name: string;
  /** Names of settings read from the environment (values never recorded). */
  fromEnvironment: string[];
  /** Names of settings with literal values in code. */
  literal: string[];
}

export interface DockerStage {
  image: string;
  line: number;
  alias: string | null;
  /** The stage's effective USER and commands (inherited from the stage it builds on), as when a build targets it. */
  user: { name: string; line: number } | null;
  command: { text: string; line: number } | null;
  entrypoint: { text: string; line: number } | null;
  /** The stage's own RUN instructions in order, continuation lines joined. */
  runs: Array<{ text: string; line: number }>;
  /** The stage's own COPY/ADD instructions in order; `from` names the stage or image of a `--from=` copy, null for the build context. */
  copies: Array<{ sources: string[]; dest: string; line: number; from: string | null }>;
  /** ENV and ARG values in effect at the end of the stage (with those of the stage it builds on). */
  env: Record<string, string>;
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
  /** The server the final command starts and its flags (gunicorn workers and worker class, uvicorn reload...). */
  server: ServerCommand | null;
  exposes: number[];
  /** Builds or runs Python (a Python base image, pip/uv/poetry installs, a Python server command). */
  runsPython: boolean;
  /** The final stage's COPY/ADD from the build context (not `--from`), inherited from the stage it builds on. */
  copies: Array<{ sources: string[]; dest: string; line: number }>;
  /** The final stage's ENV and ARG values, for expanding paths such as `$APP_HOME/run.sh`. */
  env: Record<string, string>;
  /** The final stage's WORKDIR, against which relative command paths (`./docker/entrypoint.sh`) resolve. */
  workdir: string | null;
  /** Repository paths of the scripts the final command runs (entrypoint scripts, supervisor services), see `ContainerScript`. */
  startScripts: string[];
}

/** A Dockerfile stage that CI or compose builds by name (`target: production`, `--target production`). */
export interface BuildTarget {
  /** The stage alias, lower case. */
  stage: string;
  file: string;
  line: number;
}

/** An image this repository builds and names (CI `tags:`, `docker build -t`). */
export interface BuiltImage {
  /** Lower-case name without the tag; may hold a CI variable (`${{ vars.REGISTRY }}/base`). */
  name: string;
  file: string;
  line: number;
}

/** A managed platform that runs the service, and where the repository says so. */
export interface HostingPlatform {
  name: "Heroku" | "Fly.io" | "Render" | "Google Cloud Run" | "Google App Engine" | "Railway" | "DigitalOcean App Platform";
  evidence: Evidence;
}

/** A shell script or supervisor service file an image may run at start. */
export interface ContainerScript {
  file: string;
  /** The first command that starts a program as another user (`exec gosu "$PUID" ...`, `s6-setuidgid app ...`). */
  privilegeDrop: { line: number; text: string } | null;
  /** The first use of a host user-mapping variable (PUID, PGID, USERMAP_UID, USERMAP_GID). */
  userMapping: { line: number; variable: string } | null;
}

/** `deploy.replicas` or `scale:` of a compose service, when a literal number. */
export interface ComposeReplicas {
  count: number;
  line: number;
  source: "deploy.replicas" | "scale";
}

export interface ComposeService {
  /** `deploy.replicas` or `scale:` when set to a literal number; absent or null when the file does not say. */
  replicas?: ComposeReplicas | null;
  file: string;
  name: string;
  line: number;
  image: string | null;
  build: boolean;
  /** The repository path of the Dockerfile the service builds, when it builds one from this repository. */
  dockerfile: string | null;
  command: string | null;
  server: ServerCommand | null;
  healthcheck: boolean;
  /** Environment variables; values that look secret are redacted, URLs keep all but their password. */
  environment: Array<{ key: string; value: string; line: number }>;
  dependsOn: string[];
  ports: string[];
  envFiles: string[];
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
  provider: "github" | "gitlab" | "circleci" | "azure" | "bitbucket" | "jenkins" | "travis" | "other";
  runsTests: boolean;
  lints: boolean;
  jobs: CiJob[];
}

export type Layer = "api" | "services" | "repositories" | "models" | "schemas" | "core" | "tasks";

export interface PackageNode {
  /** Dotted package name (`app.api.routes`). */
  name: string;
  /** The package's first file by path (its `__init__.py` when it has one). */
  file: string;
  modules: number;
  /** Layer inferred from the name, null when the name says nothing. */
  layer: Layer | null;
  /** Project packages that import this one. */
  fanIn: number;
  /** Project packages this one imports. */
  fanOut: number;
}

export interface ImportGraphSummary {
  modules: number;
  edges: number;
  packages: PackageNode[];
  cycles: Array<{ modules: string[]; evidence: Evidence[] }>;
}

/** A database connection pool the application creates, sized where the arguments are literal. */
export interface DatabasePool {
  file: string;
  line: number;
  library: "sqlalchemy" | "asyncpg" | "psycopg_pool";
  /** The factory, resolved (`sqlalchemy.create_engine`). */
  factory: string;
  /** Connections kept open (`pool_size`, `min_size`); null when not literal or left at the default. */
  poolSize: number | null;
  /** Connections opened beyond it on demand (`max_overflow`); null when not literal or left at the default. */
  maxOverflow: number | null;
  /** Hard maximum (`max_size`); null when not literal or left at the default. */
  maxSize: number | null;
  /** `poolclass=NullPool`: a connection per checkout, none kept. */
  nullPool: boolean;
  /** `**kwargs` passed: the sizes may be set there. */
  unknownArgs: boolean;
  snippet: string;
}

/** What the deployment and documents say about operating the service: backups, connection limits and poolers, TLS, access logs. */
export interface OperationsEvidence {
  /** Backup jobs and settings: pg_dump/pgbackrest/wal-g/velero commands, managed backups in IaC, a document section on backups. */
  backups: Evidence[];
  /** A `max_connections` the deployment sets (compose `-c max_connections=`, Helm values, a Terraform parameter group). */
  maxConnections: Array<Evidence & { value: number }>;
  /** PgBouncer, Pgpool-II, PgCat, Odyssey or RDS Proxy in the deployment files. */
  poolers: Evidence[];
  /** TLS configured in the deployment (Ingress `tls:`, cert-manager, ACME, load-balancer certificates, `sslmode=require`). */
  tls: Evidence[];
  /** Access logs turned on (gunicorn `--access-logfile`, nginx `access_log`, load-balancer `access_logs`, pgaudit). */
  accessLogs: Evidence[];
}

export type DocTopic = "authentication" | "monitoring" | "scaling" | "failure handling" | "backups and recovery" | "deployment" | "testing and delivery";

/** A technology or component a design document names (`concept` is a key of the document vocabulary). */
export interface DocMention {
  concept: string;
  line: number;
  /** The words as written (`Postgres`, `ElastiCache`). */
  text: string;
  /** Said not to be used ("we do not use Kafka", "instead of MongoDB"). */
  negated: boolean;
  /** Named as an option or example ("support for MySQL", "such as Kafka", a decision record's context): not a part of the system. */
  option?: boolean;
  /** The heading it sits under, lower case; `diagram` for a diagram label. */
  section: string;
}

/** A number the document states, with its unit normalised (req/s, msg/s, ms, GB, %). */
export interface DocNumber {
  kind: "throughput" | "messages" | "users" | "latency" | "data" | "availability" | "instances";
  value: number;
  unit: string;
  /** For latency: `p95`, `p99`, `median`, or `typical` for "under 200 ms" with no percentile. */
  percentile?: string;
  text: string;
  line: number;
}

/** A claim about every route: that each requires authentication, or sits under a version prefix. */
export interface DocClaim {
  kind: "auth" | "versioning";
  text: string;
  line: number;
  /** What the claim exempts ("login", "the product catalogue reads"). */
  exceptions: string[];
  /** For versioning: the prefix (`/api/v1`). */
  prefix?: string;
}

export interface DesignDiagram {
  kind: "flowchart" | "sequence" | "c4" | "plantuml" | "other";
  line: number;
  nodes: Array<{ id: string; label: string; line: number }>;
  edges: Array<{ from: string; to: string; label: string; line: number }>;
}

/** A design document read into facts, each with its line. */
export interface DesignDocument {
  file: string;
  /**
   * `design`: an architecture or design document (reviewed on its own); `adr`: a decision record;
   * `readme`: the architecture sections of a README (held against the code, not reviewed as a design).
   */
  role: "design" | "adr" | "readme";
  /** `component`: a design note kept beside one package's code (`rust_snuba/ARCHITECTURE.md`), not expected to cover the system. */
  scope?: "component";
  title: string;
  headings: Array<{ text: string; line: number; level: number }>;
  mentions: DocMention[];
  diagrams: DesignDiagram[];
  numbers: DocNumber[];
  claims: DocClaim[];
  /** The first line addressing each review topic. */
  topics: Partial<Record<DocTopic, number>>;
  /** Topics covered by the repository documents this one links to (relative links, one level), with the linked file. */
  linkedTopics?: Partial<Record<DocTopic, string>>;
  /** The first line naming each way of meeting a target (caching, scaling out, load testing, queueing, redundancy, indexing). */
  mechanisms: Partial<Record<"caching" | "scaling out" | "load testing" | "queueing" | "redundancy" | "indexing", number>>;
  /** Every word of the document (lower case, three letters or more, sorted): to tell whether it names a service at all. */
  words: string[];
  /** Architecture styles it says the system follows (monolith, microservices, event-driven...), each at its first line. */
  styles: Array<{ style: string; line: number }>;
  /** Stateful components said to run once ("one PostgreSQL instance"); `answered` when a replica or failover is named for the same component. */
  singletons: Array<{ concept: string; line: number; text: string; answered?: boolean }>;
  lines: number;
}

/**
 * A Kubernetes `kind: Secret` manifest with literal values (`data` decoded, `stringData` as written), judged as
 * SEC001 judges a secret when read: only the verdict and a redacted preview are kept, never the value.
 */
export interface KubernetesSecret {
  file: string;
  line: number;
  name: string;
  entries: Array<{ key: string; line: number; severity: "high" | "medium" | "low"; confidence: "high" | "medium" | "low"; kind: string; redacted: string }>;
}

/** Security settings outside the Python code: proxy/ingress security headers, dependency scanning, Secret manifests. */
export interface SecurityConfig {
  /** Security response headers set in deployment configuration (Traefik headers middleware, ingress annotations, header names in proxy config). */
  headers: Evidence[];
  /** Dependency vulnerability scanning: Dependabot for Python, Renovate, pip-audit/safety/osv-scanner/Trivy/Snyk/dependency-review in CI or pre-commit. */
  dependencyScanning: Evidence[];
  kubernetesSecrets: KubernetesSecret[];
}

/** A linter, formatter or type checker the repository configures (or only installs). */
export type CodeTool = "ruff" | "flake8" | "pylint" | "black" | "isort" | "mypy" | "pyright" | "pyre";
export type CodeToolKind = "linter" | "formatter" | "type-checker";

export interface ToolConfig {
  tool: CodeTool;
  kind: CodeToolKind;
  /** `config`: a `[tool.*]` table, its own file or a setup.cfg/tox.ini section; `pre-commit`: a hook; `dependency`: installed only, not configured. */
  source: "config" | "pre-commit" | "dependency";
  file: string;
  /** Line of the table, section or hook; null for a file that configures the tool by existing (`.pylintrc`). */
  line: number | null;
  /** What was found (`[tool.ruff]`, `pre-commit hook mypy`, `ruff >=0.5 (dev)`). */
  detail: string;
}

/** Where a container or orchestrator probes the service: Dockerfile HEALTHCHECK, compose healthcheck, Kubernetes probes. */
export interface HealthProbe {
  source: "dockerfile" | "compose" | "kubernetes";
  kind: "healthcheck" | "liveness" | "readiness" | "startup";
  /** URL path the probe requests (`/healthz`), null when it runs a command without a URL (`pg_isready`, a script). */
  path: string | null;
  /** The compose service the healthcheck belongs to. */
  service?: string;
  file: string;
  line: number;
  snippet: string;
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
  components: Component[];
  connections: Connection[];
  settings: SettingsSource[];
  dataModels: DataModel[];
  kubernetes: KubernetesWorkload[];
  terraform: TerraformResource[];
  procfile: ProcfileEntry[];
  /** Migration files (Alembic versions, Django migrations), sorted. */
  migrations: string[];
  /** Dockerfile stages built by name in CI or compose. */
  buildTargets: BuildTarget[];
  /** Images this repository builds and names. */
  builtImages: BuiltImage[];
  /** Managed platforms that run the service (Heroku, Fly.io, Render, Cloud Run...). */
  platforms: HostingPlatform[];
  /** Shell scripts and supervisor service files (entrypoints, start scripts, s6 `run` files). */
  containerScripts: ContainerScript[];
  /**
   * Where the container maps its user to the host's (PUID/PGID, USERMAP_UID): the convention of images that people
   * run on their own servers (self-hosted products), whose operators rarely run a tracker or metrics stack.
   */
  hostUserMapping: Evidence[];
  /** Sample deployments shipped for others to copy that run the project's own published image. */
  sampleDeployments: Evidence[];
  /** Rate limiting configured in front of the app (ingress annotations, Traefik/Kong/Envoy, WAF, API Gateway throttling). */
  edgeRateLimits: Evidence[];
  configValues: ConfigValue[];
  /** Database connection pools the application creates (`create_engine`, asyncpg and psycopg pools). */
  databasePools: DatabasePool[];
  /** Work deferred until the transaction commits (`transaction.on_commit(...)`) in application code. */
  afterCommitHooks: Evidence[];
  /** Design documents read into facts: architecture and design documents, decision records. */
  designDocuments: DesignDocument[];
  /** WebSocket endpoints (FastAPI/Starlette routes, Django Channels consumers, Flask-SocketIO handlers). */
  websockets: WebSocketEndpoint[];
  /** GraphQL schemas built by the application, with their query limits. */
  graphqlSchemas: GraphQLSchemaDef[];
  /** Root fields (queries, mutations, subscriptions) of the application's GraphQL schemas. */
  graphqlOperations: GraphQLOperation[];
  /** Web frameworks and RPC servers in the application code whose endpoints are not read, so absent from `endpoints` (absent in models built without code). */
  unreadFrameworks?: UnreadFramework[];
  /** Backups, connection limits, poolers, TLS and access logs the deployment and documents show (absent in models built without files). */
  operations?: OperationsEvidence;
  /** Security headers, dependency scanning and Secret manifests found in the deployment files (absent in models built without files). */
  securityConfig?: SecurityConfig;
  /** Linters, formatters and type checkers configured or installed (absent in models built without files). */
  toolConfigs?: ToolConfig[];
  /** Container and orchestrator health probes with the URL path they request (absent in models built without files). */
  healthProbes?: HealthProbe[];
  /**
   * Deployment outside containers and orchestrators (systemd units, supervisor, nginx, uWSGI, gunicorn config, Ansible,
   * Serverless...) and the Python version the project declares (requires-python, .python-version, runtime.txt); absent in models built without files.
   */
  hostRuntime?: import("./deployment/host-configs.js").HostRuntime;
}
