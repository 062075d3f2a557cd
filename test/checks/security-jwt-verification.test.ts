import assert from "node:assert/strict";
import { describe, it } from "node:test";
import jwtVerificationOff from "../../src/checks/security/jwt-verification-off.js";
import { project, py } from "../helpers/project.js";

describe("SEC009 JWT signature not verified", () => {
  it("fires on verify_signature False (PyJWT and python-jose), verify=False and the none algorithm", async () => {
    const p = await project({
      "app/auth.py": py(
        "import jwt", // 1
        "from jose import jwt as jose_jwt", // 2
        "def current_user(token):", // 3
        '    return jwt.decode(token, options={"verify_signature": False})', // 4
        "def authenticate(token, key):", // 5
        "    return jose_jwt.decode(token, key, options={'verify_signature': False})", // 6
        "def get_user_from_token(token):", // 7
        "    return jwt.decode(token, verify=False)", // 8
        "def verify_access(token, key):", // 9
        '    return jwt.decode(token, key, algorithms=["HS256", "none"])', // 10
      ),
    });
    assert.deepEqual(p.run(jwtVerificationOff).map((f) => [f.evidence[0]?.line, f.severity]), [
      [4, "high"],
      [6, "high"],
      [8, "high"],
      [10, "high"],
    ]);
  });

  it("is quiet on pinned algorithms, and low where claims are read unverified to choose the key", async () => {
    const p = await project({
      "app/auth.py": py(
        "import jwt",
        "def current_user(token, key):",
        '    return jwt.decode(token, key, algorithms=["HS256"], options={"require": ["exp", "sub"]})',
        "def issuer_of(token):",
        '    return jwt.decode(token, options={"verify_signature": False})["iss"]',
      ),
    });
    assert.deepEqual(p.run(jwtVerificationOff).map((f) => [f.evidence[0]?.line, f.severity]), [[5, "low"]]);
  });

  it("leaves a peek before a verified decode (OIDC issuer lookup), and is low where the claims only route (Flagsmith, Saleor, Google's token endpoint)", async () => {
    const p = await project({
      "app/oidc.py": py(
        "import jwt", // 1
        "def exchange_oidc_token(token, jwks):", // 2
        '    unverified = jwt.decode(token, options={"verify_signature": False})', // 3
        "    key = jwks.get_signing_key_from_jwt(token)", // 4
        '    return jwt.decode(token, key.key, algorithms=["RS256"])', // 5
        "def is_saleor_token(token):", // 6
        '    return jwt.decode(token, options={"verify_signature": False}).get("owner") == "saleor"', // 7
      ),
    });
    assert.deepEqual(p.run(jwtVerificationOff).map((f) => [f.evidence[0]?.line, f.severity]), [[7, "low"]]);
  });
});
