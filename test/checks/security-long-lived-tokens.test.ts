import assert from "node:assert/strict";
import { describe, it } from "node:test";
import longLivedTokens from "../../src/checks/security/long-lived-tokens.js";
import { locations, project, py } from "../helpers/project.js";

describe("SEC026 long-lived or non-expiring tokens", () => {
  it("fires on the full-stack FastAPI template's 8-day access tokens and a week-long module constant, with the lifetime in the message", async () => {
    const p = await project({
      "backend/app/core/config.py": py(
        "from pydantic_settings import BaseSettings", // 1
        "", // 2
        "class Settings(BaseSettings):", // 3
        "    API_V1_STR: str = '/api/v1'", // 4
        "    # 60 minutes * 24 hours * 8 days = 8 days", // 5
        "    ACCESS_TOKEN_EXPIRE_MINUTES: int = 60 * 24 * 8", // 6
        "    REFRESH_TOKEN_EXPIRE_MINUTES: int = 60 * 24 * 30", // 7
        "    EMAIL_RESET_TOKEN_EXPIRE_HOURS: int = 48", // 8
      ),
      "app/services/jwt.py": py(
        "from datetime import timedelta", // 1
        "ACCESS_TOKEN_EXPIRE_MINUTES = 60 * 24 * 7  # one week", // 2
        "JWT_EXPIRATION_DELTA = timedelta(days=2, hours=12)", // 3
      ),
    });
    const found = p.run(longLivedTokens);
    assert.deepEqual(locations(found), [
      ["SEC026", "app/services/jwt.py", 2],
      ["SEC026", "app/services/jwt.py", 3],
      ["SEC026", "backend/app/core/config.py", 6],
    ]);
    assert.match(found[2]?.message ?? "", /^Settings\.ACCESS_TOKEN_EXPIRE_MINUTES = 60 \* 24 \* 8 \(line 6\) gives access tokens a lifetime of 8 days \(192 h\)/);
    assert.match(found[1]?.message ?? "", /2\.5 days \(60 h\)/);
    assert.ok(found.every((f) => f.severity === "medium"));
  });

  it("fires on DRF SimpleJWT, long Django sessions, environment defaults, flask-jwt-extended without expiry, and jwt.encode without exp", async () => {
    const p = await project({
      "config/settings.py": py(
        "from datetime import timedelta", // 1
        "import environ", // 2
        "env = environ.Env()", // 3
        "SIMPLE_JWT = {", // 4
        "    'ACCESS_TOKEN_LIFETIME': timedelta(days=30),", // 5
        "    'REFRESH_TOKEN_LIFETIME': timedelta(days=90),", // 6
        "}", // 7
        "SESSION_COOKIE_AGE = 60 * 60 * 24 * 90", // 8
        "JWT_EXPIRATION_DELTA_SECONDS = env('JWT_EXPIRATION_DELTA_SECONDS', default=60 * 60 * 24 * 7)", // 9
      ),
      "api/config.py": py(
        "import os", // 1
        "class Config:", // 2
        "    JWT_ACCESS_TOKEN_EXPIRES = False", // 3
        "    ACCESS_TOKEN_EXPIRE_MINUTES = int(os.getenv('ACCESS_TOKEN_EXPIRE_MINUTES', '11520'))", // 4
      ),
      "api/auth.py": py(
        "import jwt", // 1
        "from flask import current_app", // 2
        "def create_access_token(user):", // 3
        "    return jwt.encode({'sub': str(user.id), 'role': user.role}, current_app.config['SECRET_KEY'], algorithm='HS256')", // 4
      ),
    });
    const found = p.run(longLivedTokens);
    assert.deepEqual(locations(found), [
      ["SEC026", "api/auth.py", 4],
      ["SEC026", "api/config.py", 3],
      ["SEC026", "api/config.py", 4],
      ["SEC026", "config/settings.py", 4],
      ["SEC026", "config/settings.py", 8],
      ["SEC026", "config/settings.py", 9],
    ]);
    assert.match(found[1]?.message ?? "", /never expire/);
    assert.match(found[2]?.message ?? "", /8 days \(192 h\) by default/);
    assert.match(found[3]?.message ?? "", /ACCESS_TOKEN_LIFETIME to timedelta\(days=30\) \(line 4\): access tokens live 30 days \(720 h\)/);
    assert.match(found[4]?.message ?? "", /keeps sessions for 90 days/);
    assert.match(found[5]?.message ?? "", /7 days \(168 h\) by default/);
    assert.match(found[0]?.message ?? "", /no `exp` claim/);
  });

  it("stays quiet on short lifetimes, refresh tokens, two-week sessions, payloads with exp, and other tokens", async () => {
    const p = await project({
      "app/settings.py": py(
        "from datetime import timedelta", // 1
        "ACCESS_TOKEN_EXPIRE_MINUTES = 30", // 2
        "REFRESH_TOKEN_LIFETIME_HOURS = 24 * 30 * 4", // 3
        "SESSION_COOKIE_AGE = 1209600", // 4
        "SIMPLE_JWT = {'ACCESS_TOKEN_LIFETIME': timedelta(minutes=15), 'REFRESH_TOKEN_LIFETIME': timedelta(days=30)}", // 5
        "PASSWORD_RESET_TOKEN_EXPIRE_HOURS = 72", // 6
        "ACCESS_TOKEN_EXPIRE_HOURS = 24", // 7
        "HUBSPOT_ACCESS_TOKEN = 'x'", // 8
      ),
      "app/tokens.py": py(
        "import time", // 1
        "import jwt", // 2
        "def create_access_token(user, expires):", // 3
        "    return jwt.encode({'sub': user.id, 'exp': expires}, 'k', algorithm='HS256')", // 4
        "def generate_jwt(key, secret):", // 5
        "    payload = {'iss': key, 'exp': int(time.time() + 3600)}", // 6
        "    return jwt.encode(payload, secret, algorithm='HS256')", // 7
        "def create_email_verification_token(user):", // 8
        "    return jwt.encode({'sub': user.id}, 'k', algorithm='HS256')", // 9
      ),
      "tests/settings.py": py("ACCESS_TOKEN_EXPIRE_MINUTES = 60 * 24 * 365"),
    });
    assert.deepEqual(locations(p.run(longLivedTokens)), []);
  });
});
