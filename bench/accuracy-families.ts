/**
 * Families of vulnerabilities the accuracy benchmark scores (bench/accuracy.ts), and how each labelled
 * corpus and each tool names them: semgrep-rules rule ids (the `# ruleid:` / `# ok:` labels), archscope
 * check ids, Ruff codes (`S`, `ASYNC`) and Bandit test ids. A family is covered by archscope when one of
 * its check ids is registered in src/checks/registry.ts at the time the benchmark runs.
 */

export interface Family {
  /** Short key used in the tables. */
  id: string;
  title: string;
  /** archscope check ids that report this family (empty: no check planned in the catalog). */
  checks: readonly string[];
  /** semgrep-rules rule ids, as written after `ruleid:` / `ok:` (the last dotted segment of a long id). */
  semgrep: readonly string[];
  /** Rule ids matched by pattern when the family has many near-identical ones. */
  semgrepPatterns?: readonly RegExp[];
  /** Ruff rule codes, selected with `--select S,ASYNC`. */
  ruff: readonly string[];
  /** Bandit test ids. */
  bandit: readonly string[];
}

const SQL_DRIVERS = ["aiopg-sqli", "asyncpg-sqli", "pg8000-sqli", "psycopg-sqli", "mysql-sqli", "pymssql-sqli", "pymysql-sqli", "sqlalchemy-sqli"];
const SPAWN_RULES = ["dangerous-os-exec", "dangerous-spawn-process", "dangerous-subprocess-use", "dangerous-system-call", "dangerous-asyncio-shell", "dangerous-asyncio-exec", "dangerous-asyncio-create-exec"];
const CODE_RUN_RULES = ["dangerous-interactive-code-run", "dangerous-subinterpreters-run-string", "dangerous-testcapi-run-in-subinterp"];

/** The families archscope's catalog has a check for (or is getting one), in catalog order. */
export const FAMILIES: readonly Family[] = [
  {
    id: "secrets",
    title: "hardcoded secrets",
    checks: ["SEC001"],
    semgrep: ["hardcoded-token", "avoid_hardcoded_config_SECRET_KEY", "jwt-python-hardcoded-secret", "hardcoded-password-default-argument"],
    ruff: ["S105", "S106", "S107"],
    bandit: ["B105", "B106", "B107"],
  },
  {
    id: "debug",
    title: "debug mode on",
    checks: ["SEC002", "SEC027"],
    // not `avoid_hardcoded_config_DEBUG`/`_ENV`: they flag any literal value, `DEBUG = False` included
    semgrep: ["debug-enabled"],
    ruff: ["S201"],
    bandit: ["B201"],
  },
  {
    id: "sql",
    title: "SQL injection",
    checks: ["SEC003"],
    semgrep: [
      ...SQL_DRIVERS,
      "tainted-sql-string",
      "formatted-sql-query",
      "sqlalchemy-execute-raw-query",
      "sqlalchemy-sql-injection",
      "avoid-sqlalchemy-text",
      "avoid-raw-sql",
      "avoid-query-set-extra",
      "custom-expression-as-sql",
      "extends-custom-expression",
      "sql-injection-using-extra-where",
      "sql-injection-using-rawsql",
      "sql-injection-db-cursor-execute",
      "sql-injection-using-raw",
      "pyramid-sqlalchemy-sql-injection",
    ],
    ruff: ["S608", "S610", "S611"],
    bandit: ["B608", "B610", "B611"],
  },
  {
    id: "command",
    title: "command injection",
    checks: ["SEC004"],
    semgrep: [
      "subprocess-shell-true",
      "subprocess-injection",
      "os-system-injection",
      "command-injection-os-system",
      "formatted-string-bashoperator",
      "paramiko-exec-command",
      "system-wildcard-detected",
      "string-concat",
    ],
    semgrepPatterns: SPAWN_RULES.map((r) => new RegExp(`^${r}(-audit|-tainted-env-args)?$`)),
    ruff: ["S601", "S602", "S603", "S604", "S605", "S606", "S607", "S609"],
    bandit: ["B404", "B601", "B602", "B603", "B604", "B605", "B606", "B607", "B609"],
  },
  {
    id: "eval",
    title: "eval / exec of non-constant code",
    checks: ["SEC005"],
    semgrep: [
      "eval-detected",
      "exec-detected",
      "user-eval",
      "user-exec",
      "user-eval-format-string",
      "user-exec-format-string",
      "eval-injection",
      "exec-injection",
      "tainted-code-exec",
      "globals-misuse-code-execution",
      "dangerous-globals-use",
    ],
    semgrepPatterns: CODE_RUN_RULES.map((r) => new RegExp(`^${r}(-audit|-tainted-env-args)?$`)),
    ruff: ["S102", "S307"],
    bandit: ["B102", "B307"],
  },
  {
    id: "deserialization",
    title: "unsafe deserialization",
    checks: ["SEC006"],
    semgrep: [
      "avoid-pickle",
      "avoid-cPickle",
      "avoid-dill",
      "avoid-shelve",
      "avoid-jsonpickle",
      "avoid-pyyaml-load",
      "avoid-unsafe-ruamel",
      "marshal-usage",
      "multiprocessing-recv",
      "avoid-insecure-deserialization",
      "insecure-deserialization",
      "tainted-pickle-deserialization",
    ],
    ruff: ["S301", "S302", "S403", "S506"],
    bandit: ["B301", "B302", "B403", "B506"],
  },
  {
    id: "password-hash",
    title: "weak password hashing",
    checks: ["SEC007"],
    semgrep: ["md5-used-as-password"],
    ruff: [],
    bandit: [],
  },
  {
    id: "weak-crypto",
    title: "weak cryptography",
    checks: ["SEC008"],
    semgrep: ["insecure-hash-function", "insecure-cipher-mode-ecb", "crypto-mode-without-authentication", "empty-aes-key"],
    semgrepPatterns: [/^insecure-hash-algorithm-/, /^insecure-cipher-algorithm-/, /^insufficient-(rsa|dsa|ec)-key-size$/],
    ruff: ["S303", "S304", "S305", "S311", "S324", "S505"],
    bandit: ["B303", "B304", "B305", "B311", "B324", "B505"],
  },
  {
    id: "jwt",
    title: "JWT verification weakened",
    checks: ["SEC009"],
    semgrep: ["unverified-jwt-decode", "jwt-python-none-alg"],
    ruff: [],
    bandit: [],
  },
  {
    id: "tls",
    title: "TLS verification off",
    checks: ["SEC010"],
    semgrep: ["disabled-cert-validation", "unverified-ssl-context"],
    ruff: ["S323", "S501"],
    bandit: ["B323", "B501"],
  },
  {
    id: "cors",
    title: "CORS any origin",
    checks: ["SEC011"],
    semgrep: ["wildcard-cors"],
    ruff: [],
    bandit: [],
  },
  {
    id: "csrf",
    title: "CSRF protection off",
    checks: ["SEC012"],
    semgrep: ["no-csrf-exempt", "flask-wtf-csrf-disabled"],
    semgrepPatterns: [/^pyramid-csrf-/],
    ruff: [],
    bandit: [],
  },
  {
    id: "xss",
    title: "XSS / template injection",
    checks: ["SEC013"],
    semgrep: [
      "avoid-mark-safe",
      "class-extends-safestring",
      "context-autoescape-off",
      "global-autoescape-off",
      "direct-use-of-httpresponse",
      "filter-with-is-safe",
      "formathtml-fstring-parameter",
      "html-magic-method",
      "html-safe",
      "raw-html-format",
      "reflected-data-httpresponse",
      "reflected-data-httpresponsebadrequest",
      "xss-html-email-body",
      "xss-send-mail-html-message",
      "render-template-string",
      "dangerous-template-string",
      "directly-returned-format-string",
      "make-response-with-unknown-content",
      "unescaped-template-extension",
      "response-contains-unsanitized-input",
      "direct-use-of-jinja2",
      "explicit-unescape-with-markup",
      "incorrect-autoescape-disabled",
      "missing-autoescape-disabled",
      "tainted-html-string",
      "mako-templates-detected",
      "pyramid-direct-use-of-response",
    ],
    ruff: ["S308", "S701", "S702", "S704"],
    bandit: ["B308", "B701", "B702", "B703"],
  },
  {
    id: "ssrf",
    title: "SSRF",
    checks: ["SEC020"],
    semgrep: ["ssrf-injection-requests", "ssrf-injection-urllib", "ssrf-requests", "tainted-url-host", "flask-api-method-string-format"],
    ruff: [],
    bandit: [],
  },
  {
    id: "path-traversal",
    title: "path traversal",
    checks: ["SEC021"],
    semgrep: ["path-traversal-file-name", "path-traversal-join", "path-traversal-open", "request-data-fileresponse", "avoid_send_file_without_path_sanitization"],
    ruff: ["S202"],
    bandit: ["B202"],
  },
  {
    id: "open-redirect",
    title: "open redirect",
    checks: ["SEC022"],
    semgrep: ["open-redirect"],
    ruff: [],
    bandit: [],
  },
  {
    id: "xml",
    title: "XML parsed unsafely",
    checks: ["SEC023"],
    semgrep: ["use-defused-xml", "use-defused-xml-parse", "use-defused-xmlrpc"],
    ruff: ["S313", "S314", "S315", "S316", "S317", "S318", "S319", "S320", "S405", "S406", "S407", "S408", "S409", "S410", "S411"],
    bandit: ["B313", "B314", "B315", "B316", "B317", "B318", "B319", "B320", "B405", "B406", "B407", "B408", "B409", "B410", "B411"],
  },
  {
    id: "sensitive-logging",
    title: "secrets logged",
    checks: ["SEC024"],
    semgrep: ["python-logger-credential-disclosure"],
    ruff: [],
    bandit: [],
  },
  {
    id: "mass-assignment",
    title: "mass assignment",
    checks: ["SEC025"],
    semgrep: ["mass-assignment"],
    ruff: [],
    bandit: [],
  },
  {
    id: "blocking-async",
    title: "blocking call in async",
    checks: ["PERF001", "DB006"],
    semgrep: ["sync-sleep-in-async-code"],
    ruff: ["ASYNC210", "ASYNC212", "ASYNC220", "ASYNC221", "ASYNC222", "ASYNC230", "ASYNC240", "ASYNC250", "ASYNC251"],
    bandit: [],
  },
  {
    id: "timeout",
    title: "HTTP call without timeout",
    checks: ["RES001"],
    semgrep: ["use-timeout"],
    ruff: ["S113"],
    bandit: ["B113"],
  },
  // security families the catalog has no check for: scored for Ruff and Bandit so that coverage is visible
  {
    id: "cleartext",
    title: "cleartext transport (http/ftp/telnet)",
    checks: [],
    semgrep: ["request-with-http", "request-session-with-http", "request-session-http-in-with-context", "use-ftp-tls", "http-not-https-connection", "no-auth-over-http", "ftplib", "telnetlib", "require-encryption"],
    semgrepPatterns: [/^insecure-(urlopen|urlretrieve|request-object|openerdirector-open|urlopener-open|urlopener-retrieve)(-ftp)?$/],
    ruff: ["S312", "S321", "S401", "S402"],
    bandit: ["B312", "B321", "B401", "B402"],
  },
  {
    id: "weak-tls",
    title: "weak TLS version or settings",
    checks: [],
    semgrep: ["weak-ssl-version", "no-set-ciphers", "ssl-wrap-socket-is-deprecated", "httpsconnection-detected"],
    ruff: ["S502", "S503", "S504"],
    bandit: ["B309", "B502", "B503", "B504"],
  },
  {
    id: "url-scheme",
    title: "urllib with a dynamic URL (file://)",
    checks: [],
    semgrep: ["dynamic-urllib-use-detected"],
    ruff: ["S310"],
    bandit: ["B310"],
  },
  {
    id: "ssh-host-key",
    title: "SSH host key not verified",
    checks: [],
    semgrep: ["paramiko-implicit-trust-host-key"],
    ruff: ["S507"],
    bandit: ["B507"],
  },
  {
    id: "file-permissions",
    title: "world-writable file permissions",
    checks: [],
    semgrep: ["insecure-file-permissions"],
    ruff: ["S103"],
    bandit: ["B103"],
  },
  {
    id: "bind-all",
    title: "bind to all interfaces",
    checks: [],
    semgrep: ["avoid-bind-to-all-interfaces", "avoid_app_run_with_bad_host"],
    ruff: ["S104"],
    bandit: ["B104"],
  },
  {
    id: "tempfile",
    title: "insecure temporary file",
    checks: [],
    semgrep: ["tempfile-insecure", "hardcoded-tmp-path"],
    ruff: ["S108", "S306"],
    bandit: ["B108", "B306"],
  },
  {
    id: "cookie-flags",
    title: "cookie without Secure/HttpOnly/SameSite",
    checks: [],
    semgrep: ["secure-set-cookie", "django-secure-set-cookie"],
    semgrepPatterns: [/^pyramid-(authtkt-cookie|set-cookie)-/],
    ruff: [],
    bandit: [],
  },
];

/**
 * Labels outside every family: rules whose path says they are about security are listed as
 * "other security (not mapped)"; the rest (correctness, best practice, compatibility) are not scored.
 */
export const OTHER_SECURITY = "other-security";

export function isSecurityRulePath(path: string): boolean {
  return /(^|\/)(security|audit)(\/|$)/.test(path);
}

const BY_RULE = new Map<string, Family>();
for (const family of FAMILIES) for (const rule of family.semgrep) BY_RULE.set(rule, family);

/** The family of a semgrep-rules rule id (`python.flask.security.x.y` or `y`), or null. */
export function familyOfRule(ruleId: string): Family | null {
  const short = ruleId.trim().split(".").pop() ?? "";
  const exact = BY_RULE.get(short);
  if (exact) return exact;
  return FAMILIES.find((f) => f.semgrepPatterns?.some((p) => p.test(short))) ?? null;
}

const BY_RUFF = new Map<string, Family>();
const BY_BANDIT = new Map<string, Family>();
for (const family of FAMILIES) {
  for (const code of family.ruff) BY_RUFF.set(code, family);
  for (const code of family.bandit) BY_BANDIT.set(code, family);
}

export function familyOfRuffCode(code: string): Family | null {
  return BY_RUFF.get(code) ?? null;
}

export function familyOfBanditTest(testId: string): Family | null {
  return BY_BANDIT.get(testId) ?? null;
}

/** The family archscope's check `id` reports, or null (a check outside every family is not scored). */
export function familyOfCheck(id: string): Family | null {
  return FAMILIES.find((f) => f.checks.includes(id)) ?? null;
}
