import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readProcfiles } from "../../../src/model/deployment/procfile.js";
import { classifyPath } from "../../../src/workspace/classify.js";
import type { WorkspaceFile } from "../../../src/workspace/types.js";

function file(path: string, ...lines: string[]): WorkspaceFile {
  const text = `${lines.join("\n")}\n`;
  return { path, kind: classifyPath(path), size: text.length, text };
}

describe("readProcfiles", () => {
  it("reads each process type with its command and line, skipping comments and blank lines", () => {
    const entries = readProcfiles([
      file("Procfile", "# Heroku processes", "web: gunicorn app.main:app --workers 4", "", "worker:   celery -A app.tasks worker", "release: python manage.py migrate"),
    ]);
    assert.deepEqual(
      entries.map(({ server, ...entry }) => ({ ...entry, server: server?.server ?? null })),
      [
        { file: "Procfile", line: 2, process: "web", command: "gunicorn app.main:app --workers 4", server: "gunicorn" },
        { file: "Procfile", line: 4, process: "worker", command: "celery -A app.tasks worker", server: "celery" },
        { file: "Procfile", line: 5, process: "release", command: "python manage.py migrate", server: null },
      ],
    );
  });

  it("reads Procfiles in sub-folders and ignores other files, CRLF line ends included", () => {
    const crlf: WorkspaceFile = { path: "services/api/Procfile", kind: "config", size: 30, text: "web: uvicorn api:app\r\nclock: python clock.py\r\n" };
    const entries = readProcfiles([crlf, file("Procfile.dev", "web: flask run"), file("docs/Procfile.md", "web: nope")]);
    assert.deepEqual(
      entries.map((e) => [e.file, e.line, e.process, e.command]),
      [
        ["services/api/Procfile", 1, "web", "uvicorn api:app"],
        ["services/api/Procfile", 2, "clock", "python clock.py"],
      ],
    );
  });

  it("ignores lines that are not `name: command`", () => {
    assert.deepEqual(readProcfiles([file("Procfile", "web:", "just some text", "  : gunicorn app:app")]), []);
  });
});
