import assert from "node:assert/strict";
import { describe, it } from "node:test";
import weakCryptography from "../../src/checks/security/weak-cryptography.js";
import weakPasswordHashing from "../../src/checks/security/weak-password-hashing.js";
import { locations, project, py } from "../helpers/project.js";

describe("SEC008 weak cryptography", () => {
  it("fires on MD5/SHA-1 where the names say the digest guards access", async () => {
    const p = await project({
      "app/auth/tokens.py": py(
        "import hashlib", // 1
        "from hashlib import sha1", // 2
        "", // 3
        "def make_reset_token(user, secret):", // 4
        "    return hashlib.md5(f'{user.id}{secret}'.encode()).hexdigest()", // 5
        "", // 6
        "def sign_webhook(body, key):", // 7
        "    signature = sha1(key + body).hexdigest()", // 8
        "    return signature", // 9
        "", // 10
        "def issue(user):", // 11
        "    api_key = hashlib.new('md5', user.email.encode()).hexdigest()", // 12
        "    return api_key", // 13
      ),
    });
    const found = p.run(weakCryptography);
    assert.deepEqual(locations(found), [
      ["SEC008", "app/auth/tokens.py", 5],
      ["SEC008", "app/auth/tokens.py", 8],
      ["SEC008", "app/auth/tokens.py", 12],
    ]);
    assert.match(found[0]?.message ?? "", /^`hashlib\.md5\(\)` in `make_reset_token\(\)`: MD5 is broken/);
    assert.match(found[1]?.message ?? "", /assigned to `signature`: SHA1/);
    assert.equal(found[0]?.severity, "medium");
  });

  it("stays quiet on cache keys, ETags, checksums, fingerprints, usedforsecurity=False, and leaves password hashing to SEC007", async () => {
    const p = await project({
      "app/cache.py": py(
        "import hashlib", // 1
        "", // 2
        "def create_app_cache_key_from_token(token):", // 3
        "    return f'app:{hashlib.md5(token.encode()).hexdigest()}'", // 4
        "", // 5
        "def etag_for(body):", // 6
        "    etag = hashlib.sha1(body).hexdigest()", // 7
        "    return etag", // 8
        "", // 9
        "def file_checksum(path):", // 10
        "    return hashlib.md5(open(path, 'rb').read()).hexdigest()", // 11
        "", // 12
        "def token_digest(token):", // 13
        "    return hashlib.sha1(token.encode(), usedforsecurity=False).hexdigest()", // 14
        "", // 15
        "def gravatar_url(email):", // 16
        "    return hashlib.md5(email.lower().encode()).hexdigest()", // 17
        "", // 18
        "def store_secret_password(password):", // 19
        "    return hashlib.md5(password.encode()).hexdigest()", // 20
        "", // 21
        "class TokenBucket:", // 22
        "    def authorize_login_email(self, email):", // 23
        "        hashed = hashlib.sha1(email.encode()).hexdigest()", // 24
        "        return hashed", // 25
      ),
    });
    assert.deepEqual(locations(p.run(weakCryptography)), []);
    // the password case is SEC007's, and only SEC007's
    assert.deepEqual(locations(p.run(weakPasswordHashing)), [["SEC007", "app/cache.py", 20]]);
  });

  it("fires on random used for tokens, OTPs, generated passwords and meeting challenges; quiet on jitter and sampling", async () => {
    const p = await project({
      "accounts/services.py": py(
        "import random", // 1
        "import secrets", // 2
        "import string", // 3
        "from random import randint", // 4
        "", // 5
        "def send_otp(user):", // 6
        "    otp = randint(100000, 999999)", // 7
        "    user.send(otp)", // 8
        "", // 9
        "def gen_conference_challenge(length):", // 10
        "    return ''.join(random.sample(string.ascii_letters, length))", // 11
        "", // 12
        "def create_user(email):", // 13
        "    return User.objects.create(email=email, password=''.join(random.choices(string.ascii_letters, k=12)))", // 14
        "", // 15
        "def retry_delay(attempt):", // 16
        "    return 2 ** attempt + random.random()", // 17
        "", // 18
        "def pick_server(servers):", // 19
        "    server = random.choice(servers)", // 20
        "    return server", // 21
        "", // 22
        "def new_token():", // 23
        "    token = secrets.token_urlsafe(32)", // 24
        "    session_key = random.SystemRandom().choice(string.ascii_letters)", // 25
        "    return token, session_key", // 26
        "", // 27
        "def cache_key_token():", // 28
        "    return ''.join(random.choices(string.ascii_letters, k=4))", // 29
      ),
    });
    const found = p.run(weakCryptography);
    assert.deepEqual(locations(found), [
      ["SEC008", "accounts/services.py", 7],
      ["SEC008", "accounts/services.py", 11],
      ["SEC008", "accounts/services.py", 14],
    ]);
    assert.match(found[0]?.message ?? "", /^`randint\(\)` assigned to `otp`: the random module is predictable/);
    assert.match(found[2]?.message ?? "", /passed as `password`/);
  });

  it("fires on DES, RC4, ECB mode and short RSA/DSA keys in cryptography and pycryptodome; quiet on AES-GCM and 2048-bit keys", async () => {
    const p = await project({
      "app/crypto.py": py(
        "from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes", // 1
        "from cryptography.hazmat.primitives.asymmetric import rsa, dsa", // 2
        "from Crypto.Cipher import AES, DES", // 3
        "from Crypto.PublicKey import RSA", // 4
        "KEY_BITS = 1024", // 5
        "", // 6
        "def encrypt(key, data):", // 7
        "    c1 = Cipher(algorithms.AES(key), modes.ECB())", // 8
        "    c2 = Cipher(algorithms.ARC4(key), mode=None)", // 9
        "    c3 = DES.new(key, DES.MODE_CBC)", // 10
        "    c4 = AES.new(key, AES.MODE_ECB)", // 11
        "    c5 = AES.new(key, AES.MODE_GCM)", // 12
        "    c6 = Cipher(algorithms.AES(key), modes.GCM(b'0' * 12))", // 13
        "    return c1, c2, c3, c4, c5, c6", // 14
        "", // 15
        "def keys():", // 16
        "    a = rsa.generate_private_key(public_exponent=65537, key_size=1024)", // 17
        "    b = RSA.generate(KEY_BITS)", // 18
        "    c = dsa.generate_private_key(key_size=2048)", // 19
        "    d = rsa.generate_private_key(public_exponent=65537, key_size=4096)", // 20
        "    return a, b, c, d", // 21
      ),
    });
    const found = p.run(weakCryptography);
    assert.deepEqual(locations(found), [
      ["SEC008", "app/crypto.py", 8],
      ["SEC008", "app/crypto.py", 9],
      ["SEC008", "app/crypto.py", 10],
      ["SEC008", "app/crypto.py", 11],
      ["SEC008", "app/crypto.py", 17],
      ["SEC008", "app/crypto.py", 18],
    ]);
    assert.match(found[4]?.message ?? "", /1024-bit RSA key/);
  });

  it("ignores tests and seed scripts", async () => {
    const p = await project({
      "tests/test_tokens.py": py("import random", "def test_token():", "    token = random.choice('abc')"),
      "scripts/seed.py": py("import random", "def make():", "    password = random.choice('abc')"),
    });
    assert.deepEqual(locations(p.run(weakCryptography)), []);
  });
});
