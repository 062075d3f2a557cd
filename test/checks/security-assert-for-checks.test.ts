import assert from "node:assert/strict";
import { describe, it } from "node:test";
import assertForChecks from "../../src/checks/security/assert-for-checks.js";
import { project, py } from "../helpers/project.js";

describe("SEC028 assert used for an access check", () => {
  it("fires on asserts about permissions, roles, ownership and authentication in application code", async () => {
    const p = await project({
      "shop/views.py": py(
        "def refund(request, order):",
        "    assert request.user.has_perm('orders.refund')",
        "    assert order.owner_id == request.user.id, 'not yours'",
        "    return order",
      ),
      "api/deps.py": py("def admin_only(user):", "    assert user.is_admin", "    return user"),
    });
    assert.deepEqual(p.run(assertForChecks).map((f) => [f.evidence[0]?.file, f.evidence[0]?.line, f.severity]), [
      ["api/deps.py", 2, "low"],
      ["shop/views.py", 2, "low"],
      ["shop/views.py", 3, "low"],
    ]);
  });

  it("stays quiet on type narrowing, invariants, module-level asserts and tests", async () => {
    const p = await project({
      "shop/views.py": py("def total(order, user):", "    assert user is not None", "    assert isinstance(order.items, list)", "    assert order.total >= 0", "    return order.total"),
      "shop/settings.py": py("TOKEN_TTL = 60", "assert TOKEN_TTL > 0"),
      "tests/test_views.py": py("def test_refund(user):", "    assert user.has_perm('orders.refund')"),
    });
    assert.deepEqual(p.run(assertForChecks), []);
  });
});
