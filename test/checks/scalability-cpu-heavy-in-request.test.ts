import assert from "node:assert/strict";
import { describe, it } from "node:test";
import cpuHeavy from "../../src/checks/scalability/cpu-heavy-in-request.js";
import { locations, project, py } from "../helpers/project.js";

describe("PERF002 CPU-heavy work inside request handlers", () => {
  it("fires on image processing reached from a FastAPI handler through a helper, naming the chain", async () => {
    const p = await project({
      "app/__init__.py": "",
      "app/images.py": py(
        "from PIL import Image", // 1
        "",
        "def make_thumbnail(data, path):", // 3
        "    img = Image.open(data)", // 4
        "    img.save(path)",
      ),
      "app/api.py": py(
        "from fastapi import FastAPI, UploadFile", // 1
        "from app.images import make_thumbnail",
        "app = FastAPI()",
        "",
        '@app.post("/avatar")',
        "async def avatar(file: UploadFile):", // 6
        '    make_thumbnail(file.file, "/tmp/a.png")', // 7
        "    return {}",
      ),
    });
    const findings = p.run(cpuHeavy);
    assert.deepEqual(locations(findings), [["PERF002", "app/api.py", 7]]);
    assert.equal(findings[0]?.severity, "medium");
    assert.match(findings[0]?.message ?? "", /image processing \(Image\.open\(\), img\.save\(\)\) in api\.avatar \(api\.avatar → images\.make_thumbnail → Image\.open\(\)\) runs inside an `async def` handler/);
  });

  it("fires on password hashing in an async handler but not in a sync Flask view or a plain def FastAPI handler", async () => {
    const p = await project({
      "app/api.py": py(
        "import bcrypt", // 1
        "from fastapi import FastAPI",
        "app = FastAPI()",
        "",
        '@app.post("/login")',
        "async def login(password: str):", // 6
        "    return bcrypt.checkpw(password.encode(), b'x')", // 7
        "",
        '@app.post("/login2")',
        "def login2(password: str):", // 10
        "    return bcrypt.checkpw(password.encode(), b'x')",
      ),
      "web/views.py": py(
        "from flask import Flask",
        "from werkzeug.security import check_password_hash",
        "app = Flask(__name__)",
        "",
        '@app.route("/login", methods=["POST"])',
        "def login():",
        "    return str(check_password_hash('h', 'p'))",
      ),
    });
    const findings = p.run(cpuHeavy);
    assert.deepEqual(locations(findings), [["PERF002", "app/api.py", 7]]);
    assert.match(findings[0]?.message ?? "", /password hashing/);
  });

  it("fires on PDF generation in a sync Flask view (holds a worker)", async () => {
    const p = await project({
      "web/views.py": py(
        "from flask import Flask", // 1
        "from weasyprint import HTML",
        "app = Flask(__name__)",
        "",
        '@app.route("/invoice.pdf")',
        "def invoice():",
        "    return HTML(string='<p>x</p>').write_pdf()", // 7
      ),
    });
    const findings = p.run(cpuHeavy);
    assert.deepEqual(locations(findings), [["PERF002", "web/views.py", 7]]);
    assert.match(findings[0]?.message ?? "", /holding a worker/);
  });

  it("stays quiet when the work is handed to a thread, a task, or sits outside request handlers", async () => {
    const p = await project({
      "app/__init__.py": "",
      "app/images.py": py("from PIL import Image", "", "def make_thumbnail(data, path):", "    Image.open(data).save(path)"),
      "app/tasks.py": py("from celery import shared_task", "from app.images import make_thumbnail", "", "@shared_task", "def thumb(key):", "    make_thumbnail(key, key)"),
      "app/api.py": py(
        "import asyncio",
        "from fastapi import FastAPI",
        "from starlette.concurrency import run_in_threadpool",
        "from app.images import make_thumbnail",
        "from app.tasks import thumb",
        "app = FastAPI()",
        "",
        '@app.post("/a")',
        "async def a(key: str):",
        "    await run_in_threadpool(make_thumbnail, key, key)",
        "    await asyncio.to_thread(make_thumbnail, key, key)",
        "    thumb.delay(key)",
      ),
      "tests/test_images.py": py("from PIL import Image", "def test_x():", "    Image.new('RGB', (1, 1))"),
    });
    assert.deepEqual(p.run(cpuHeavy), []);
  });
});

describe("PERF002 grouping", () => {
  it("reports five async handlers reaching one hashing helper as one finding about the helper", async () => {
    const handlers = Array.from({ length: 5 }, (_, i) => [`@app.post("/a${i}")`, `async def a${i}(pw: str):`, "    return check(pw)"]).flat();
    const p = await project({
      "app/api.py": py("import bcrypt", "from fastapi import FastAPI", "app = FastAPI()", "", "def check(pw):", "    return bcrypt.checkpw(pw.encode(), b'x')", ...handlers),
    });
    const findings = p.run(cpuHeavy);
    assert.equal(findings.length, 1);
    assert.deepEqual(locations(findings), [["PERF002", "app/api.py", 6]]);
    assert.match(findings[0]?.message ?? "", /password hashing \(bcrypt\.checkpw\(\) in api\.check\) runs inside 5 request handlers, 5 of them `async def`/);
    assert.equal(findings[0]?.evidence.length, 6);
  });
});
