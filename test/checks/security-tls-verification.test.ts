import assert from "node:assert/strict";
import { describe, it } from "node:test";
import tlsVerificationOff from "../../src/checks/security/tls-verification-off.js";
import { locations, project, py } from "../helpers/project.js";

describe("SEC010 TLS verification disabled", () => {
  it("fires on verify=False in requests and httpx (functions, sessions, clients), aiohttp ssl=False and an unverified context", async () => {
    const p = await project({
      "app/partners.py": py(
        "import ssl", // 1
        "import aiohttp", // 2
        "import httpx", // 3
        "import requests as rq", // 4
        "from requests import Session", // 5
        "", // 6
        "def fetch(url):", // 7
        "    return rq.get(url, verify=False, timeout=5)", // 8
        "", // 9
        "def session_fetch(url):", // 10
        "    s = Session()", // 11
        "    return s.post(url, verify=False, timeout=5)", // 12
        "", // 13
        "client = httpx.Client(verify=False)", // 14
        "", // 15
        "async def aio(url):", // 16
        "    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=False)) as session:", // 17
        "        return await session.get(url)", // 18
        "", // 19
        "context = ssl._create_unverified_context()", // 20
      ),
    });
    assert.deepEqual(locations(p.run(tlsVerificationOff)), [
      ["SEC010", "app/partners.py", 8],
      ["SEC010", "app/partners.py", 12],
      ["SEC010", "app/partners.py", 14],
      ["SEC010", "app/partners.py", 17],
      ["SEC010", "app/partners.py", 20],
    ]);
    assert.match(p.run(tlsVerificationOff)[0]?.message ?? "", /^rq\.get\(\) with verify=False in fetch turns certificate verification off/);
  });

  it("is low for an insecure mode the configuration opts into, and says so", async () => {
    const p = await project({
      "app/mail.py": py(
        "import ssl", // 1
        "import httpx", // 2
        "_insecure_transport = httpx.AsyncHTTPTransport(verify=False)", // 3
        "def context(verify: bool):", // 4
        "    return ssl.create_default_context() if verify else ssl._create_unverified_context()", // 5
        "def client(verify_ssl: bool):", // 6
        "    if not verify_ssl:", // 7
        "        return httpx.Client(verify=False)", // 8
        "    return httpx.Client()", // 9
      ),
    });
    const found = p.run(tlsVerificationOff);
    assert.deepEqual(found.map((f) => [f.evidence[0]?.line, f.severity]), [
      [3, "low"],
      [5, "low"],
      [8, "low"],
    ]);
    assert.match(found[0]?.message ?? "", /insecure mode the configuration can switch on/);
  });

  it("stays quiet on a CA bundle, verification on, a setting, another library's verify= and scripts", async () => {
    const p = await project({
      "app/partners.py": py(
        "import httpx",
        "import requests",
        "from app.settings import VERIFY",
        "def a(url): return requests.get(url, verify='/etc/ssl/partner-ca.pem', timeout=5)",
        "def b(url): return requests.get(url, verify=True, timeout=5)",
        "def c(url): return httpx.get(url, verify=VERIFY)",
        "def d(token): return jwt_decode(token, verify=False)",
      ),
      "app/settings.py": py("VERIFY = True"),
      "scripts/probe.py": py("import requests", "requests.get('https://localhost:8443', verify=False, timeout=1)"),
    });
    assert.deepEqual(p.run(tlsVerificationOff), []);
  });
});

describe("SEC010 cert_reqs", () => {
  it("fires on cert_reqs=CERT_NONE or CERT_OPTIONAL in ssl and urllib3, not on CERT_REQUIRED", async () => {
    const p = await project({ "app/net.py": py("import ssl", "import urllib3", "pool = urllib3.PoolManager(cert_reqs='NONE')", "proxy = urllib3.ProxyManager('http://proxy:3128/', cert_reqs=ssl.CERT_OPTIONAL)", "safe = urllib3.PoolManager(cert_reqs=ssl.CERT_REQUIRED)") });
    assert.deepEqual(p.run(tlsVerificationOff).map((f) => f.evidence[0]?.line), [3, 4]);
  });
});
