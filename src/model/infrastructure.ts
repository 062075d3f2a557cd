import type { ProjectIndex } from "../python/project-index.js";
import type { Technology } from "./types.js";

/** Knowledge about infrastructure as data: URL schemes, container images, Django engines, SDKs. */

export interface StoreKind {
  name: string;
  category: Technology["category"];
}

export const URL_SCHEMES: Record<string, StoreKind> = {
  postgres: { name: "PostgreSQL", category: "database" },
  postgresql: { name: "PostgreSQL", category: "database" },
  "postgresql+psycopg": { name: "PostgreSQL", category: "database" },
  "postgresql+psycopg2": { name: "PostgreSQL", category: "database" },
  "postgresql+asyncpg": { name: "PostgreSQL", category: "database" },
  mysql: { name: "MySQL", category: "database" },
  "mysql+pymysql": { name: "MySQL", category: "database" },
  "mysql+aiomysql": { name: "MySQL", category: "database" },
  mariadb: { name: "MariaDB", category: "database" },
  sqlite: { name: "SQLite", category: "database" },
  "sqlite+aiosqlite": { name: "SQLite", category: "database" },
  mongodb: { name: "MongoDB", category: "database" },
  "mongodb+srv": { name: "MongoDB", category: "database" },
  redis: { name: "Redis", category: "cache" },
  rediss: { name: "Redis", category: "cache" },
  amqp: { name: "RabbitMQ", category: "queue" },
  amqps: { name: "RabbitMQ", category: "queue" },
  kafka: { name: "Kafka", category: "queue" },
  memcache: { name: "Memcached", category: "cache" },
  sqs: { name: "Amazon SQS", category: "queue" },
  elasticsearch: { name: "Elasticsearch", category: "search" },
};

/** Images whose name tells which data store or infrastructure piece a service runs. */
export const IMAGE_TECHNOLOGIES: Array<{ pattern: RegExp; name: string; category: Technology["category"]; role: "datastore" | "proxy" }> = [
  { pattern: /(^|\/)(postgres|postgis\/postgis|bitnami\/postgresql|timescale\/timescaledb[\w-]*)(:|$)/, name: "PostgreSQL", category: "database", role: "datastore" },
  { pattern: /(^|\/)(mysql|bitnami\/mysql)(:|$)/, name: "MySQL", category: "database", role: "datastore" },
  { pattern: /(^|\/)(mariadb)(:|$)/, name: "MariaDB", category: "database", role: "datastore" },
  { pattern: /(^|\/)(mongo|bitnami\/mongodb)(:|$)/, name: "MongoDB", category: "database", role: "datastore" },
  { pattern: /(^|\/)(redis|valkey\/valkey|bitnami\/redis|redis\/redis-stack[\w-]*)(:|$)/, name: "Redis", category: "cache", role: "datastore" },
  { pattern: /(^|\/)(memcached)(:|$)/, name: "Memcached", category: "cache", role: "datastore" },
  { pattern: /(^|\/)(rabbitmq)(:|$)/, name: "RabbitMQ", category: "queue", role: "datastore" },
  { pattern: /(kafka)(:|$)/, name: "Kafka", category: "queue", role: "datastore" },
  { pattern: /(elasticsearch)(:|$)/, name: "Elasticsearch", category: "search", role: "datastore" },
  { pattern: /(opensearch)(:|$)/, name: "OpenSearch", category: "search", role: "datastore" },
  { pattern: /(^|\/)(minio\/minio|minio)(:|$)/, name: "MinIO", category: "storage", role: "datastore" },
  { pattern: /(^|\/)(nginx|nginxinc\/[\w-]+)(:|$)/, name: "nginx", category: "server", role: "proxy" },
  { pattern: /(^|\/)(traefik)(:|$)/, name: "Traefik", category: "server", role: "proxy" },
  { pattern: /(^|\/)(caddy)(:|$)/, name: "Caddy", category: "server", role: "proxy" },
  { pattern: /(^|\/)(haproxy)(:|$)/, name: "HAProxy", category: "server", role: "proxy" },
];

/** Django `ENGINE`/`BACKEND` strings in DATABASES and CACHES. */
export const DJANGO_BACKENDS: Array<{ pattern: RegExp; store: StoreKind }> = [
  { pattern: /django\.db\.backends\.postgresql|django\.contrib\.gis\.db\.backends\.postgis|psqlextra/, store: { name: "PostgreSQL", category: "database" } },
  { pattern: /django\.db\.backends\.mysql/, store: { name: "MySQL", category: "database" } },
  { pattern: /django\.db\.backends\.sqlite3/, store: { name: "SQLite", category: "database" } },
  { pattern: /django\.db\.backends\.oracle/, store: { name: "Oracle", category: "database" } },
  { pattern: /django_redis|backends\.redis\.RedisCache/, store: { name: "Redis", category: "cache" } },
  { pattern: /backends\.memcached/, store: { name: "Memcached", category: "cache" } },
];

/** Drivers and clients imported by code → the data store they talk to. */
export const DRIVER_STORES: Record<string, StoreKind> = {
  psycopg2: { name: "PostgreSQL", category: "database" },
  psycopg: { name: "PostgreSQL", category: "database" },
  asyncpg: { name: "PostgreSQL", category: "database" },
  pymysql: { name: "MySQL", category: "database" },
  MySQLdb: { name: "MySQL", category: "database" },
  aiomysql: { name: "MySQL", category: "database" },
  pymongo: { name: "MongoDB", category: "database" },
  motor: { name: "MongoDB", category: "database" },
  redis: { name: "Redis", category: "cache" },
  aioredis: { name: "Redis", category: "cache" },
  pymemcache: { name: "Memcached", category: "cache" },
  pika: { name: "RabbitMQ", category: "queue" },
  aio_pika: { name: "RabbitMQ", category: "queue" },
  confluent_kafka: { name: "Kafka", category: "queue" },
  aiokafka: { name: "Kafka", category: "queue" },
  elasticsearch: { name: "Elasticsearch", category: "search" },
  opensearchpy: { name: "OpenSearch", category: "search" },
};

/** SDKs of external services, by import prefix. */
export const EXTERNAL_SDKS: Array<{ prefix: string; name: string }> = [
  { prefix: "stripe", name: "Stripe" },
  { prefix: "braintree", name: "Braintree" },
  { prefix: "paypalrestsdk", name: "PayPal" },
  { prefix: "twilio", name: "Twilio" },
  { prefix: "slack_sdk", name: "Slack" },
  { prefix: "slack", name: "Slack" },
  { prefix: "sendgrid", name: "SendGrid" },
  { prefix: "mailchimp_transactional", name: "Mailchimp" },
  { prefix: "postmarker", name: "Postmark" },
  { prefix: "google.cloud.storage", name: "Google Cloud Storage" },
  { prefix: "google.cloud.pubsub", name: "Google Pub/Sub" },
  { prefix: "google.cloud.bigquery", name: "BigQuery" },
  { prefix: "azure.storage.blob", name: "Azure Blob Storage" },
  { prefix: "azure.servicebus", name: "Azure Service Bus" },
  { prefix: "firebase_admin", name: "Firebase" },
  { prefix: "openai", name: "OpenAI" },
  { prefix: "anthropic", name: "Anthropic" },
  { prefix: "sentry_sdk", name: "Sentry" },
  { prefix: "auth0", name: "Auth0" },
  { prefix: "keycloak", name: "Keycloak" },
];

/** `boto3.client("s3")` → the AWS service it talks to. */
export const AWS_SERVICES: Record<string, string> = {
  s3: "Amazon S3",
  ses: "Amazon SES",
  sesv2: "Amazon SES",
  sqs: "Amazon SQS",
  sns: "Amazon SNS",
  dynamodb: "Amazon DynamoDB",
  secretsmanager: "AWS Secrets Manager",
  kinesis: "Amazon Kinesis",
  lambda: "AWS Lambda",
  cognito_idp: "Amazon Cognito",
  "cognito-idp": "Amazon Cognito",
};

export interface ParsedUrl {
  scheme: string;
  host: string;
  store: StoreKind | null;
}

/** A connection URL's scheme and host (`postgresql+asyncpg://u:p@db:5432/x` → postgresql+asyncpg, db). */
export function parseConnectionUrl(value: string): ParsedUrl | null {
  // compose interpolation with a default: `${PAYMENT_API_URL:-https://sandbox.example/v2}`
  const interpolated = /^\$\{[A-Za-z_][A-Za-z0-9_]*:?-([^}]*)\}$/.exec(value.trim());
  const text = interpolated ? (interpolated[1] ?? "") : value.trim();
  const m = /^([a-z][a-z0-9+.-]*):\/\/(?:[^@/\s]*@)?(\[[^\]]+\]|[^:/?#\s$]*)/i.exec(text);
  if (!m?.[1]) return null;
  const scheme = m[1].toLowerCase();
  const host = (m[2] ?? "").toLowerCase();
  if (/[{}$]/.test(text.slice(scheme.length + 3, scheme.length + 3 + host.length + 2)) && !host) return { scheme, host: "", store: URL_SCHEMES[scheme] ?? null };
  return { scheme, host, store: URL_SCHEMES[scheme] ?? null };
}

/** Django settings modules: `settings.py`, `settings/*.py`, or a module named in `DJANGO_SETTINGS_MODULE`. */
export function isSettingsModule(name: string): boolean {
  return /(^|\.)settings(\.|$)|(^|\.)(config|conf)\.settings/.test(name);
}

/** Data stores Django's DATABASES/CACHES name, with the assignment line. */
export function djangoStores(index: ProjectIndex): Array<{ store: StoreKind; file: string; line: number; setting: string }> {
  const out: Array<{ store: StoreKind; file: string; line: number; setting: string }> = [];
  for (const mod of index.modules.values()) {
    if (!isSettingsModule(mod.name)) continue;
    for (const a of mod.facts.assignments) {
      if (a.target !== "DATABASES" && a.target !== "CACHES") continue;
      for (const backend of DJANGO_BACKENDS) if (backend.pattern.test(a.text)) out.push({ store: backend.store, file: mod.file, line: a.line, setting: a.target });
      for (const m of a.text.matchAll(/["']([a-z][a-z0-9+.-]*:\/\/[^"']+)["']/gi)) {
        const url = parseConnectionUrl(m[1] as string);
        if (url?.store) out.push({ store: url.store, file: mod.file, line: a.line, setting: a.target });
      }
    }
  }
  return out;
}
