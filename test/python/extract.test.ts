import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { CallFact, FileFacts } from "../../src/python/facts.js";
import { FACTS_VERSION } from "../../src/python/facts.js";
import { parseFile } from "../../src/python/parser.js";
import { detectSourceRoots, ProjectIndex } from "../../src/python/project-index.js";
import { py } from "../helpers/project.js";

function parse(...lines: string[]): Promise<FileFacts> {
  return parseFile(py(...lines), "app/module.py");
}

/** `[callee, qualified]` of every call, in source order. */
function qualifiedCalls(facts: FileFacts): Array<[string, string | null]> {
  return facts.calls.map((c) => [c.callee, c.qualified]);
}

function call(facts: FileFacts, callee: string, line?: number): CallFact {
  const found = facts.calls.find((c) => c.callee === callee && (line === undefined || c.line === line));
  assert.ok(found, `a call to ${callee}${line ? ` on line ${line}` : ""}`);
  return found;
}

describe("parseFile: qualified names", () => {
  it("resolves calls through import aliases, from-imports and dotted imports", async () => {
    const facts = await parse(
      "import requests as r",
      "from requests import get",
      "from requests import post as send",
      "import a.b.c",
      "import os.path",
      "",
      "def main():",
      "    r.get('https://example.com', timeout=5)", // 8
      "    get('https://example.com')",
      "    send('https://example.com')",
      "    a.b.c.f()",
      "    os.path.join('a', 'b')",
      "    unknown.call()",
    );
    assert.deepEqual(qualifiedCalls(facts), [
      ["r.get", "requests.get"],
      ["get", "requests.get"],
      ["send", "requests.post"],
      ["a.b.c.f", "a.b.c.f"],
      ["os.path.join", "os.path.join"],
      ["unknown.call", null],
    ]);
    assert.deepEqual(
      facts.imports.map((i) => [i.module, i.level, i.alias, i.names, i.line]),
      [
        ["requests", 0, "r", null, 1],
        ["requests", 0, null, [{ name: "get", alias: null }], 2],
        ["requests", 0, null, [{ name: "post", alias: "send" }], 3],
        ["a.b.c", 0, null, null, 4],
        ["os.path", 0, null, null, 5],
      ],
    );
    const first = call(facts, "r.get");
    assert.deepEqual([first.line, first.column, first.endLine, first.enclosing], [8, 5, 8, "main"]);
    assert.equal(first.snippet, "r.get('https://example.com', timeout=5)");
  });

  it("keeps relative imports relative, with their leading dots", async () => {
    const facts = await parse(
      "from .db import get_session",
      "from ..core import security as sec",
      "from . import models",
      "",
      "def handler():",
      "    get_session()",
      "    sec.hash_password('x')",
      "    models.User()",
    );
    assert.deepEqual(qualifiedCalls(facts), [
      ["get_session", ".db.get_session"],
      ["sec.hash_password", "..core.security.hash_password"],
      ["models.User", ".models.User"],
    ]);
    assert.deepEqual(
      facts.imports.map((i) => [i.module, i.level]),
      [
        ["db", 1],
        ["core", 2],
        ["", 1],
      ],
    );
  });

  it("names local definitions with #, and self/cls methods with their class", async () => {
    const facts = await parse(
      "def helper():", // 1
      "    pass",
      "",
      "def main():",
      "    helper()", // 5
      "    later()",
      "    Service().run()",
      "",
      "class Service:",
      "    @classmethod",
      "    def build(cls):",
      "        return cls.make()", // 12
      "    def run(self):",
      "        self.helper()", // 14
      "        def inner():",
      "            self.helper()", // 16
      "        inner()",
      "    def helper(self):",
      "        pass",
      "",
      "def later():",
      "    pass",
    );
    assert.deepEqual(qualifiedCalls(facts), [
      ["helper", "#helper"],
      ["later", "#later"],
      // an outer call comes before the calls in its callee and arguments
      ["Service().run", "#Service.run"],
      ["Service", "#Service"],
      ["cls.make", "#Service.make"],
      ["self.helper", "#Service.helper"],
      ["self.helper", "#Service.helper"],
      ["inner", "#Service.run.inner"],
    ]);
    assert.equal(call(facts, "self.helper", 16).enclosing, "Service.run.inner");
    assert.deepEqual(
      facts.functions.map((f) => [f.qualname, f.className]),
      [
        ["helper", null],
        ["main", null],
        ["Service.build", "Service"],
        ["Service.run", "Service"],
        ["Service.run.inner", "Service"],
        ["Service.helper", "Service"],
        ["later", null],
      ],
    );
  });

  it("types parameters from their annotations, including Optional and X | None", async () => {
    const facts = await parse(
      "from typing import Optional",
      "from sqlalchemy.orm import Session",
      "",
      "def save(db: Session, maybe: Optional[Session], other: Session | None = None, plain=None):",
      "    db.execute('x')",
      "    maybe.commit()",
      "    other.rollback()",
      "    plain.execute('y')",
    );
    assert.deepEqual(qualifiedCalls(facts), [
      ["db.execute", "sqlalchemy.orm.Session.execute"],
      ["maybe.commit", "sqlalchemy.orm.Session.commit"],
      ["other.rollback", "sqlalchemy.orm.Session.rollback"],
      ["plain.execute", null],
    ]);
    const params = facts.functions[0]?.params.map((p) => [p.name, p.annotation, p.annotationQualified, p.default]);
    assert.deepEqual(params, [
      ["db", "Session", "sqlalchemy.orm.Session", null],
      ["maybe", "Optional[Session]", "sqlalchemy.orm.Session", null],
      ["other", "Session | None", "sqlalchemy.orm.Session", "None"],
      ["plain", null, null, "None"],
    ]);
  });

  it("types the target of `with X() as c` and of an assignment from a known factory", async () => {
    const facts = await parse(
      "import httpx",
      "import redis",
      "",
      "async def fetch():",
      "    with httpx.Client() as c:",
      "        c.get('https://example.com')",
      "    async with httpx.AsyncClient(timeout=5) as client:",
      "        await client.get('https://example.com')",
      "    plain = httpx.Client()",
      "    plain.get('https://example.com')",
      "    cache = redis.from_url('redis://')",
      "    cache.get('k')",
    );
    // a client's __enter__ returns the client itself: `c` holds what `httpx.Client()` gives
    assert.equal(call(facts, "c.get").qualified, call(facts, "plain.get").qualified);
    // the file writes a third-party instance as a call result; the project index names the class
    const index = new ProjectIndex([facts], detectSourceRoots([facts.path]));
    const resolved = (callee: string) => index.resolve(call(facts, callee).qualified ?? "", "app.module");
    assert.equal(resolved("c.get"), "httpx.Client.get");
    assert.equal(resolved("client.get"), "httpx.AsyncClient.get");
    assert.equal(call(facts, "cache.get").qualified, "redis.Redis.get");
  });

  it("lets parameters and local assignments shadow module imports", async () => {
    const facts = await parse(
      "import requests",
      "",
      "def by_param(requests):",
      "    requests.get('x')",
      "",
      "def by_local():",
      "    requests = FakeClient()",
      "    requests.get('x')",
      "",
      "def function_import():",
      "    import httpx as h",
      "    h.get('x')",
      "",
      "def no_leak():",
      "    h.get('x')",
    );
    assert.deepEqual(qualifiedCalls(facts), [
      ["requests.get", null],
      ["FakeClient", null],
      ["requests.get", null],
      ["h.get", "httpx.get"],
      ["h.get", null],
    ]);
  });
});

describe("parseFile: call details", () => {
  it("flags awaited calls, but not the calls inside an awaited call's arguments", async () => {
    const facts = await parse(
      "import asyncio",
      "",
      "async def main(client):",
      "    await asyncio.gather(first(), second())",
      "    response = await client.get('/x')",
      "    client.close()",
    );
    assert.deepEqual(
      facts.calls.map((c) => [c.callee, c.awaited]),
      [
        ["asyncio.gather", true],
        ["first", false],
        ["second", false],
        ["client.get", true],
        ["client.close", false],
      ],
    );
  });

  it("flags calls inside for and while loops, but not the iterable evaluated once", async () => {
    const facts = await parse(
      "def sync(db, ids):",
      "    for item in load(ids):", // 2
      "        db.get(item)", // 3
      "    while poll():", // 4
      "        db.flush()", // 5
      "    db.commit()", // 6
      "",
      "def outer(items):",
      "    for x in items:",
      "        def inner():",
      "            helper()", // 11: a function defined in a loop runs when called
      "        inner()",
    );
    assert.deepEqual(
      facts.calls.map((c) => [c.callee, c.inLoop]),
      [
        ["load", false],
        ["db.get", true],
        ["poll", true],
        ["db.flush", true],
        ["db.commit", false],
        ["helper", false],
        ["inner", true],
      ],
    );
    assert.deepEqual(
      facts.loops.map((l) => [l.line, l.endLine, l.enclosing, l.isWhileTrue]),
      [
        [2, 3, "sync", false],
        [4, 5, "sync", false],
        [9, 12, "outer", false],
      ],
    );
  });

  it("records keyword arguments with their literal values and kinds", async () => {
    const facts = await parse(
      "import requests",
      "",
      "def call(url, **extra):",
      "    requests.get(url, timeout=None, verify=False, retries=3, name='svc', headers={'a': 1})",
      "    requests.post(url, **extra)",
    );
    const get = call(facts, "requests.get");
    assert.deepEqual(
      get.args.map((a) => [a.name, a.kind, a.value]),
      [
        [null, "name", undefined],
        ["timeout", "none", null],
        ["verify", "bool", false],
        ["retries", "number", 3],
        ["name", "string", "svc"],
        ["headers", "dict", undefined],
      ],
    );
    assert.deepEqual(get.args[0]?.usesParams, ["url"]);
    assert.equal(get.hasStarArgs, false);
    assert.equal(call(facts, "requests.post").hasStarArgs, true);
  });

  it("reads Depends and Security from defaults, from Annotated, and from an Annotated alias", async () => {
    const facts = await parse(
      "from typing import Annotated",
      "from fastapi import Depends, Security",
      "from sqlalchemy.orm import Session",
      "from .deps import get_db, current_user, require_scopes",
      "",
      "CurrentUser = Annotated[dict, Depends(current_user)]",
      "",
      "async def handler(",
      "    db: Session = Depends(get_db),",
      "    user: Annotated[dict, Depends(current_user)] = None,",
      "    admin: dict = Security(require_scopes, scopes=['admin']),",
      "    anon=Depends(),",
      "    aliased: CurrentUser = None,",
      "):",
      "    pass",
    );
    const params = facts.functions[0]?.params ?? [];
    assert.deepEqual(
      params.map((p) => [p.name, p.dependency]),
      [
        ["db", { kind: "Depends", target: "get_db", qualified: ".deps.get_db" }],
        ["user", { kind: "Depends", target: "current_user", qualified: ".deps.current_user" }],
        ["admin", { kind: "Security", target: "require_scopes", qualified: ".deps.require_scopes" }],
        ["anon", { kind: "Depends", target: null, qualified: null }],
        // resolved by the project index through the module assignment below
        ["aliased", null],
      ],
    );
    assert.equal(params[0]?.annotationQualified, "sqlalchemy.orm.Session");
    assert.equal(params[1]?.annotationQualified, "dict");
    assert.equal(params[4]?.annotationQualified, "#CurrentUser");
    const alias = facts.assignments.find((a) => a.target === "CurrentUser");
    assert.deepEqual(alias?.dependency, { kind: "Depends", target: "current_user", qualified: ".deps.current_user" });
  });

  it("records decorators with their arguments and lines, on functions and classes", async () => {
    const facts = await parse(
      "from fastapi import APIRouter, Depends",
      "from flask_login import login_required",
      "from .auth import verify",
      "router = APIRouter()",
      "",
      "@router.get('/items/{item_id}', status_code=200, dependencies=[Depends(verify)])", // 6
      "@login_required", // 7
      "async def read_item(item_id: int):", // 8
      "    pass",
      "",
      "@dataclass(frozen=True)",
      "class Point:",
      "    x: int = 0",
    );
    const fn = facts.functions[0];
    assert.equal(fn?.line, 8);
    assert.equal(fn?.isAsync, true);
    const [route, login] = fn?.decorators ?? [];
    assert.equal(route?.name, "router.get");
    assert.equal(route?.qualified, "#router.get");
    assert.equal(route?.line, 6);
    assert.deepEqual(
      route?.args.map((a) => [a.name, a.kind, a.value]),
      [
        [null, "string", "/items/{item_id}"],
        ["status_code", "number", 200],
        ["dependencies", "list", undefined],
      ],
    );
    assert.deepEqual(route?.args[2]?.dependencies, [{ kind: "Depends", target: "verify", qualified: ".auth.verify" }]);
    assert.deepEqual([login?.name, login?.qualified, login?.args, login?.line], ["login_required", "flask_login.login_required", [], 7]);
    const point = facts.classes[0];
    assert.deepEqual(
      point?.decorators.map((d) => [d.name, d.args.map((a) => [a.name, a.value])]),
      [["dataclass", [["frozen", true]]]],
    );
    assert.deepEqual(
      point?.assignments.map((a) => [a.target, a.annotation, a.value]),
      [["x", "int", 0]],
    );
  });
});

describe("parseFile: imports, mutations, handlers, strings", () => {
  it("flags TYPE_CHECKING imports and imports inside functions", async () => {
    const facts = await parse(
      "import typing",
      "from typing import TYPE_CHECKING",
      "if TYPE_CHECKING:",
      "    from app.models import User", // 4
      "if typing.TYPE_CHECKING:",
      "    import boto3", // 6
      "else:",
      "    import json", // 8
      "",
      "def lazy():",
      "    import pandas as pd", // 11
      "    return pd.DataFrame()",
    );
    assert.deepEqual(
      facts.imports.map((i) => [i.line, i.module, i.typeCheckingOnly, i.insideFunction]),
      [
        [1, "typing", false, false],
        [2, "typing", false, false],
        [4, "app.models", true, false],
        [6, "boto3", true, false],
        [8, "json", false, false],
        [11, "pandas", false, true],
      ],
    );
    assert.equal(call(facts, "pd.DataFrame").qualified, "pandas.DataFrame");
  });

  it("records writes to module-level state from inside functions", async () => {
    const facts = await parse(
      "CACHE = {}",
      "ITEMS = []",
      "COUNT = 0",
      "",
      "def touch(key, local_list):",
      "    global COUNT",
      "    CACHE[key] = 1", // 7
      "    ITEMS.append(key)", // 8
      "    COUNT += 1", // 9
      "    del CACHE[key]", // 10
      "    COUNT = 5", // 11
      "    local_list.append(1)",
      "    mine = []",
      "    mine.append(2)",
      "    ITEMS.count(key)",
      "",
      "CACHE['boot'] = True",
    );
    assert.deepEqual(
      facts.mutations.map((m) => [m.name, m.qualified, m.how, m.line, m.enclosing, m.snippet]),
      [
        ["CACHE", "#CACHE", "subscript", 7, "touch", "CACHE[key] = 1"],
        ["ITEMS", "#ITEMS", "method", 8, "touch", "ITEMS.append(key)"],
        ["COUNT", "#COUNT", "augmented", 9, "touch", "COUNT += 1"],
        ["CACHE", "#CACHE", "del", 10, "touch", "del CACHE[key]"],
        ["COUNT", "#COUNT", "global", 11, "touch", "COUNT = 5"],
      ],
    );
  });

  it("classifies except handler bodies as pass, log, re-raise, return, continue or other", async () => {
    const facts = await parse(
      "import logging",
      "logger = logging.getLogger(__name__)",
      "",
      "def handle(items):",
      "    try:",
      "        pass",
      "    except ValueError:", // 7
      "        pass",
      "    except (KeyError, TypeError) as e:", // 9
      "        logger.exception('failed')",
      "    except RuntimeError as e:", // 11
      "        raise HTTPException(500) from e",
      "    except OSError:", // 13
      "        return None",
      "    except:", // 15
      "        ...",
      "    for item in items:",
      "        try:",
      "            pass",
      "        except LookupError:", // 20
      "            continue",
      "    try:",
      "        pass",
      "    except Exception:", // 24
      "        cleanup()",
    );
    assert.deepEqual(
      facts.excepts.map((e) => [e.line, e.types, e.body, e.enclosing]),
      [
        [7, ["ValueError"], "pass", "handle"],
        [9, ["KeyError", "TypeError"], "log", "handle"],
        [11, ["RuntimeError"], "reraise", "handle"],
        [13, ["OSError"], "return", "handle"],
        [15, [], "pass", "handle"],
        [20, ["LookupError"], "continue", "handle"],
        [24, ["Exception"], "other", "handle"],
      ],
    );
  });

  it("collects strings that read as SQL, and not prose that starts with an SQL word", async () => {
    const facts = await parse(
      "def queries(cursor, name):",
      "    cursor.execute('SELECT id FROM users WHERE name = %s', (name,))", // 2
      "    q1 = f'DELETE FROM sessions WHERE user = {name}'", // 3
      "    q2 = 'UPDATE users SET name = \\'' + name + '\\''", // 4
      "    q3 = 'select * from t where id = %s' % name", // 5
      "    q4 = 'INSERT INTO t VALUES ({})'.format(name)", // 6
      "    note = 'Update the docs when the release is out'",
      "    title = 'Select a plan'",
      "",
      "CREATE = '''",
      "CREATE TABLE audit (id integer)", // 11
      "'''",
    );
    const byLine = new Map<number, Set<string>>();
    for (const s of facts.sqlStrings) byLine.set(s.line, (byLine.get(s.line) ?? new Set()).add(s.kind));
    assert.deepEqual([...byLine.keys()], [2, 3, 4, 5, 6, 10]);
    assert.ok(byLine.get(2)?.has("string"));
    assert.ok(byLine.get(3)?.has("fstring"));
    assert.ok(byLine.get(4)?.has("concat"));
    assert.ok(byLine.get(5)?.has("percent"));
    assert.ok(byLine.get(6)?.has("string"));
    assert.equal(facts.sqlStrings.find((s) => s.line === 3)?.enclosing, "queries");
    assert.equal(facts.sqlStrings.find((s) => s.line === 10)?.enclosing, null);
  });

  it("reads inline suppressions with their ids and reason", async () => {
    const facts = await parse(
      "def q(cursor, t):",
      "    # archscope: ignore[SEC003, db006] table name comes from an allow-list", // 2
      "    cursor.execute(f'SELECT * FROM {t}')",
      "    x = 1  # archscope: ignore[PERF001]", // 4
      "    y = 2  # archscope: ignore[] nothing",
      "    # archscope ignore[SEC003] missing colon",
    );
    assert.deepEqual(facts.suppressions, [
      { line: 2, ids: ["SEC003", "DB006"], reason: "table name comes from an allow-list" },
      { line: 4, ids: ["PERF001"], reason: "" },
    ]);
  });

  it("reads suppressions and line numbers the same way in a file with CRLF line endings", async () => {
    const source = py(
      "import requests",
      "def f():",
      "    # archscope: ignore[PERF002] called once at start-up",
      "    requests.get('x')  # archscope: ignore[SEC001]",
    ).replace(/\n/g, "\r\n");
    const facts = await parseFile(source, "app/crlf.py");
    assert.deepEqual(facts.suppressions, [
      { line: 3, ids: ["PERF002"], reason: "called once at start-up" },
      { line: 4, ids: ["SEC001"], reason: "" },
    ]);
    assert.deepEqual(
      facts.calls.map((c) => [c.qualified, c.line]),
      [["requests.get", 4]],
    );
  });
});

describe("parseFile: whole-file facts", () => {
  it("keeps extracting after a syntax error and reports the error's line", async () => {
    const facts = await parse(
      "import requests", // 1
      "",
      "def before():",
      "    return requests.get('a')", // 4
      "",
      "x = = 2", // 6
      "",
      "def after():",
      "    return requests.post('b')", // 9
      "",
      "class Later:",
      "    def run(self):",
      "        helper()", // 13
      "",
      "def helper():",
      "    pass",
    );
    assert.deepEqual(
      facts.functions.map((f) => f.qualname),
      ["before", "after", "Later.run", "helper"],
    );
    assert.deepEqual(
      facts.calls.map((c) => [c.qualified, c.line, c.enclosing]),
      [
        ["requests.get", 4, "before"],
        ["requests.post", 9, "after"],
        ["#helper", 13, "Later.run"],
      ],
    );
    assert.equal(facts.errors.length, 1);
    assert.equal(facts.errors[0]?.line, 6);
    assert.match(facts.errors[0]?.message ?? "", /syntax error/);
  });

  it("reports an unclosed parenthesis where it is missing, and still sees the next function", async () => {
    const facts = await parse("def broken(:", "    pass", "", "def fine():", "    open('x')");
    assert.deepEqual(
      facts.functions.map((f) => f.name),
      ["broken", "fine"],
    );
    assert.equal(call(facts, "open").enclosing, "fine");
    assert.deepEqual(
      facts.errors.map((e) => e.line),
      [1],
    );
  });

  it("keeps the first 20 syntax errors, in source order", async () => {
    const lines = Array.from({ length: 25 }, (_, i) => `x${i} = = 1`);
    const facts = await parse(...lines, "def ok():", "    pass");
    assert.deepEqual(
      facts.errors.map((e) => e.line),
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    assert.deepEqual(
      facts.functions.map((f) => f.name),
      ["ok"],
    );
  });

  it("counts lines, notes a __main__ guard, and has no errors on clean code", async () => {
    const facts = await parse("# a comment", "", "def main():", "    pass", "", "if __name__ == '__main__':", "    main()");
    assert.equal(facts.version, FACTS_VERSION);
    assert.equal(facts.path, "app/module.py");
    assert.equal(facts.lines, 8);
    assert.equal(facts.codeLines, 4);
    assert.equal(facts.hasMainGuard, true);
    assert.deepEqual(facts.errors, []);
  });

  it("gives the same facts for the same source, as plain JSON", async () => {
    const source = py("import requests", "async def f(x: int = 1):", "    for i in range(x):", "        await requests.get(f'/{i}')");
    const first = await parseFile(source, "a.py");
    const second = await parseFile(source, "a.py");
    assert.deepEqual(first, second);
    assert.deepEqual(JSON.parse(JSON.stringify(first)), first);
  });
});

describe("parseFile: loops, literals and imports (regressions)", () => {
  it("marks comprehension bodies as in a loop and a loop's else as not", async () => {
    const facts = await parse(
      "import requests as r",
      "def f(items):",
      "    for u in items:",
      "        pass",
      "    else:",
      "        r.post('done')", // 6
      "    return [r.get(u) for u in items]", // 7
    );
    assert.equal(call(facts, "r.post").inLoop, false);
    assert.equal(call(facts, "r.get").inLoop, true);
    assert.equal(facts.loops.length, 2);
  });

  it("reads negative numbers as numbers, records __future__ imports, and one SQL string per expression", async () => {
    const facts = await parse(
      "from __future__ import annotations",
      "import requests as r",
      "def f(name):",
      "    r.put('x', backoff=-0.5)",
      "    y = 'SELECT * FROM a WHERE n = ' + name",
    );
    const backoff = call(facts, "r.put").args.find((a) => a.name === "backoff");
    assert.equal(backoff?.kind, "number");
    assert.equal(backoff?.value, -0.5);
    assert.deepEqual(facts.imports.map((i) => i.module), ["__future__", "requests"]);
    assert.equal(facts.sqlStrings.length, 1);
    assert.equal(facts.sqlStrings[0]?.kind, "concat");
  });
});

describe("parseFile: attribute assignments", () => {
  it("keeps what a local is when one of its attributes is assigned", async () => {
    const facts = await parse(
      "from flask import Flask",
      "def create_app():",
      "    app = Flask(__name__)",
      "    app.redis = make_redis()",
      "    a, (b, c) = 1, (2, 3)",
      "    app.register_blueprint(bp)",
    );
    assert.equal(call(facts, "app.register_blueprint").qualified, "flask.Flask().register_blueprint");
  });
});

describe("parseFile: pathological nesting", () => {
  it("skips a statement nested too deeply to walk and keeps the rest of the file", async () => {
    const source = `DEBUG = True\nx = ${"(".repeat(30_000)}1${")".repeat(30_000)}\ndef handler():\n    return eval(input())\n`;
    const facts = await parseFile(source, "app/deep.py");
    assert.deepEqual(
      facts.assignments.map((a) => a.target),
      ["DEBUG"],
    );
    assert.deepEqual(
      facts.functions.map((f) => f.name),
      ["handler"],
    );
    assert.deepEqual(facts.errors, [{ line: 2, column: 1, message: "statement nested too deeply to analyse: skipped" }]);
  });
});
