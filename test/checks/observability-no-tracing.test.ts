import assert from "node:assert/strict";
import { describe, it } from "node:test";
import noTracing from "../../src/checks/observability/no-tracing.js";
import { locations, project, py } from "../helpers/project.js";

const api = py("from fastapi import FastAPI", "app = FastAPI()", "@app.get(\"/orders\")", "def orders(): return []");
/** Two services built from this repository, the first configured with the second's URL. */
const compose = [
  "services:",
  "  orders:",
  "    build: ./orders",
  "    environment:",
  "      PRICING_URL: http://pricing:8000",
  "  pricing:",
  "    build: ./pricing",
  "",
].join("\n");

describe("OBS005 no distributed tracing", () => {
  it("is medium when one service of the repository is configured to call another", async () => {
    const p = await project({ "orders/main.py": api, "pricing/main.py": api, "docker-compose.yml": compose });
    const findings = p.run(noTracing);
    assert.deepEqual(locations(findings), [["OBS005", "orders/main.py", null]]);
    assert.equal(findings[0]?.severity, "medium");
    assert.match(findings[0]?.message ?? "", /service orders is configured to call service pricing \(PRICING_URL=http:\/\/pricing:8000\)/);
    assert.deepEqual([findings[0]?.evidence[1]?.file, findings[0]?.evidence[1]?.line], ["docker-compose.yml", 5]);
  });

  it("is low for a single service, and for a service calling a third-party container", async () => {
    const single = (await project({ "app/main.py": api })).run(noTracing);
    assert.deepEqual(locations(single), [["OBS005", "app/main.py", null]]);
    assert.equal(single[0]?.severity, "low");
    assert.match(single[0]?.message ?? "", /single service with 1 endpoint/);
    const thirdParty = compose.replace("    build: ./pricing", "    image: gotenberg/gotenberg:8");
    const sidecar = (await project({ "orders/main.py": api, "docker-compose.yml": thirdParty })).run(noTracing);
    assert.equal(sidecar[0]?.severity, "low");
  });

  const traced: Array<[string, Record<string, string>]> = [
    ["OpenTelemetry declared", { "requirements.txt": "opentelemetry-instrumentation-fastapi==0.48b0\n" }],
    ["ddtrace imported", { "orders/tracing.py": py("from ddtrace import patch_all", "patch_all()") }],
    ["Sentry with a traces sample rate", { "orders/sentry.py": py("import sentry_sdk", "sentry_sdk.init(dsn='x', traces_sample_rate=0.2)") }],
  ];
  for (const [name, files] of traced) {
    it(`stays quiet with ${name}`, async () => {
      assert.deepEqual(locations((await project({ "orders/main.py": api, "pricing/main.py": api, "docker-compose.yml": compose, ...files })).run(noTracing)), []);
    });
  }

  it("still fires with Sentry error tracking only (traces_sample_rate 0), and stays quiet without endpoints", async () => {
    const errorsOnly = await project({ "orders/main.py": api, "pricing/main.py": api, "docker-compose.yml": compose, "orders/sentry.py": py("import sentry_sdk", "sentry_sdk.init(dsn='x', traces_sample_rate=0)") });
    assert.deepEqual(locations(errorsOnly.run(noTracing)), [["OBS005", "orders/main.py", null]]);
    assert.deepEqual(locations((await project({ "app/jobs.py": py("def run(): pass") })).run(noTracing)), []);
  });
});
