import { defineCheck } from "../define.js";
import { shortName } from "../handlers.js";
import type { Report } from "../types.js";
import type { Evidence } from "../../model/types.js";
import { GROUP_FROM } from "../grouping.js";
import { bySite, callsOnRequestPath, describeRequestChain, type RequestCall, requestEvidence, sinkFunction } from "./request-chains.js";

interface Heavy {
  kind: string;
  /** Qualified-name prefixes (ending in `.`) or exact names. */
  names: string[];
  /** Only a problem on an event loop (password hashing takes ~100–300 ms by design, fine in a sync worker thread). */
  loopOnly?: boolean;
  /** The evidence is the library alone (a small DataFrame is cheap): say so. */
  weak?: boolean;
}

const HEAVY: Heavy[] = [
  { kind: "image processing", names: ["PIL.", "cv2.", "skimage.", "wand.image.", "pyvips.", "imageio."] },
  { kind: "PDF generation or parsing", names: ["weasyprint.", "reportlab.", "pdfkit.", "xhtml2pdf.", "fpdf.", "fitz.", "pdf2image.", "pypdf.", "PyPDF2.", "pdfplumber."] },
  { kind: "spreadsheet/document generation", names: ["openpyxl.Workbook", "xlsxwriter.Workbook", "docx.Document"] },
  { kind: "chart rendering", names: ["matplotlib.pyplot.savefig", "matplotlib.figure.Figure.savefig"] },
  { kind: "pandas data processing", names: ["pandas.read_csv", "pandas.read_excel", "pandas.read_sql", "pandas.read_json", "pandas.read_parquet", "pandas.DataFrame"], weak: true },
  {
    kind: "password hashing",
    names: [
      "bcrypt.hashpw", "bcrypt.checkpw", "argon2.PasswordHasher.", "argon2.PasswordHasher().",
      "werkzeug.security.generate_password_hash", "werkzeug.security.check_password_hash",
      "django.contrib.auth.hashers.make_password", "django.contrib.auth.hashers.check_password",
      "passlib.context.CryptContext.", "passlib.context.CryptContext().", "passlib.hash.",
    ],
    loopOnly: true,
  },
];

const HASH_METHODS = /\.(hash|verify|verify_and_update|hashpw|checkpw|encrypt)$/;

function heavyOf(resolved: string): Heavy | null {
  for (const h of HEAVY) {
    for (const n of h.names) {
      // exact hashing functions match only themselves (`hashpw().decode()` is not a second hash)
      const below = !h.loopOnly && (resolved.startsWith(`${n}.`) || resolved.startsWith(`${n}(`));
      if (!(n.endsWith(".") ? resolved.startsWith(n) : resolved === n || below)) continue;
      // for hashers reached as objects, only the hashing calls (not `CryptContext(schemes=...)` itself)
      if (h.loopOnly && n.endsWith(".") && !HASH_METHODS.test(resolved)) continue;
      return h;
    }
  }
  return null;
}

export default defineCheck({
  id: "PERF002",
  area: "scalability",
  title: "CPU-heavy work inside request handlers",
  severity: "medium",
  kind: "concern",
  confidence: "medium",
  why: "Image processing, PDF or report generation and large DataFrame work take hundreds of milliseconds to seconds of CPU. Done inside the request, each one holds a worker (or, in `async def`, the whole event loop) for that long: latency grows with every concurrent upload or export, and a burst of them exhausts the workers. Password hashing is slow by design; in `async def` it stalls every other request on the loop.",
  recommendation: "Move the work to a task queue (Celery, RQ, Dramatiq, arq) and return 202 with a job id, or at least run it off the event loop (`await run_in_threadpool(...)`, `await asyncio.to_thread(...)`, a `ProcessPoolExecutor` for pure-Python CPU work). Hash passwords with `await asyncio.to_thread(pwd_context.hash, password)` in async handlers.",
  example: {
    bad: '@app.post("/avatar")\nasync def avatar(file: UploadFile):\n    img = Image.open(file.file)\n    img.thumbnail((256, 256))\n    img.save(path)',
    good: '@app.post("/avatar")\nasync def avatar(file: UploadFile):\n    key = await store_upload(file)\n    make_thumbnail.delay(key)  # Celery task\n    return {"status": "processing"}',
  },
  references: ["https://fastapi.tiangolo.com/async/#path-operation-functions", "https://docs.celeryq.dev/en/stable/getting-started/first-steps-with-celery.html"],
  effort: "M",
  libraries: ["celery", "rq", "dramatiq", "arq", "anyio"],
  dependsOn: [],
  run(input) {
    const calls = callsOnRequestPath(input, (resolved) => heavyOf(resolved) !== null).filter((c) => !heavyOf(c.resolved)?.loopOnly || c.onLoop);
    const kindOf = (c: RequestCall) => heavyOf(c.resolved) as Heavy;
    const reports: Report[] = [];
    // one finding per handler and kind of work: the shortest chain leads, the handler's other heavy calls follow as evidence
    const perHandler = bySite(calls, (c) => `${c.handler}:${kindOf(c).kind}`);
    // five or more handlers reaching the same helper (`verify_password`) are one finding about that helper
    const bySink = new Map<string, typeof perHandler>();
    for (const g of perHandler) {
      const key = `${sinkFunction(g.first)}:${kindOf(g.first).kind}`;
      bySink.set(key, [...(bySink.get(key) ?? []), g]);
    }
    const grouped = new Set<(typeof perHandler)[number]>();
    for (const sinks of bySink.values()) {
      if (sinks.length < GROUP_FROM) continue;
      const first = sinks[0] as (typeof perHandler)[number];
      const heavy = kindOf(first.first);
      const onLoop = sinks.filter((g) => g.onLoop).length;
      for (const g of sinks) grouped.add(g);
      reports.push({
        message: `${heavy.kind} (${first.first.call.callee}() in ${shortName(sinkFunction(first.first))}) runs inside ${sinks.length} request handlers${onLoop ? `, ${onLoop} of them \`async def\` where it stalls the event loop` : ""}: for example ${describeRequestChain(first.first.steps)}. Handlers: ${sinks.slice(0, 6).map((g) => shortName(g.first.handler)).join(", ")}${sinks.length > 6 ? `, and ${sinks.length - 6} more` : ""}.`,
        evidence: [requestEvidence(first.first.steps).at(-1) as Evidence, ...sinks.map((g) => requestEvidence(g.first.steps)[0] as Evidence)],
        confidence: heavy.weak ? "low" : "medium",
        severity: heavy.weak && !onLoop ? "low" : "medium",
      });
    }
    for (const g of perHandler) {
      if (grouped.has(g)) continue;
      const heavy = kindOf(g.first);
      const sites = g.calls.filter((c) => c.call !== g.first.call).sort((a, b) => a.steps.length - b.steps.length || a.call.line - b.call.line);
      const names = [...new Set([g.first, ...sites].map((c) => `${c.call.callee}()`))];
      const path = g.first.steps.length > 1 ? ` (${describeRequestChain(g.first.steps)})` : "";
      const runs = g.onLoop
        ? "inside an `async def` handler, so it runs on the event loop and stalls every concurrent request"
        : "inside a request handler, holding a worker for its whole duration";
      const hedge = heavy.weak ? " Whether this is heavy depends on the data size, which the code does not show." : "";
      reports.push({
        message: `${heavy.kind} (${names.slice(0, 3).join(", ")}${names.length > 3 ? ", ..." : ""}) in ${shortName(g.first.handler)}${path} runs ${runs}.${hedge}`,
        evidence: [...requestEvidence(g.first.steps), ...sites.slice(0, 4).map((c) => requestEvidence(c.steps).at(-1) as Evidence)],
        confidence: heavy.weak ? "low" : g.first.steps.length > 2 ? "medium" : "high",
        severity: heavy.weak && !g.onLoop ? "low" : "medium",
      });
    }
    return reports;
  },
});
