import assert from "node:assert/strict";
import { describe, it } from "node:test";
import weakPasswordHashing from "../../src/checks/security/weak-password-hashing.js";
import { locations, project, py } from "../helpers/project.js";

describe("SEC007 weak password hashing", () => {
  it("fires on a fast digest of a password, a weak passlib scheme and a weak first Django hasher", async () => {
    const p = await project({
      "app/users.py": py(
        "import hashlib", // 1
        "from hashlib import md5", // 2
        "from passlib.context import CryptContext", // 3
        "def store(user, password):", // 4
        "    user.hash = hashlib.sha256(password.encode()).hexdigest()", // 5
        "def legacy(raw_pwd):", // 6
        "    return md5(raw_pwd.encode()).hexdigest()", // 7
        'ctx = CryptContext(schemes=["md5_crypt", "bcrypt"])', // 8
      ),
      "proj/settings.py": py('PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", "django.contrib.auth.hashers.PBKDF2PasswordHasher"]'),
    });
    assert.deepEqual(locations(p.run(weakPasswordHashing)), [
      ["SEC007", "app/users.py", 5],
      ["SEC007", "app/users.py", 7],
      ["SEC007", "app/users.py", 8],
      ["SEC007", "proj/settings.py", 1],
    ]);
  });

  it("stays quiet on digests of other data, strong schemes, a strong first hasher, and is low in test settings", async () => {
    const p = await project({
      "app/files.py": py("import hashlib", "def etag(body): return hashlib.sha256(body).hexdigest()", "def cache_key(user_id): return hashlib.md5(str(user_id).encode()).hexdigest()"),
      // the Have I Been Pwned range API wants the sha1 of the password: declared not for security (warehouse)
      "app/breach.py": py("import hashlib", "def pwned_prefix(password):", '    return hashlib.sha1(password.encode("utf8"), usedforsecurity=False).hexdigest()[:5]'),
      "app/auth.py": py("from passlib.context import CryptContext", 'ctx = CryptContext(schemes=["argon2", "md5_crypt"], deprecated="auto")'),
      "proj/settings.py": py('PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher", "django.contrib.auth.hashers.MD5PasswordHasher"]'),
      "proj/settings/test.py": py('PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]'),
    });
    assert.deepEqual(p.run(weakPasswordHashing).filter((f) => f.severity !== "low"), []);
  });

  it("leaves a legacy digest wrapped in a hasher class and a fast hasher chosen only for development (Saleor, Zulip)", async () => {
    const p = await project({
      "shop/hashers.py": py(
        "import hashlib",
        "from django.contrib.auth.hashers import PBKDF2PasswordHasher",
        "class LegacyPasswordHasher(PBKDF2PasswordHasher):",
        "    def encode(self, password, salt, iterations=None):",
        "        digest = hashlib.sha512(password.encode()).digest()",
        "        return super().encode(digest.hex(), salt, iterations)",
      ),
      "proj/settings.py": py(
        "DEVELOPMENT = False",
        "if DEVELOPMENT:",
        '    PASSWORD_HASHERS = ("django.contrib.auth.hashers.SHA1PasswordHasher",)',
        "else:",
        '    PASSWORD_HASHERS = ("django.contrib.auth.hashers.Argon2PasswordHasher",)',
      ),
    });
    assert.deepEqual(p.run(weakPasswordHashing), []);
  });
});
