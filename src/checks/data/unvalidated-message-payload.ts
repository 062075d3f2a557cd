import { fileRole } from "../../core/file-roles.js";
import type { Evidence } from "../../model/types.js";
import type { FunctionInfo, ProjectIndex } from "../../python/project-index.js";
import { plural } from "../../core/prose.js";
import { isServiceCode } from "../code-paths.js";
import { defineCheck } from "../define.js";

/** Decorators that make a function a background task (Celery, Dramatiq, Huey, RQ, arq, TaskIQ). */
const TASK_DECORATOR = /(^|\.)(task|shared_task|actor|periodic_task|job|db_task|db_periodic_task)$/;
/** Calls that register a message consumer callback (pika, aio-pika, kombu). */
const CONSUME_CALL = /(^|\.)(basic_consume|consume|register_callback)$/;
/** Annotations that accept any mapping: no schema. */
const LOOSE = /^(dict|Dict|typing\.Dict|Mapping|typing\.Mapping|MutableMapping|Any|typing\.Any|JSON|Json|JSONDict|object)(\[.*\])?$/;
/** Names of parameters that carry a message body when not annotated. */
const PAYLOAD_NAME = /^(payload|data|event|event_data|message|msg|body|message_body|json_data|notification|webhook_data|record|params)$/;
/** Calls that validate a mapping: a pydantic model, a marshmallow schema, a serializer, jsonschema, a dataclass converter. */
const VALIDATING_CALL = /(^|\.)(model_validate|model_validate_json|parse_obj|parse_raw|validate|validate_python|validate_json|load|loads_schema|is_valid|from_dict|structure|TypeAdapter|deserialize|full_clean)$/;
const PARSE_CALL = /^(json|orjson|ujson|simplejson)\.loads$/;
const MIN_FIELD_READS = 2;
const MAX_LISTED = 6;

interface Unchecked {
  fn: FunctionInfo;
  param: string;
  reads: number;
  keys: string[];
  kind: "task" | "consumer";
}

/** Functions registered as message consumers: `channel.basic_consume(queue, on_message_callback=handle)`. */
function consumers(index: ProjectIndex): Set<string> {
  const out = new Set<string>();
  for (const mod of index.modules.values()) {
    for (const call of mod.facts.calls) {
      if (!CONSUME_CALL.test(call.callee)) continue;
      for (const arg of call.args) {
        if (arg.name !== null && !/callback/.test(arg.name)) continue;
        if (arg.qualified && (arg.kind === "name" || arg.kind === "attribute")) out.add(index.resolve(arg.qualified, mod.name));
      }
    }
  }
  return out;
}

/** The payload parameter (or the name a payload parameter is parsed into) read field by field without a schema. */
function unchecked(index: ProjectIndex, fn: FunctionInfo, kind: Unchecked["kind"]): Unchecked | null {
  const facts = index.modules.get(fn.module)?.facts;
  if (!facts) return null;
  const params = fn.fact.params.filter((p) => p.name !== "self" && p.name !== "cls" && (p.annotation === null ? PAYLOAD_NAME.test(p.name) : LOOSE.test(p.annotation.trim())));
  if (!params.length) return null;
  const flows = facts.flows.filter((f) => f.enclosing === fn.fact.qualname);
  const calls = index.callsIn(fn.id).map((c) => c.call);
  // `data = json.loads(body)`: the parsed name is the payload too
  const names = new Map<string, string>(params.map((p) => [p.name, p.name]));
  for (const f of flows) {
    const source = f.reads.find((r) => names.has(r));
    if (source && f.call && PARSE_CALL.test(f.call)) for (const t of f.targets) if (t !== "return") names.set(t, names.get(source) as string);
  }
  // validated anywhere in the function: a schema or model given the payload
  const validated = calls.some((c) => {
    const givesPayload = c.args.some((a) => a.reads?.some((r) => names.has(r))) || (c.unpacked ?? []).some((u) => names.has(u));
    if (!givesPayload) return false;
    const last = c.callee.slice(c.callee.lastIndexOf(".") + 1);
    return VALIDATING_CALL.test(c.callee) || (/^[A-Z]/.test(last) && (c.unpacked ?? []).some((u) => names.has(u))) || /Schema|Serializer|Model|Event|Message|Payload|Command|DTO/.test(last);
  });
  if (validated) return null;
  let best: Unchecked | null = null;
  for (const [name, param] of names) {
    const keys = new Set<string>();
    let reads = 0;
    const subscript = new RegExp(`(?<![\\w.])${name}\\s*\\[\\s*["']([^"']+)["']`, "g");
    for (const c of calls) {
      if (c.callee === `${name}.get` || c.callee === `${name}.pop`) {
        reads++;
        const key = c.args[0]?.value;
        if (typeof key === "string") keys.add(key);
      }
      for (const a of c.args) {
        for (const m of a.text.matchAll(subscript)) {
          reads++;
          keys.add(m[1] as string);
        }
      }
    }
    // `order_id = payload["order_id"]`: a value that reads the payload alone and calls nothing is a field of it
    reads += flows.filter((f) => f.reads.length === 1 && f.reads[0] === name && !f.call && !f.targets.includes(name) && !f.targets.includes("return") && !names.has(f.targets[0] ?? "")).length;
    if (reads >= MIN_FIELD_READS && (!best || reads > best.reads)) best = { fn, param, reads, keys: [...keys].sort().slice(0, 4), kind };
  }
  return best;
}

export default defineCheck({
  id: "DATA007",
  area: "data",
  title: "Task and message payloads used without a schema",
  severity: "low",
  kind: "concern",
  confidence: "low",
  why: "Validation at the HTTP edge does not cover data that arrives another way: task arguments and queue messages are produced by other code, other versions of this code (during a deploy, or from messages queued before it) or other services. Read field by field from a dict, a renamed or missing key fails halfway through the work with a KeyError, or silently becomes `None`, and a retry repeats the failure.",
  recommendation: "Give each message a schema and validate it where it enters: a pydantic model (`OrderPaid.model_validate(payload)`) or a dataclass/msgspec Struct for task and consumer payloads, pass ids rather than whole objects to Celery tasks, and version the message format when it changes. FastStream and Celery with pydantic (`@app.task(pydantic=True)` in Celery 5.5) validate typed parameters themselves.",
  example: {
    bad: "@shared_task\ndef fulfil_order(payload: dict):\n    order = Order.objects.get(id=payload[\"order_id\"])\n    ship(order, payload[\"address\"])",
    good: "class FulfilOrder(BaseModel):\n    order_id: int\n    address: Address\n\n@shared_task\ndef fulfil_order(payload: dict):\n    msg = FulfilOrder.model_validate(payload)\n    ship(Order.objects.get(id=msg.order_id), msg.address)",
  },
  references: ["https://docs.celeryq.dev/en/stable/userguide/tasks.html#argument-checking", "https://docs.pydantic.dev/latest/concepts/models/#validating-data", "https://faststream.airt.ai/latest/getting-started/subscription/annotation/"],
  effort: "M",
  libraries: ["pydantic", "msgspec", "marshmallow", "faststream"],
  run({ index }) {
    const registered = consumers(index);
    const found: Unchecked[] = [];
    for (const fn of index.functions.values()) {
      if (!isServiceCode(fn.file) || fileRole(fn.file) !== "application") continue;
      const task = fn.fact.decorators.some((d) => TASK_DECORATOR.test(d.qualified ? index.resolve(d.qualified, fn.module) : d.name));
      const consumer = registered.has(fn.id);
      if (!task && !consumer) continue;
      const hit = unchecked(index, fn, task ? "task" : "consumer");
      if (hit) found.push(hit);
    }
    if (!found.length) return [];
    found.sort((a, b) => b.reads - a.reads || (a.fn.file < b.fn.file ? -1 : a.fn.file > b.fn.file ? 1 : a.fn.fact.line - b.fn.fact.line));
    const listed = found.slice(0, MAX_LISTED);
    const describe = (u: Unchecked) => `${u.kind} ${u.fn.fact.qualname}(${u.param}) reads ${plural(u.reads, "field")}${u.keys.length ? ` (${u.keys.map((k) => `"${k}"`).join(", ")})` : ""} (${u.fn.file}:${u.fn.fact.line})`;
    const evidence: Evidence[] = listed.map((u) => ({ file: u.fn.file, line: u.fn.fact.line, snippet: `def ${u.fn.fact.name}(... ${u.param} ...): ${u.reads} field reads, no schema` }));
    return [
      {
        message: `${found.length === 1 ? "1 background task or consumer reads" : `${found.length} background tasks and consumers read`} fields of a dict payload without a schema: ${listed.map(describe).join("; ")}${found.length > MAX_LISTED ? `, and ${found.length - MAX_LISTED} more` : ""}. A payload from an older or newer producer fails mid-task (heuristic: field reads are counted from the code, not proven).`,
        evidence,
      },
    ];
  },
});
