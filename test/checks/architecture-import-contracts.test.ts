import assert from "node:assert/strict";
import { describe, it } from "node:test";
import check from "../../src/checks/architecture/import-contracts.js";
import { CHECKS } from "../../src/checks/registry.js";
import { loadConfig } from "../../src/config/load-config.js";
import type { FileSet } from "../../src/workspace/types.js";
import { project } from "../helpers/project.js";

const shop = {
  "shop/__init__.py": "",
  "shop/api/__init__.py": "",
  "shop/api/schemas.py": "from pydantic import BaseModel\n\nclass OrderOut(BaseModel):\n    id: int\n",
  "shop/api/orders.py": "from fastapi import APIRouter\nfrom shop.services.orders import place\nrouter = APIRouter()\n",
  "shop/services/__init__.py": "",
  "shop/services/orders.py": "from shop.domain.order import Order\n\ndef place():\n    return Order()\n",
  "shop/domain/__init__.py": "",
  "shop/domain/order.py": "class Order:\n    pass\n",
};
const layers = '[tool.archscope.contracts]\n[[tool.archscope.contracts.layers]]\nname = "Shop layers"\nlayers = ["shop.api", "shop.services", "shop.domain"]\n';

describe("ARCH008 import contracts", () => {
  it("reports a lower layer importing a higher one, with the import chain", async () => {
    const p = await project({
      ...shop,
      "shop/domain/order.py": "from shop.domain.pricing import total\n\nclass Order:\n    pass\n",
      "shop/domain/pricing.py": "\nfrom shop.api.schemas import OrderOut\n\ndef total():\n    return 0\n",
      "pyproject.toml": layers,
    });
    const findings = p.run(check);
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.id, "ARCH008");
    assert.equal(findings[0]?.severity, "high");
    assert.equal(findings[0]?.evidence[0]?.file, "shop/domain/pricing.py");
    assert.equal(findings[0]?.evidence[0]?.line, 2);
    assert.match(findings[0]?.message ?? "", /"Shop layers" \(layers\) broken: lower layer `shop.domain` imports higher layer `shop.api` directly: shop.domain.pricing -> shop.api.schemas/);
  });

  it("follows an indirect chain, and an import inside a function", async () => {
    const p = await project({
      ...shop,
      "shop/domain/order.py": "class Order:\n    def render(self):\n        from shop.services.orders import place\n        return place\n",
      "pyproject.toml": layers,
    });
    const findings = p.run(check);
    assert.equal(findings.length, 1);
    assert.match(findings[0]?.message ?? "", /`shop.domain` imports higher layer `shop.services` directly: shop.domain.order -> shop.services.orders/);
    assert.deepEqual(findings[0]?.evidence.map((e) => [e.file, e.line]), [["shop/domain/order.py", 3]]);
  });

  it("reports forbidden third-party imports through a chain, and honours ignore_imports", async () => {
    const files = {
      ...shop,
      "shop/domain/order.py": "from shop.domain.helpers import x\n\nclass Order:\n    pass\n",
      "shop/domain/helpers.py": "from fastapi import HTTPException\nx = HTTPException\n",
    };
    const contract = (ignore: string) => `[tool.archscope.contracts]\n[[tool.archscope.contracts.forbidden]]\nname = "Domain is framework-free"\nsource_modules = ["shop.domain.order"]\nforbidden_modules = ["fastapi"]\n${ignore}`;
    const p = await project({ ...files, "pyproject.toml": contract("") });
    const findings = p.run(check);
    assert.equal(findings.length, 1);
    assert.match(findings[0]?.message ?? "", /`shop.domain.order` imports forbidden `fastapi` indirectly: shop.domain.order -> shop.domain.helpers -> fastapi.HTTPException/);
    assert.deepEqual(findings[0]?.evidence.map((e) => [e.file, e.line]), [["shop/domain/order.py", 1], ["shop/domain/helpers.py", 1]]);
    const ignored = await project({ ...files, "pyproject.toml": contract('ignore_imports = ["shop.domain.* -> fastapi.*"]\n') });
    assert.deepEqual(ignored.run(check), []);
  });

  it("reports independent modules importing each other, from archscope.toml", async () => {
    const p = await project({
      "app/__init__.py": "",
      "app/orders/__init__.py": "",
      "app/orders/models.py": "from app.billing.models import Invoice\n",
      "app/billing/__init__.py": "",
      "app/billing/models.py": "class Invoice:\n    pass\n",
      "archscope.toml": '[[contracts.independent]]\nmodules = ["app.orders", "app.billing"]\n',
    });
    const findings = p.run(check);
    assert.equal(findings.length, 1);
    assert.match(findings[0]?.message ?? "", /"independent #1" \(independent\) broken: `app.orders` imports `app.billing` directly/);
  });

  it("stays quiet when the contracts hold, when imports are TYPE_CHECKING only, and without contracts", async () => {
    const kept = await project({ ...shop, "pyproject.toml": layers });
    assert.deepEqual(kept.run(check), []);
    const typing = await project({
      ...shop,
      "shop/domain/order.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from shop.api.schemas import OrderOut\n\nclass Order:\n    pass\n",
      "pyproject.toml": layers,
    });
    assert.deepEqual(typing.run(check), []);
    const none = await project({ ...shop, "shop/domain/order.py": "from shop.api.schemas import OrderOut\n" });
    assert.deepEqual(none.run(check), []);
  });

  it("checks layers inside each container", async () => {
    const p = await project({
      "app/__init__.py": "",
      "app/orders/__init__.py": "",
      "app/orders/views.py": "from app.orders.domain import Order\n",
      "app/orders/domain.py": "class Order:\n    pass\n",
      "app/billing/__init__.py": "",
      "app/billing/views.py": "",
      "app/billing/domain.py": "from app.billing.views import render\n",
      "pyproject.toml": '[[tool.archscope.contracts.layers]]\ncontainers = ["app.orders", "app.billing"]\nlayers = ["views", "domain"]\n',
    });
    const findings = p.run(check);
    assert.equal(findings.length, 1);
    assert.match(findings[0]?.message ?? "", /`app.billing.domain` imports higher layer `app.billing.views` directly/);
  });

  it("says, at low severity, when a contract names a module the project does not have", async () => {
    const p = await project({ ...shop, "pyproject.toml": '[[tool.archscope.contracts.layers]]\nlayers = ["shop.api", "shop.domian"]\n' });
    const findings = p.run(check);
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.severity, "low");
    assert.match(findings[0]?.message ?? "", /`shop.domian`, which no module of the project matches/);
  });
});

describe("[tool.archscope.contracts] configuration", () => {
  const load = (text: string) => {
    const fileSet: FileSet = { root: "/virtual", files: [{ path: "archscope.toml", kind: "config", size: text.length, text }], diagnostics: [], isGitWorkTree: false } as unknown as FileSet;
    return loadConfig(fileSet, CHECKS);
  };

  it("reads the three contract types, hyphenated keys too, into the config and the context", () => {
    const { config, problems } = load('[[contracts.layers]]\nlayers = ["a.web", "a.core"]\n[[contracts.forbidden]]\nsource-modules = ["a.core"]\nforbidden-modules = ["django"]\n[[contracts.independent]]\nmodules = ["a.x", "a.y"]\n');
    assert.deepEqual(problems, []);
    assert.equal(config.contracts?.layers?.length, 1);
    assert.deepEqual(config.contracts?.forbidden?.[0]?.forbidden_modules, ["django"]);
    assert.equal(config.context.contracts?.independent?.length, 1);
    assert.equal(config.contracts?.source, "archscope.toml contracts");
  });

  it("reports a bad contract and keeps the good ones", () => {
    const { config, problems } = load('[[contracts.layers]]\nname = "one layer"\nlayers = ["a.web"]\n[[contracts.independent]]\nmodules = ["a.x", "a.y"]\n[[contracts.sideways]]\nmodules = ["a"]\n');
    assert.equal(config.contracts?.layers, undefined);
    assert.equal(config.contracts?.independent?.length, 1);
    assert.equal(problems.length, 2);
    assert.match(problems[0] ?? "", /layers\[0\] "one layer": layers:/);
    assert.match(problems[1] ?? "", /unknown contract type "sideways"/);
  });
});
