import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { runReview } from "../../src/pipeline.js";
import { renderMarkdown } from "../../src/report/markdown.js";
import { project, py } from "../helpers/project.js";

const TORNADO = {
  "svc/__init__.py": "",
  "svc/handlers.py": py(
    "import tornado.web", // 1
    "class ItemsHandler(tornado.web.RequestHandler):",
    "    def get(self): ...",
    "class OrdersHandler(tornado.web.RequestHandler):", // 4
    "    def post(self): ...",
  ),
  "svc/app.py": py("import tornado.web", "from svc.handlers import ItemsHandler, OrdersHandler", 'app = tornado.web.Application([(r"/items", ItemsHandler), (r"/orders", OrdersHandler)])'),
  "tests/test_app.py": py("import tornado.web", "class FakeHandler(tornado.web.RequestHandler): ..."),
};

describe("frameworks archscope does not read", () => {
  let root = "";
  before(async () => {
    root = await mkdtemp(join(tmpdir(), "archscope-unread-"));
    for (const [path, text] of Object.entries(TORNADO)) {
      await mkdir(dirname(join(root, path)), { recursive: true });
      await writeFile(join(root, path), text);
    }
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("says plainly in the review that Tornado handlers were not read, instead of reporting 0 endpoints as a fact", async () => {
    const { review } = await runReview(root, { cacheDir: null, jobs: 1, isolated: true });
    assert.deepEqual(review.model.unreadFrameworks, [
      {
        name: "Tornado",
        unit: "RequestHandler class",
        handlers: 2,
        evidence: [
          { file: "svc/app.py", line: 3, snippet: 'app = tornado.web.Application([(r"/items", ItemsHandler), (r"/orders", OrdersHandler)])' },
          { file: "svc/handlers.py", line: 2, snippet: "class ItemsHandler(tornado.web.RequestHandler)" },
          { file: "svc/handlers.py", line: 4, snippet: "class OrdersHandler(tornado.web.RequestHandler)" },
        ],
      },
    ]);
    assert.match(review.summary.assessment, /with 0 endpoints read \(Tornado handlers not read\) and/);
    const md = renderMarkdown(review);
    const sentence = "No endpoints were read: archscope does not read Tornado (2 RequestHandler classes) at svc/app.py:3, svc/handlers.py:2, svc/handlers.py:4.";
    assert.ok(md.includes(sentence), "the sentence appears in the markdown");
    assert.ok(!md.includes("No HTTP endpoints were found."));
    // in the endpoint inventory, at the head of the API section, and in the analysis notes
    const at = (heading: string) => md.indexOf(sentence, md.indexOf(heading));
    assert.ok(at("### Endpoints") > 0 && at("### C. API design") > 0 && at("**Analysis notes**") > 0);
  });

  it("counts the endpoints read beside an unread framework, and stays quiet for imports alone and for tests", async () => {
    const both = await project({
      "app/main.py": py("from fastapi import FastAPI", "app = FastAPI()", '@app.get("/a")', "def a(): ..."),
      "app/rpc.py": py("import grpc", "from app.protos import orders_pb2_grpc", "class Orders(orders_pb2_grpc.OrdersServicer): ...", "server = grpc.server(None)", "orders_pb2_grpc.add_OrdersServicer_to_server(Orders(), server)"),
    });
    assert.deepEqual(
      both.model.unreadFrameworks?.map((u) => [u.name, u.handlers, u.evidence.map((e) => `${e.file}:${e.line}`)]),
      [["gRPC", 1, ["app/rpc.py:3", "app/rpc.py:4", "app/rpc.py:5"]]],
    );
    assert.equal(both.model.endpoints.length, 1);
    const quiet = await project({
      "app/client.py": py("import tornado.httpclient", "import bottle", "def fetch(): return tornado.httpclient.HTTPClient().fetch('http://x')"),
      "scripts/dev_server.py": py("import bottle", "bottle.run(port=8080)"),
      "tests/test_x.py": py("import tornado.web", "class H(tornado.web.RequestHandler): ..."),
    });
    assert.deepEqual(quiet.model.unreadFrameworks, []);
  });
});
