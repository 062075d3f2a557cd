import type { ArgumentFact, CallFact } from "../../python/facts.js";
import { defineCheck } from "../define.js";
import type { TaintOrigin } from "../taint.js";
import type { Report } from "../types.js";
import { type SinkArgument, type SinkCall, byOrigin, describeOrigin, groupEvidence, otherPlaces, shortName, sinkCalls } from "./sinks.js";

/** Functions that open, send, copy or delete the file a path names. */
const PATH_SINKS: Record<string, SinkArgument> = {
  open: { position: 0, keyword: "file" },
  "io.open": { position: 0, keyword: "file" },
  "os.open": { position: 0, keyword: "path" },
  "os.remove": { position: 0, keyword: "path" },
  "os.unlink": { position: 0, keyword: "path" },
  "os.rmdir": { position: 0, keyword: "path" },
  "os.listdir": { position: 0, keyword: "path" },
  "shutil.rmtree": { position: 0, keyword: "path" },
  "shutil.copy": { position: 0, keyword: "src" },
  "shutil.copyfile": { position: 0, keyword: "src" },
  "shutil.move": { position: 0, keyword: "src" },
  "flask.send_file": { position: 0, keyword: "path_or_file" },
  "flask.helpers.send_file": { position: 0, keyword: "path_or_file" },
  "werkzeug.utils.send_file": { position: 0, keyword: "path_or_file" },
  "starlette.responses.FileResponse": { position: 0, keyword: "path" },
  "fastapi.responses.FileResponse": { position: 0, keyword: "path" },
  "aiofiles.open": { position: 0, keyword: "file" },
  "anyio.open_file": { position: 0, keyword: "file" },
};
/** `Path(value).read_text()`: the constructor gets the value, the method on the same line touches the file. */
const PATH_CONSTRUCTORS = /^(pathlib\.Path|pathlib\.PurePath|anyio\.Path|aiofiles\.os\.path)$/;
const FILE_METHOD = /\)\s*\.\s*(open|read_text|read_bytes|write_text|write_bytes|unlink|rmdir|iterdir)\s*\(/;
/** Calls that reduce a client's value to a bare file name, or join it safely under a directory. */
const CONTAINED = /\b(secure_filename|basename|safe_join|get_valid_filename|slugify)\s*\(/;

function sinkFor(resolved: string, call: CallFact): SinkArgument | null {
  const known = PATH_SINKS[resolved];
  if (known) return known;
  if (PATH_CONSTRUCTORS.test(resolved) && FILE_METHOD.test(call.snippet)) return { position: 0, keyword: "path" };
  return null;
}

/**
 * Whether the path starts with the path parameter itself (`open(name)`, `open(name + ".csv")`, `f"{name}.txt"`),
 * not with a folder the code chose (`os.path.join(UPLOADS, name)`, `f"{UPLOADS}/{name}"`).
 */
function beginsWithSegment(arg: ArgumentFact, origin: TaintOrigin): boolean {
  const name = /^path parameter `(\w+)`/.exec(origin.source)?.[1];
  if (!name || origin.via.length) return false;
  const text = arg.text.trim();
  if (arg.kind === "name") return text === name;
  if (arg.kind === "concat") return new RegExp(`^\\(?\\s*${name}\\s*\\+`).test(text);
  if (arg.kind === "fstring") return new RegExp(`^[rR]?[fF][rR]?("|')\\{${name}\\}`).test(text);
  return false;
}

export default defineCheck({
  id: "SEC021",
  area: "security",
  title: "Path traversal",
  severity: "high",
  kind: "concern",
  confidence: "high",
  why: "A file path built from what the client sends can climb out of the intended folder with `../` or name an absolute path: the client reads the application's settings, keys and source, or overwrites and deletes files the service can write.",
  recommendation: "Keep client values out of paths: store uploads under generated names (a UUID) and look them up by id. Where a client name must be used, reduce it with `werkzeug.utils.secure_filename`, serve with `flask.send_from_directory` or `werkzeug.security.safe_join`, or resolve the path and check it is inside the base folder (`Path(base, name).resolve().is_relative_to(base)`).",
  example: {
    bad: 'return send_file(os.path.join(UPLOAD_DIR, request.args["name"]))',
    good: 'return send_from_directory(UPLOAD_DIR, secure_filename(request.args["name"]))',
  },
  references: ["https://cwe.mitre.org/data/definitions/22.html", "https://owasp.org/Top10/A01_2021-Broken_Access_Control/", "https://flask.palletsprojects.com/en/stable/api/#flask.send_from_directory"],
  effort: "S",
  libraries: ["werkzeug"],
  cwe: "CWE-22",
  owasp: "A01:2021",
  run(input) {
    const kept: SinkCall[] = [];
    const relative: SinkCall[] = [];
    for (const sink of sinkCalls(input, sinkFor)) {
      const origin = sink.origin;
      if (!origin || CONTAINED.test(sink.arg.text)) continue;
      // the function reduces the value to a file name or checks where the path resolves before using it
      const fnId = sink.call.enclosing ? `${sink.mod.name}.${sink.call.enclosing}` : null;
      const checked = fnId !== null && input.index.callsIn(fnId).some(({ call }) => /(^|\.)(secure_filename|basename|safe_join|get_valid_filename|is_relative_to|commonpath|realpath|resolve)$/.test(call.callee));
      if (checked) continue;
      // a path parameter that stops at `/` cannot climb out of a folder; used as the path itself, it still names any
      // file of the working directory (`open(name)` with `name = ".env"`)
      if (origin.singleSegment) {
        if (beginsWithSegment(sink.arg, origin)) relative.push(sink);
        continue;
      }
      kept.push(sink);
    }
    const reports = byOrigin(kept).map((group): Report => {
      const sink = group[0] as SinkCall;
      const origin = sink.origin as TaintOrigin;
      const where = sink.call.enclosing ? ` in ${sink.call.enclosing}` : "";
      return { message: `\`${shortName(sink.resolved)}()\`${where} uses a path the client controls, from ${describeOrigin(origin)}: \`../\` or an absolute path reaches files outside the intended folder.${otherPlaces(group)}`, evidence: groupEvidence(group) };
    });
    for (const group of byOrigin(relative)) {
      const sink = group[0] as SinkCall;
      const where = sink.call.enclosing ? ` in ${sink.call.enclosing}` : "";
      reports.push({
        message: `\`${shortName(sink.resolved)}()\`${where} opens a path that begins with ${describeOrigin(sink.origin as TaintOrigin)}: the segment cannot hold \`/\`, but as a relative path it names any file of the service's working directory (\`.env\`, \`settings.py\`, a database file).${otherPlaces(group)}`,
        evidence: groupEvidence(group),
        severity: "medium",
      });
    }
    return reports;
  },
});
