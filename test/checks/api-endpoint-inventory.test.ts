import assert from "node:assert/strict";
import { describe, it } from "node:test";
import endpointInventory from "../../src/checks/api/endpoint-inventory.js";
import { project, py } from "../helpers/project.js";

describe("API001 endpoint inventory", () => {
  it("reports one info finding with counts by method, framework, auth, async, pagination and schemas, on the app file", async () => {
    const p = await project({
      "app/__init__.py": "",
      "app/main.py": py(
        "from fastapi import Depends, FastAPI",
        "from pydantic import BaseModel",
        "app = FastAPI()",
        "class Item(BaseModel):",
        "    name: str",
        "def current_user(token: str = Depends(oauth2_scheme)):",
        "    return token",
        '@app.get("/items", response_model=list[Item])',
        "async def list_items(limit: int = 50, offset: int = 0):",
        "    return []",
        '@app.post("/items", response_model=Item)',
        "def create_item(item: Item, user=Depends(current_user)):",
        "    return item",
        '@app.delete("/items/{item_id}")',
        "async def delete_item(item_id: int):",
        "    return None",
      ),
      "app/deps.py": py("from fastapi.security import OAuth2PasswordBearer", 'oauth2_scheme = OAuth2PasswordBearer(tokenUrl="token")'),
    });
    const findings = p.run(endpointInventory);
    assert.equal(findings.length, 1);
    const f = findings[0];
    assert.equal(f?.id, "API001");
    assert.equal(f?.severity, "info");
    assert.deepEqual(f?.evidence, [{ file: "app/main.py", line: null }]);
    assert.match(f?.message ?? "", /^3 HTTP endpoints; by method: GET 1, POST 1, DELETE 1; by framework: FastAPI 3; authentication: /);
    assert.match(f?.message ?? "", /async handlers: 2 of 3 \(67 %\); collections paginated: 1 of 1 \(100 %\); request schema declared on 1 of 1 \(100 %\) POST\/PUT\/PATCH endpoints; response schema declared on 2 of 2 \(100 %\) endpoints\.$/);
  });

  it("is quiet when the project serves no endpoint", async () => {
    const p = await project({ "tool/run.py": py("def main():", "    print('hi')") });
    assert.deepEqual(p.run(endpointInventory), []);
  });
});
