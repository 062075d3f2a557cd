import assert from "node:assert/strict";
import { describe, it } from "node:test";
import errorWithoutTraceback from "../../src/checks/observability/error-without-traceback.js";
import { locations, project } from "../helpers/project.js";

function handler(log: string): string {
  return ["import logging", "", "logger = logging.getLogger(__name__)", "", "", "def sync(order):", "    try:", "        order.charge()", "    except Exception as e:", `        ${log}`, "        raise", ""].join("\n");
}

describe("OBS008 errors logged without traceback", () => {
  for (const log of ["logger.error(e)", "logger.error(str(e))", 'logger.error(f"charge failed: {e}")', "logging.critical(repr(e))"]) {
    it(`fires on ${log}, at its line`, async () => {
      const findings = (await project({ "app/payments.py": handler(log) })).run(errorWithoutTraceback);
      assert.deepEqual(locations(findings), [["OBS008", "app/payments.py", 10]]);
      assert.equal(findings[0]?.severity, "low");
    });
  }

  for (const log of ["logger.exception(e)", "logger.error(e, exc_info=True)", 'logger.error("charge failed for order %s: %s", order.id, e)', 'logger.warning(f"retrying: {e}")', "print(e)"]) {
    it(`stays quiet on ${log}`, async () => {
      assert.deepEqual((await project({ "app/payments.py": handler(log) })).run(errorWithoutTraceback), []);
    });
  }

  it("stays quiet in the handler of a specific, expected exception", async () => {
    const specific = handler("logger.error(e)").replace("except Exception as e:", "except ValueError as e:");
    assert.deepEqual((await project({ "app/payments.py": specific })).run(errorWithoutTraceback), []);
  });

  it("stays quiet outside an except block and in tests or scripts", async () => {
    const outside = "import logging\n\nlogger = logging.getLogger(__name__)\n\n\ndef report(e):\n    logger.error(e)\n";
    assert.deepEqual((await project({ "app/report.py": outside })).run(errorWithoutTraceback), []);
    assert.deepEqual((await project({ "tests/test_payments.py": handler("logger.error(e)") })).run(errorWithoutTraceback), []);
    assert.deepEqual((await project({ "scripts/sync.py": `${handler("logger.error(e)")}\nif __name__ == "__main__":\n    sync(None)\n` })).run(errorWithoutTraceback), []);
  });
});
