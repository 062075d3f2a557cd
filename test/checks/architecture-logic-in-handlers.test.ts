import assert from "node:assert/strict";
import { describe, it } from "node:test";
import check from "../../src/checks/architecture/logic-in-handlers.js";
import { project } from "../helpers/project.js";

/** A handler with `branches` if/elif rules, each a few lines of calculation. */
function heavyHandler(name: string, branches = 14): string {
  const body = Array.from({ length: branches }, (_, i) => `    ${i === 0 ? "if" : "elif"} order.kind == "k${i}":\n        price = order.total * ${i + 1}\n        price = price - order.discount\n        tax = price * 0.2`).join("\n");
  return `@app.post("/${name}")\ndef ${name}(order: dict):\n    price = 0\n    tax = 0\n${body}\n    return {"price": price, "tax": tax}\n`;
}
const thin = (name: string) => `@app.get("/${name}")\ndef ${name}():\n    return service.${name}()\n`;
const header = "from fastapi import FastAPI\nfrom app import service\napp = FastAPI()\n\n";

describe("ARCH009 domain logic in the web layer", () => {
  it("fires when several handlers are long and branch-heavy, naming the worst", async () => {
    const p = await project({ "app/main.py": header + [heavyHandler("orders", 16), heavyHandler("quotes"), heavyHandler("refunds"), thin("health")].join("\n"), "app/service.py": "def health():\n    return 1\n" });
    const findings = p.run(check);
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.id, "ARCH009");
    assert.equal(findings[0]?.severity, "medium");
    assert.equal(findings[0]?.evidence[0]?.file, "app/main.py");
    assert.equal(findings[0]?.evidence[0]?.line, 6);
    assert.match(findings[0]?.message ?? "", /^3 of 4 request handlers \(75%\)/);
  });

  it("stays quiet for one or two heavy handlers, thin handlers, and heavy functions that are not handlers", async () => {
    const two = await project({ "app/main.py": header + [heavyHandler("orders"), heavyHandler("quotes"), thin("health")].join("\n"), "app/service.py": "def health():\n    return 1\n" });
    assert.deepEqual(two.run(check), []);
    const helpers = await project({
      "app/main.py": header + [thin("a"), thin("b"), thin("c")].join("\n"),
      "app/service.py": [1, 2, 3].map((i) => heavyHandler(`rule${i}`).replace(/^@app.post.*\n/, "")).join("\n"),
    });
    assert.deepEqual(helpers.run(check), []);
  });

  it("does not count handlers in tests or scripts", async () => {
    const p = await project({ "tests/test_app.py": header + [heavyHandler("a"), heavyHandler("b"), heavyHandler("c")].join("\n") });
    assert.deepEqual(p.run(check), []);
  });
});

describe("ARCH009 generic views", () => {
  it("does not count methods of a view class other views extend (a project's own generic views)", async () => {
    const generic = (name: string) => `class ${name}View(HTTPEndpoint):\n${heavyHandler("post").replace(/^@app.post.*\n/, "").replace(/^/gm, "    ").replace("def post(order: dict)", "def post(self, order: dict)")}\n`;
    const code = `from starlette.endpoints import HTTPEndpoint\nfrom starlette.applications import Starlette\nfrom starlette.routing import Route\n\n${["Bulk", "Edit", "Delete"].map(generic).join("\n")}\nclass A(BulkView):\n    pass\nclass B(EditView):\n    pass\nclass C(DeleteView):\n    pass\n\napp = Starlette(routes=[Route("/a", BulkView), Route("/b", EditView), Route("/c", DeleteView)])\n`;
    const p = await project({ "app/views.py": code });
    assert.deepEqual(p.run(check), []);
    const standalone = await project({ "app/views.py": code.replace(/class [ABC]\(\w+\):\n {4}pass\n/g, "") });
    assert.equal(standalone.run(check).length, 1);
  });
});

describe("ARCH009 pages built in Python", () => {
  it("does not count handlers that mostly build HTML (tagflow's tag.div and text)", async () => {
    const page = (name: string) => heavyHandler(name).replace(/price = order.total \* (\d+)\n/g, 'with tag.div(classes="row"):\n            text(order.kind)\n        tag.span(classes="x$1")\n');
    const p = await project({ "app/main.py": `from tagflow import tag, text\n${header}${[page("a"), page("b"), page("c")].join("\n")}` });
    assert.deepEqual(p.run(check), []);
  });
});
