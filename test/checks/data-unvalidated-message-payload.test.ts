import assert from "node:assert/strict";
import { describe, it } from "node:test";
import unvalidatedMessagePayload from "../../src/checks/data/unvalidated-message-payload.js";
import { locations, project, py } from "../helpers/project.js";

describe("DATA007 task and message payloads used without a schema", () => {
  it("fires on a Celery task that indexes into a dict payload, grouped into one finding", async () => {
    const p = await project({
      "app/__init__.py": "",
      "app/tasks.py": py(
        "from celery import shared_task", // 1
        "from app.models import Order", // 2
        "", // 3
        "@shared_task", // 4
        "def fulfil_order(payload: dict):", // 5
        "    order = Order.objects.get(id=payload[\"order_id\"])", // 6
        "    address = payload[\"address\"]", // 7
        "    ship(order, address, payload.get(\"carrier\"))", // 8
        "", // 9
        "@shared_task", // 10
        "def notify(data):", // 11
        "    send(data[\"email\"], data[\"subject\"])", // 12
      ),
    });
    const findings = p.run(unvalidatedMessagePayload);
    assert.deepEqual(locations(findings), [["DATA007", "app/tasks.py", 5]]);
    assert.equal(findings[0]?.severity, "low");
    assert.equal(findings[0]?.confidence, "low");
    assert.equal(findings[0]?.evidence.length, 2);
    assert.match(findings[0]?.message ?? "", /^2 background tasks and consumers read fields of a dict payload without a schema: task fulfil_order\(payload\) reads 3 fields \("carrier", "order_id"\)/);
  });

  it("fires on a pika consumer callback that parses the body and indexes into it", async () => {
    const p = await project({
      "app/consumer.py": py(
        "import json", // 1
        "import pika", // 2
        "def handle(ch, method, properties, body):", // 3
        "    event = json.loads(body)", // 4
        "    save(event[\"id\"], event[\"amount\"])", // 5
        "channel = pika.BlockingConnection().channel()", // 6
        "channel.basic_consume(queue=\"payments\", on_message_callback=handle)", // 7
      ),
    });
    assert.deepEqual(locations(p.run(unvalidatedMessagePayload)), [["DATA007", "app/consumer.py", 3]]);
  });

  const quiet: Array<[string, string]> = [
    ["a payload validated with a pydantic model", py("from celery import shared_task", "from app.schemas import FulfilOrder", "@shared_task", "def fulfil(payload: dict):", "    msg = FulfilOrder.model_validate(payload)", "    ship(msg.order_id, msg.address)")],
    ["a payload unpacked into a model", py("from celery import shared_task", "from app.schemas import FulfilOrder", "@shared_task", "def fulfil(payload: dict):", "    msg = FulfilOrder(**payload)", "    ship(msg.order_id, payload[\"address\"])")],
    ["a task taking ids", py("from celery import shared_task", "@shared_task", "def fulfil(order_id: int, carrier: str):", "    ship(order_id, carrier)")],
    ["a typed payload", py("from celery import shared_task", "from app.schemas import Order", "@shared_task", "def fulfil(payload: Order):", "    ship(payload.order_id, payload.address)")],
    ["a single field read", py("from celery import shared_task", "@shared_task", "def fulfil(payload: dict):", "    ship(payload[\"order_id\"])")],
    ["a plain function that is not a task", py("def fulfil(payload: dict):", "    ship(payload[\"order_id\"], payload[\"address\"])")],
  ];
  for (const [name, text] of quiet) {
    it(`stays quiet on ${name}`, async () => {
      assert.deepEqual(locations((await project({ "app/tasks.py": text })).run(unvalidatedMessagePayload)), []);
    });
  }

  it("stays quiet on tasks in tests", async () => {
    const p = await project({ "tests/test_tasks.py": py("from celery import shared_task", "@shared_task", "def t(payload: dict):", "    f(payload[\"a\"], payload[\"b\"])") });
    assert.deepEqual(locations(p.run(unvalidatedMessagePayload)), []);
  });
});
