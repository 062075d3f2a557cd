import assert from "node:assert/strict";
import { describe, it } from "node:test";
import inconsistentNaming from "../../src/checks/api/inconsistent-naming.js";
import { locations, project, py } from "../helpers/project.js";

/** A FastAPI router with one GET per path, the first at line 3 and each three lines after the last. */
function api(paths: string[], decorator = "router.get"): Record<string, string> {
  return {
    "app/__init__.py": "",
    "app/main.py": py("from fastapi import FastAPI", "from app.routes import router", "app = FastAPI()", 'app.include_router(router, prefix="/api/v1")'),
    "app/routes.py": py("from fastapi import APIRouter", "router = APIRouter()", ...paths.flatMap((path, i) => [`@${decorator}("${path}")`, `def route_${i}():`, "    return {}"])),
  };
}

describe("API007 inconsistent resource naming", () => {
  it("fires on verbs in paths, listing them with file:line", async () => {
    const p = await project(api(["/users", "/users/{user_id}", "/getUser/{user_id}", "/orders", "/create_order", "/health"]));
    const findings = p.run(inconsistentNaming);
    assert.deepEqual(locations(findings), [["API007", "app/routes.py", 10]]);
    assert.match(findings[0]?.message ?? "", /2 paths name a verb instead of a resource \(GET \/api\/v1\/getUser\/\{user_id\} \(app\/routes\.py:10\), GET \/api\/v1\/create_order \(app\/routes\.py:16\)\)/);
  });

  it("fires on mixed case styles when the minority style is a fifth of the multi-word segments", async () => {
    const p = await project(api(["/order-items", "/gift-cards", "/shipping-zones", "/tax-rates", "/payment_methods", "/stock_levels"]));
    const findings = p.run(inconsistentNaming);
    assert.equal(findings.length, 1);
    assert.match(findings[0]?.message ?? "", /path segments mix case styles: 4 kebab-case \(e\.g\. `[a-z-]+`\) against 2 snake_case \(`payment_methods` in GET \/api\/v1\/payment_methods \(app\/routes\.py:16\)/);
  });

  it("fires on the singular and the plural of one resource addressed by id", async () => {
    const p = await project(api(["/users", "/user/{user_id}", "/orders", "/orders/{order_id}"]));
    assert.match(p.run(inconsistentNaming)[0]?.message ?? "", /singular and plural name one resource: `\/user\/\{user_id\}` in GET \/api\/v1\/user\/\{user_id\} \(app\/routes\.py:7\) beside `\/users`/);
  });

  it("is quiet on conventional actions, one odd segment, `/user` for the caller beside `/users`, and DRF-style action names", async () => {
    const p = await project(api(["/login", "/logout", "/search", "/health", "/export", "/users", "/user", "/users/{user_id}", "/users/{user_id}/set-password", "/orders/{order_id}/cancel", "/order-items", "/gift-cards", "/shipping-zones", "/tax-rates", "/stock_levels", "/getUser"]));
    assert.deepEqual(locations(p.run(inconsistentNaming)), []);
  });
});
