import assert from "node:assert/strict";
import { describe, it } from "node:test";
import hardcodedSecret from "../../src/checks/security/hardcoded-secret.js";
import type { Finding } from "../../src/checks/types.js";
import { locations, project, py } from "../helpers/project.js";

/** `${NAME}`: shell/compose interpolation, written so it is not mistaken for a JS template. */
const ref = (name: string): string => "$" + "{" + name + "}";

/** The secret must never reach a report: not in the message, the snippet or anywhere else. */
function assertRedacted(findings: Finding[], ...secrets: string[]): void {
  const json = JSON.stringify(findings);
  for (const secret of secrets) assert.ok(!json.includes(secret), `secret ${secret.slice(0, 4)}… leaked into the findings`);
}

describe("SEC001 hardcoded secret", () => {
  it("fires on a module constant and a pydantic Settings default, with the value redacted", async () => {
    const p = await project({
      "app/config.py": py(
        "from pydantic_settings import BaseSettings", // 1
        "",
        'SECRET_KEY = "9f2c1e7a0b4d8e3fq7Lm"', // 3
        "",
        "class Settings(BaseSettings):", // 5
        '    database_host: str = "db.internal"',
        '    jwt_secret: str = "kq83hf92jd02kd83jf72xw"', // 7
        "    access_token_expire_minutes: int = 30",
      ),
    });
    const findings = p.run(hardcodedSecret);
    assert.deepEqual(locations(findings), [
      ["SEC001", "app/config.py", 3],
      ["SEC001", "app/config.py", 7],
    ]);
    assert.deepEqual(findings.map((f) => f.severity), ["high", "high"]);
    assert.match(findings[1]?.message ?? "", /Settings default/);
    assertRedacted(findings, "9f2c1e7a0b4d8e3fq7Lm", "kq83hf92jd02kd83jf72xw");
  });

  it("recognises known token formats whatever the variable is called", async () => {
    const aws = `AKIA${"Q7W3E9R2T5Y8U1I4"}`;
    const github = `ghp_${"a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"}`;
    const p = await project({
      "app/clients.py": py(
        "import boto3", // 1
        "from github import Github",
        "",
        `BOTO_ID = "${aws}"`, // 4
        "",
        "def client():",
        `    return Github("${github}")`, // 7
      ),
    });
    const findings = p.run(hardcodedSecret);
    assert.deepEqual(locations(findings), [
      ["SEC001", "app/clients.py", 4],
      ["SEC001", "app/clients.py", 7],
    ]);
    assert.match(findings[0]?.message ?? "", /AWS access key id/);
    assert.match(findings[1]?.message ?? "", /GitHub token/);
    assertRedacted(findings, aws, github);
  });

  it("fires on a password inside a connection URL passed to a call", async () => {
    const p = await project({
      "app/db.py": py(
        "from sqlalchemy import create_engine", // 1
        "",
        'engine = create_engine("postgresql://shop:Wq9zR2vLk8pT@db.internal:5432/shop")', // 3
        `replica = create_engine("postgresql://shop:${ref("DB_PASSWORD")}@replica:5432/shop")`,
      ),
    });
    const findings = p.run(hardcodedSecret);
    assert.deepEqual(locations(findings), [["SEC001", "app/db.py", 3]]);
    assert.match(findings[0]?.message ?? "", /password in a connection URL/);
    assertRedacted(findings, "Wq9zR2vLk8pT");
  });

  it("stays quiet on placeholders, environment lookups and token URLs", async () => {
    const p = await project({
      "app/settings.py": py(
        "import os",
        "from fastapi.security import OAuth2PasswordBearer",
        "from pydantic_settings import BaseSettings",
        "",
        'SECRET_KEY = "changeme"',
        'API_TOKEN = ""',
        `DB_PASSWORD = "${ref("DB_PASSWORD")}"`,
        'STRIPE_API_KEY = "<your-stripe-key>"',
        'JWT_SECRET = os.environ["JWT_SECRET"]',
        'GITHUB_TOKEN = os.getenv("GITHUB_TOKEN", "")',
        'TOKEN_URL = "/api/v1/login/access-token"',
        'PASSWORD_RESET_TOKEN_EXPIRE_HOURS = "48"',
        'oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/v1/login/access-token")',
        "",
        "class Settings(BaseSettings):",
        "    secret_key: str",
        '    smtp_password: str = ""',
        '    token_algorithm: str = "HS256"',
      ),
    });
    assert.deepEqual(locations(p.run(hardcodedSecret)), []);
  });

  it("reports development-looking values at low severity and confidence", async () => {
    const p = await project({
      "app/config.py": py(
        'SECRET_KEY = "dev-secret-key-for-local-only"', // 1
        'DATABASE_URL = "postgresql://app:localdevpass@localhost/app"', // 2
      ),
    });
    const findings = p.run(hardcodedSecret);
    assert.deepEqual(locations(findings), [
      ["SEC001", "app/config.py", 1],
      ["SEC001", "app/config.py", 2],
    ]);
    for (const f of findings) {
      assert.equal(f.severity, "low");
      assert.equal(f.confidence, "low");
      assert.match(f.message, /development value/);
    }
    assertRedacted(findings, "dev-secret-key-for-local-only", "localdevpass");
  });
});

describe("SEC001 near-misses seen in real projects", () => {
  it("skips templates, masks and character sets, and lowers test settings", async () => {
    const p = await project({
      "app/constants.py": py(
        'MODULE_TOKEN = "{module}"',
        'CENSOR_TOKEN_CHANGED = "***CHANGED***"',
        'SECRET_KEY_CHARSET = "abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)"',
      ),
      "app/configuration_testing.py": py('SECRET_KEY = "dcmm2ohzAukuxJ8kTSnRDbq9ykwa7eR5r4Nr2pUuKVMpBiEUiV"'),
    });
    const findings = p.run(hardcodedSecret);
    assert.deepEqual(locations(findings), [["SEC001", "app/configuration_testing.py", 1]]);
    assert.equal(findings[0]?.severity, "low");
  });

  it("stays quiet on labels under secret-like names: enum and choices members, error codes, event names, messages, import paths", async () => {
    const p = await project({
      "app/__init__.py": "",
      "app/codes.py": py(
        "from enum import Enum, StrEnum",
        "from django.db import models",
        "class AccountErrorCode(Enum):",
        '    PASSWORD_TOO_SHORT = "password_too_short"',
        '    INVALID_CREDENTIALS = "invalid_credentials"',
        "class TokenType(StrEnum):",
        '    access_token = "polar_access_token"',
        '    client_secret = "polar_client_secret"',
        "class Base(StrEnum):",
        "    pass",
        "class Method(Base):",
        '    private_key_jwt = "pk_jwt_8fK2xQ9vLm4Z"', // an enum member through a project base: still a label
        "class Kind(models.TextChoices):",
        '    API_TOKEN = "api-token", "API token"',
      ),
      "app/constants.py": py(
        'ACCOUNT_SET_PASSWORD_REQUESTED = "account_set_password_requested"',
        'INVALID_PASSWORD_ERROR = "Invalid password."',
        'HEADLESS_TOKEN_STRATEGY = "app.adapter.DrfTokenStrategy"',
        'SECRETS_MANAGER = "secretsmanager"',
        'username_and_password = "username-password"',
        "_NEW_REFRESH_TOKEN_SESSION_KEY = '_wger_new_long_lived_refresh_token'",
      ),
    });
    assert.deepEqual(locations(p.run(hardcodedSecret)), []);
  });

  it("is low when another settings module replaces the value from the environment", async () => {
    const key = "Lp4xN8qW2zR6tY0uVb3Kc7Hd";
    const base = { "config/__init__.py": "", "config/base.py": py(`SECRET_KEY = "${key}"`, "DEBUG = True") };
    const overridden = await project({ ...base, "config/production.py": py("import os", "from config.base import *", 'SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]') });
    const findings = overridden.run(hardcodedSecret);
    assert.deepEqual(findings.map((f) => [f.evidence[0]?.file, f.evidence[0]?.line, f.severity]), [["config/base.py", 1, "low"]]);
    assert.match(findings[0]?.message ?? "", /config\/production\.py:3 replaces it from the environment/);
    // a settings file kept apart and copied into place at build time imports the base by its name (`from .base import *`)
    const copied = await project({ ...base, "docker/config.py": py("import os", "from .base import *", 'SECRET_KEY = os.getenv("SECRET_KEY")') });
    assert.deepEqual(copied.run(hardcodedSecret).map((f) => f.severity), ["low"]);
    // a module that reads the environment but does not build on the base settings replaces nothing of them
    const unrelated = await project({ ...base, "config/worker.py": py("import os", 'SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]') });
    assert.deepEqual(unrelated.run(hardcodedSecret).map((f) => f.severity), ["high"]);
    // another module that sets a literal of its own is no override
    const literal = await project({ ...base, "config/production.py": py("from config.base import *", 'SECRET_KEY = "Zq8wV2mK9xP4rT6yB1nC5hJ3"') });
    assert.deepEqual(literal.run(hardcodedSecret).map((f) => f.severity), ["high", "high"]);
  });

  it("reports weak values (one word, a run of digits, a repeat, a password equal to the user) at low severity", async () => {
    const p = await project({
      "app/config.py": py(
        'AWS_SECRET_ACCESS_KEY = "polar123456789"', // 1
        'MINIO_PASSWORD = "polarpolar"', // 2
        'DATABASE_URL = "mysql://ctfd:ctfd@db/ctfd"', // 3
        'SIGNING_KEY = "q7Vt2LmX9cRb4NzW8kPa"', // 4: random, high
      ),
    });
    const findings = p.run(hardcodedSecret);
    assert.deepEqual(findings.map((f) => [f.evidence[0]?.line, f.severity]), [[4, "high"], [1, "low"], [2, "low"], [3, "low"]]);
  });

  it("a default account password is medium even when it is a weak word", async () => {
    const p = await project({ "app/settings.py": py('_DEFAULT_PASSWORD = "MyPassword"', 'DB_PASSWORD = "MyPassword"') });
    const findings = p.run(hardcodedSecret);
    assert.deepEqual(findings.map((f) => [f.evidence[0]?.line, f.severity]), [[1, "medium"], [2, "low"]]);
    assert.match(findings[0]?.message ?? "", /first login forces a change/);
  });

  it("reads Flask configuration set item by item or as an attribute, and a JWT key given by position; a placeholder stays quiet", async () => {
    const p = await project({
      "app/__init__.py": py(
        "import jwt",
        "from flask import Flask",
        "app = Flask(__name__)",
        "app.config['SECRET_KEY'] = 'k8Jq2vP9xLm4Rt7Wz1Ns'",
        "app.secret_key = 'Zx9Lm2Qw8Er4Ty6Ui0Op'",
        "def create_app():",
        "    a = Flask(__name__)",
        "    a.config['SECRET_KEY'] = 'dev'",
        "    a.config['SESSION_COOKIE_NAME'] = 'Zx9Lm2Qw8Er4Ty6Ui0Op'",
        "    return a",
        "def token(p):",
        "    return jwt.encode(p, 'Hq7Ws3Ed9Rf5Tg1Yh8Uj', algorithm='HS256')",
      ),
    });
    assert.deepEqual(p.run(hardcodedSecret).map((f) => [f.evidence[0]?.line, f.severity]), [[4, "high"], [5, "high"], [12, "high"]]);
  });

  it("reports any JWT signing key written in the source, even a guessable one, in place, as key= or through a module constant", async () => {
    const p = await project({
      "app/tokens.py": py(
        "import jwt",
        'SIGNING = "this-is-secret"',
        "def a(p):",
        '    return jwt.encode(p, "secret", algorithm="HS256")', // 4
        "def b(p):",
        "    return jwt.encode(p, SIGNING, algorithm='HS256')", // 6
        "def c(t):",
        '    return jwt.decode(t, key="changeme", algorithms=["HS256"])', // 8
        "def ok(p, key):",
        '    return jwt.encode(p, key, algorithm="HS256")',
        "def ok_env(p):",
        '    return jwt.encode(p, os.environ["JWT_KEY"], algorithm="HS256")',
      ),
    });
    const findings = p.run(hardcodedSecret);
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.file, f.evidence[0]?.line, f.severity]),
      [
        ["app/tokens.py", 4, "high"],
        ["app/tokens.py", 6, "high"],
        ["app/tokens.py", 8, "high"],
      ],
    );
    assert.ok(findings.every((f) => !f.message.includes("this-is-secret") && !f.message.includes("changeme")), "values are never printed whole");
    // one key used to sign and to verify: one finding that shows both calls
    const pair = await project({ "app/auth.py": py("import jwt", "def sign(p):", '    return jwt.encode(p, "secret", algorithm="HS256")', "def check(t):", '    return jwt.decode(t, "secret", algorithms=["HS256"])') });
    const one = pair.run(hardcodedSecret);
    assert.deepEqual(one.map((f) => f.evidence.map((e) => e.line)), [[3, 5]]);
    assert.match(one[0]?.message ?? "", /and 1 other call/);
  });

  it("stays quiet on a regular expression under a secret-like name (zulip's key format check)", async () => {
    const p = await project({ "app/redis_utils.py": py("import re", "def validate(key, key_format):", '    regex = key_format.format(token=r"[a-zA-Z0-9]+")', "    return re.fullmatch(regex, key)") });
    assert.deepEqual(p.run(hardcodedSecret), []);
  });

  it("reads a secret given as a parameter's default, not empty, placeholder or label defaults", async () => {
    const p = await project({
      "app/clients.py": py(
        "def connect(host, password='Xq9vR2mLp7TzW4bN'):", // 1
        "    return host, password",
        "def login(user, password='', token_type='bearer', secret_name='api-key', api_key=None):",
        "    return user",
        "def reset(token='<token>'):",
        "    return token",
      ),
    });
    const findings = p.run(hardcodedSecret);
    assert.deepEqual(locations(findings), [["SEC001", "app/clients.py", 1]]);
    assert.match(findings[0]?.message ?? "", /default of parameter `password` of connect\(\)/);
    assertRedacted(findings, "Xq9vR2mLp7TzW4bN");
  });
});
