/**
 * What a design document may name, and how the code's technologies realise it. A concept is matched in
 * prose by its terms (synonyms, managed-service names) and in the system model by technology names.
 * `family` groups flavours of one thing (MySQL and MariaDB): a difference within a family is a flavour
 * difference, not a missing component.
 */
export type ConceptKind = "database" | "cache" | "queue" | "task-runner" | "search" | "storage" | "auth" | "error-tracking" | "metrics" | "tracing";

export interface Concept {
  key: string;
  name: string;
  kind: ConceptKind;
  family: string;
  /** Matches the concept in prose (case-insensitive unless the term needs its case). */
  terms: RegExp;
  /** Matches the name of a model technology that realises it. */
  code: RegExp;
  /** Holds state: one instance of it is a single point of failure. */
  stateful?: boolean;
  /** Runtime dependencies (PyPI names) that realise it where the catalog has no technology for them. */
  packages?: RegExp;
}

export const CONCEPTS: Concept[] = [
  { key: "postgresql", name: "PostgreSQL", kind: "database", family: "postgresql", terms: /\b(postgres(?:ql)?|psql|aurora postgres(?:ql)?|cloud sql for postgres(?:ql)?|rds for postgres(?:ql)?)\b/i, code: /^PostgreSQL$/, stateful: true },
  { key: "mysql", name: "MySQL", kind: "database", family: "mysql", terms: /\b(mysql|aurora mysql)\b/i, code: /^MySQL$/, stateful: true },
  { key: "mariadb", name: "MariaDB", kind: "database", family: "mysql", terms: /\bmariadb\b/i, code: /^MariaDB$/, stateful: true },
  { key: "sqlite", name: "SQLite", kind: "database", family: "sqlite", terms: /\bsqlite3?\b/i, code: /^SQLite$/, stateful: true },
  { key: "mongodb", name: "MongoDB", kind: "database", family: "mongodb", terms: /\b(mongo(?:db)?|documentdb)\b/i, code: /^MongoDB$|^PyMongo$|^Motor$|^Beanie$|^MongoEngine$/, stateful: true },
  { key: "dynamodb", name: "DynamoDB", kind: "database", family: "dynamodb", terms: /\bdynamo(?:db)?\b/i, code: /DynamoDB|^PynamoDB$/, stateful: true },
  { key: "cassandra", name: "Cassandra", kind: "database", family: "cassandra", terms: /\b(cassandra|scylla(?:db)?)\b/i, code: /Cassandra|Scylla/, stateful: true },
  { key: "redis", name: "Redis", kind: "cache", family: "redis", terms: /\b(redis|elasticache|memorystore|valkey)\b/i, code: /^Redis$|^redis-py$|^django-redis$/, stateful: true },
  { key: "memcached", name: "Memcached", kind: "cache", family: "memcached", terms: /\bmemcached?\b/i, code: /^Memcached$|memcache/i, stateful: false, packages: /^(pymemcache|pylibmc|python-memcached|python-binary-memcached|django-bmemcached|aiomcache|emcache)$/ },
  { key: "rabbitmq", name: "RabbitMQ", kind: "queue", family: "rabbitmq", terms: /\b(rabbit(?:mq)?|amqp|amazon mq)\b/i, code: /^RabbitMQ$|^Pika$|^aio-pika$/, stateful: true },
  { key: "kafka", name: "Kafka", kind: "queue", family: "kafka", terms: /\b(kafka|msk|redpanda|event hubs)\b/i, code: /Kafka|^aiokafka$|^FastStream$/, stateful: true },
  { key: "sqs", name: "Amazon SQS", kind: "queue", family: "sqs", terms: /\b(sqs|simple queue service)\b/i, code: /SQS/, stateful: false },
  { key: "nats", name: "NATS", kind: "queue", family: "nats", terms: /\bnats\b/i, code: /nats/i, stateful: false },
  { key: "celery", name: "Celery", kind: "task-runner", family: "celery", terms: /\bcelery\b/i, code: /^Celery$/ },
  { key: "dramatiq", name: "Dramatiq", kind: "task-runner", family: "dramatiq", terms: /\bdramatiq\b/i, code: /^Dramatiq$/ },
  { key: "rq", name: "RQ", kind: "task-runner", family: "rq", terms: /\b(python-rq|RQ workers?|django-rq)\b/, code: /^RQ$/ },
  { key: "arq", name: "arq", kind: "task-runner", family: "arq", terms: /\barq\b/, code: /^arq$/ },
  { key: "elasticsearch", name: "Elasticsearch", kind: "search", family: "elasticsearch", terms: /\b(elastic ?search|opensearch|elastic cloud)\b/i, code: /Elasticsearch|OpenSearch/, stateful: true },
  { key: "meilisearch", name: "Meilisearch", kind: "search", family: "meilisearch", terms: /\bmeili ?search\b/i, code: /Meilisearch/, stateful: true },
  { key: "object-storage", name: "object storage (S3)", kind: "storage", family: "object-storage", terms: /\b(s3|object storage|minio|gcs|google cloud storage|azure blob(?: storage)?|blob storage)\b/i, code: /^Boto3$|^aioboto3$|^MinIO|Cloud Storage|Blob Storage|^django-storages$/ },
  { key: "jwt", name: "JWT", kind: "auth", family: "jwt", terms: /\b(jwts?|json web tokens?)\b/i, code: /^PyJWT$|^python-jose$|^Simple JWT$|^Flask-JWT-Extended$|^joserfc$|^FastAPI Users$|^Authlib$/ },
  { key: "oidc", name: "OAuth 2 / OpenID Connect", kind: "auth", family: "oidc", terms: /\b(oauth ?2?|openid connect|oidc|keycloak|auth0|okta|cognito)\b/i, code: /^Authlib$|^OAuthLib$|^django-allauth$|^Django OAuth Toolkit$|^python-keycloak$|^FastAPI Users$/ },
  { key: "sentry", name: "Sentry", kind: "error-tracking", family: "sentry", terms: /\bsentry\b/i, code: /^Sentry SDK$/ },
  { key: "prometheus", name: "Prometheus", kind: "metrics", family: "prometheus", terms: /\bprometheus\b/i, code: /Prometheus|^django-prometheus$/ },
  { key: "opentelemetry", name: "OpenTelemetry", kind: "tracing", family: "opentelemetry", terms: /\b(opentelemetry|otel)\b/i, code: /^OpenTelemetry/ },
  { key: "datadog", name: "Datadog", kind: "metrics", family: "datadog", terms: /\bdatadog\b/i, code: /^Datadog/ },
];

/** Kinds whose absence from a design document that describes the system is drift: the parts a reader must know exist. */
export const INFRASTRUCTURE_KINDS: ReadonlySet<ConceptKind> = new Set(["database", "cache", "queue", "task-runner", "search", "storage"]);

/** Words that, before a mention in the same clause, say the thing is not used. */
export const NEGATION = /\b(not|no|never|without|instead of|rather than|replaced|replacing|migrated (?:away )?from|moved away from|dropped|removed|deprecated|considered|rejected|avoid(?:ed|ing)?|no longer|nor|neither|alternatives?|vs\.?|versus|don't|do not|doesn't|does not|won't|will not)\b/i;

/** What answers a stated target (DOC005): words that show how the system meets it. */
export type Mechanism = "caching" | "scaling out" | "load testing" | "queueing" | "redundancy" | "indexing";

export const MECHANISMS: Record<Mechanism, RegExp> = {
  caching: /\b(cach\w*|cdn|memoi[sz]\w*)\b/i,
  "scaling out": /\b(autoscal\w*|horizontal\w*|replicas?|scale[sd]? out|scal(?:e|es|ing) horizontally|load[- ]balanc\w*|(?:two|three|four|several|multiple|\d+) (?:api |web |app )?(?:containers|instances|pods|nodes|replicas))\b/i,
  "load testing": /\b(load[- ]test\w*|stress[- ]test\w*|benchmark\w*|locust|k6|gatling|jmeter|capacity test\w*)\b/i,
  queueing: /\b(queue[sd]?|asynchronous\w*|background (?:jobs?|tasks?|workers?)|celery|workers?)\b/i,
  redundancy: /\b(failover|fail over|multi[- ]az|multi[- ]region|multiple (?:availability )?zones|standby|hot spare|high availability|\bha\b|redundan\w*|read replicas?|replica set|cluster(?:ed)?|active[- ](?:active|passive))\b/i,
  indexing: /\b(index(?:es|ed|ing)?|query plans?|explain analy[sz]e)\b/i,
};
