import { AREA_TITLES, AREAS, type Finding, type Severity } from "../checks/types.js";
import { CONCEPTS } from "../model/documents/vocabulary.js";
import type { Component, Evidence, SystemModel } from "../model/types.js";
import { documentKind, namedTechnologies, WITH_CODE } from "../review/document-only.js";
import type { Review } from "../review/types.js";
import { stripControl } from "./escape.js";
import { byCategory, categoryTitle } from "./categories.js";

/**
 * The review as one self-contained HTML file that opens from disk: inline CSS and script, an inline SVG of
 * the components drawn here, and a Content-Security-Policy that forbids every network request. Everything
 * taken from the reviewed repository goes through `h()`; archscope's own prose is escaped too.
 */
export function renderHtml(review: Review): string {
  const concerns = review.findings.filter((f) => f.kind === "concern");
  const strengths = review.findings.filter((f) => f.kind === "strength" && !f.suppressed);
  const { counts } = review.summary;
  const body = [
    `<header><h1>Architecture review: ${h(review.project)}</h1><p class="meta">archscope ${h(review.tool.version)}</p>`,
    `<p class="readiness">${h(review.summary.readiness)}</p>`,
    `<div class="counts">${countBadge("high", counts.high)}${countBadge("medium", counts.medium)}${countBadge("low", counts.low)}<span class="badge strength">${counts.strengths} strengths</span><span class="badge muted">${counts.suppressed} suppressed</span></div>`,
    review.baseline ? `<p class="meta">Since the baseline: ${review.baseline.new} new, ${review.baseline.unchanged} unchanged, ${review.baseline.fixed.length} fixed.</p>` : "",
    "</header>",
    section("Executive summary", `<p>${h(review.summary.assessment)}</p>${list("Critical concerns", review.summary.criticalConcerns)}${list("Key strengths", review.summary.keyStrengths)}`),
    section("Areas", areaTable(review)),
    section("Findings", `${filters()}<div id="findings">${concerns.map(findingCard).join("\n")}</div><p id="empty" hidden>No finding matches the filters.</p>`),
    strengths.length ? section("Strengths", `<ul>${strengths.map((f) => `<li><b>${h(f.id)}</b> ${h(f.message)} <code>${h(where(f))}</code></li>`).join("")}</ul>`) : "",
    section("System overview", review.documentOnly ? `${designDocuments(review)}<p class="meta">Stack, endpoints, data models and deployment need the code: ${h(WITH_CODE)}.</p>` : `${componentsSvg(review.model)}${endpointsTable(review.model)}${designDocuments(review)}`),
    section("Architecture patterns", patterns(review)),
    section("Technology stack", stack(review)),
    section("Scalability roadmap", roadmap(review)),
    section("Security checklist", checklist(review)),
    section("Next steps", nextSteps(review)),
    review.questions.length ? section("Open questions", `<ul>${review.questions.map((q) => `<li>${h(q.question)} <i>Assumed: ${h(q.assumption)}.</i></li>`).join("")}</ul>`) : "",
  ].join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>archscope: ${h(review.project)}</title>
<style>${STYLE}</style></head>
<body><main>
${body}
</main><script>${SCRIPT}</script></body></html>
`;
}

/** HTML text from anything: control characters removed, the five special characters escaped. */
export function h(text: unknown): string {
  return stripControl(String(text ?? "")).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string);
}

/** Prose with `code spans`: escaped first, then each backtick pair shown as code (escaping leaves backticks alone). */
function prose(text: unknown): string {
  return h(text).replace(/`([^`]+)`/g, "<code>$1</code>");
}

const SEVERITIES: Severity[] = ["high", "medium", "low"];

function countBadge(severity: Severity, n: number): string {
  return `<span class="badge ${severity}">${n} ${severity}</span>`;
}

function section(title: string, content: string): string {
  const id = title.toLowerCase().replace(/[^a-z]+/g, "-");
  return `<section id="${id}"><h2>${h(title)}</h2>${content}</section>`;
}

function list(title: string, items: string[]): string {
  return items.length ? `<h3>${h(title)}</h3><ul>${items.map((i) => `<li>${h(i)}</li>`).join("")}</ul>` : "";
}

function where(f: Finding): string {
  const e = f.evidence[0];
  return e ? `${e.file}${e.line ? `:${e.line}` : ""}` : "";
}

function areaTable(review: Review): string {
  const rows = review.areas.map((a) => `<tr><td>${h(a.title)}<div class="meta">${a.reasons.map(h).join("; ")}</div></td><td class="grade g${h(a.grade ?? "n")}">${h(a.grade ?? "n/a")}</td><td class="num">${a.score ?? "n/a"}</td><td class="num high">${a.high}</td><td class="num medium">${a.medium}</td><td class="num low">${a.low}</td><td class="num">${a.strengths}</td></tr>`);
  return `<p>Maturity: <b>${h(review.summary.maturity.level ?? "not assessed")}</b> (${h(review.summary.maturity.note)}). Score per area: 100, minus 25 per high, 10 per medium and 2 per low concern, plus 2 per strength.</p><table><thead><tr><th>Area</th><th>Grade</th><th>Score</th><th>High</th><th>Medium</th><th>Low</th><th>Strengths</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function filters(): string {
  const areas = AREAS.filter((a) => a !== "documents").map((a) => `<option value="${a}">${h(AREA_TITLES[a])}</option>`);
  const boxes = SEVERITIES.map((s) => `<label><input type="checkbox" name="severity" value="${s}" checked> ${s}</label>`);
  return `<form id="filters" onsubmit="return false"><label>Area <select id="area"><option value="">all areas</option>${areas.join("")}</select></label> ${boxes.join(" ")} <label><input type="checkbox" id="suppressed"> suppressed</label> <label>Text <input type="search" id="text" placeholder="id, file, words"></label> <span id="shown"></span></form>`;
}

function findingCard(f: Finding): string {
  const evidence = f.evidence
    .slice(0, 20)
    .map((e) => `<li><code>${h(e.file)}${e.line ? `:${e.line}` : ""}</code>${e.snippet ? ` <pre>${h(e.snippet)}</pre>` : ""}</li>`)
    .join("");
  const more = f.evidence.length > 20 ? `<li>… ${f.evidence.length - 20} more</li>` : "";
  const tags = [f.baseline === "new" ? `<span class="badge new">new</span>` : "", f.role ? `<span class="badge muted">${h(f.role)}</span>` : "", f.suppressed ? `<span class="badge muted">suppressed</span>` : ""].join("");
  return `<article class="finding" data-area="${h(f.area)}" data-severity="${h(f.severity)}" data-suppressed="${f.suppressed ? "1" : "0"}"${f.suppressed ? " hidden" : ""}>
<h3><span class="badge ${h(f.severity)}">${h(f.severity)}</span> ${h(f.id)} ${h(f.title)} ${tags}</h3>
<p>${h(f.message)}</p>
<ul class="evidence">${evidence}${more}</ul>
<p class="rec"><b>Recommendation.</b> ${prose(f.recommendation)}${f.libraries.length ? ` <i>Libraries: ${f.libraries.map(h).join(", ")}.</i>` : ""}</p>
<p class="meta">${h(AREA_TITLES[f.area])} · confidence ${h(f.confidence)} · effort ${h(f.effort)}${f.severityNote ? ` · ${h(f.severityNote)}` : ""} · ${h(f.fingerprint)}</p>
</article>`;
}

/** Components in columns by kind, connections as lines: drawn here, so the file needs no diagram library. */
function componentsSvg(model: SystemModel): string {
  const kinds = ["proxy", "service", "worker", "scheduler", "datastore", "external"] as const;
  const columns = kinds.map((k) => model.components.filter((c) => c.kind === k)).filter((c) => c.length);
  if (!columns.length) return "<p>No components were found in compose files, Procfiles or the code.</p>";
  const boxW = 170;
  const boxH = 44;
  const gapX = 70;
  const gapY = 22;
  const pos = new Map<string, { x: number; y: number }>();
  columns.forEach((col, i) => {
    col.forEach((c, j) => {
      pos.set(c.name, { x: 20 + i * (boxW + gapX), y: 20 + j * (boxH + gapY) });
    });
  });
  const width = 40 + columns.length * (boxW + gapX) - gapX;
  const height = 40 + Math.max(...columns.map((c) => c.length)) * (boxH + gapY) - gapY;
  const lines = model.connections
    .map((c) => [pos.get(c.from), pos.get(c.to)] as const)
    .filter((p): p is readonly [{ x: number; y: number }, { x: number; y: number }] => Boolean(p[0] && p[1]))
    .map(([a, b]) => `<line x1="${a.x + boxW}" y1="${a.y + boxH / 2}" x2="${b.x}" y2="${b.y + boxH / 2}" marker-end="url(#arrow)"/>`);
  const boxes = [...pos.entries()].map(([name, p]) => {
    const c = model.components.find((x) => x.name === name);
    const label = name.length > 20 ? `${name.slice(0, 19)}…` : name;
    return `<g class="c-${h(c?.kind ?? "service")}"><rect x="${p.x}" y="${p.y}" width="${boxW}" height="${boxH}" rx="6"/><text x="${p.x + 10}" y="${p.y + 18}">${h(label)}</text><text class="kind" x="${p.x + 10}" y="${p.y + 34}">${h(c?.kind ?? "")}${c?.technology ? ` · ${h(c.technology)}` : ""}</text></g>`;
  });
  return `<svg class="components" role="img" aria-label="components and connections" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}"><defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto"><path d="M0,0 L10,5 L0,10 z"/></marker></defs><g class="links">${lines.join("")}</g>${boxes.join("")}</svg>`;
}

/** The kind of box a diagram node gets: a store when its label names one, a service otherwise. */
function nodeKind(label: string): Component["kind"] {
  const concept = CONCEPTS.find((c) => c.terms.test(label));
  if (concept && ["error-tracking", "metrics", "tracing"].includes(concept.kind)) return "external";
  return concept && ["database", "cache", "search", "storage", "queue"].includes(concept.kind) ? "datastore" : /\b(api|service|provider|gateway)\b/i.test(label) && !/shop|backend/i.test(label) ? "external" : "service";
}

/** Each design document as read; for a document reviewed alone, its diagrams drawn from what was parsed. */
function designDocuments(review: Review): string {
  const docs = review.model.designDocuments;
  if (!docs.length) return "";
  const items = docs.map((d) => `<li><code>${h(d.file)}</code> (${documentKind(d)}): ${h(d.title)}. Names ${h(namedTechnologies(d).join(", ") || "no known technology")}${d.numbers.length ? `; states ${d.numbers.map((n) => `${h(n.text)} (line ${n.line})`).join(", ")}` : ""}.</li>`);
  const drawings = review.documentOnly
    ? docs.flatMap((d) =>
        d.diagrams
          .filter((g) => g.nodes.length)
          .map((g) => {
            const components: Component[] = g.nodes.map((n) => ({ name: n.label, kind: nodeKind(n.label), technology: null, evidence: [{ file: d.file, line: n.line }] }));
            const label = new Map(g.nodes.map((n) => [n.id, n.label]));
            const connections = g.edges.map((e) => ({ from: label.get(e.from) ?? e.from, to: label.get(e.to) ?? e.to, via: e.label, evidence: [{ file: d.file, line: e.line }] }));
            return `<p class="meta">Diagram at <code>${h(d.file)}:${g.line}</code>, as archscope read it:</p>${componentsSvg({ ...review.model, components, connections })}`;
          }),
      )
    : [];
  return `<h3>Design documents</h3><ul>${items.join("")}</ul>${drawings.join("")}`;
}

function endpointsTable(model: SystemModel): string {
  if (!model.endpoints.length) return "";
  const rows = model.endpoints.slice(0, 300).map((e) => `<tr><td>${h(e.method)}</td><td><code>${h(e.path)}</code></td><td>${e.auth === true ? "yes" : e.auth === false ? "<b>no</b>" : "undecided"}</td><td><code>${h(e.file)}:${e.line}</code></td></tr>`);
  const more = model.endpoints.length > 300 ? `<p>… ${model.endpoints.length - 300} more endpoints in the JSON report.</p>` : "";
  return `<details><summary>${model.endpoints.length} endpoints</summary><table><thead><tr><th>Method</th><th>Path</th><th>Auth</th><th>Handler</th></tr></thead><tbody>${rows.join("")}</tbody></table>${more}</details>`;
}

function at(evidence: Evidence[]): string {
  return evidence.length ? ` <code>${evidence.map((e) => h(e.line === null ? e.file : `${e.file}:${e.line}`)).join(", ")}</code>` : "";
}

function patterns(review: Review): string {
  if (!review.patterns.length) return "<p>No pattern recommendation follows from what was found.</p>";
  const group = (status: "in use" | "recommended", title: string) => {
    const mine = review.patterns.filter((p) => p.status === status);
    return mine.length ? `<h3>${title}</h3><ul>${mine.map((p) => `<li><b>${h(p.name)}</b>: ${prose(p.why)}${at(p.evidence)}</li>`).join("")}</ul>` : "";
  };
  return group("in use", "In use: keep") + group("recommended", "Recommended for this system");
}

function stack(review: Review): string {
  if (review.documentOnly) return `<p>The document names ${h([...new Set(review.model.designDocuments.flatMap(namedTechnologies))].join(", ") || "no known technology")}. Verdicts need the code: ${h(WITH_CODE)}.</p>`;
  if (!review.stack.length) return "<p>No known technology was detected.</p>";
  const rows = byCategory(review.stack).map((s) => `<tr><td>${h(s.name)}</td><td>${h(categoryTitle(s.category))}</td><td class="verdict ${h(s.verdict)}">${h(s.verdict)}</td><td>${h(s.note)}${s.alternative ? ` Move to: ${h(s.alternative)}.` : ""}</td></tr>`);
  return `<table><thead><tr><th>Technology</th><th>Category</th><th>Verdict</th><th>Note</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function roadmap(review: Review): string {
  if (review.documentOnly) {
    const stated = Object.entries(review.context.fromDocuments ?? {}).map(([k, v]) => `${h(k)} ${h(v?.text ?? "")} (line ${v?.line})`);
    return `<p>Stated in the document: ${stated.length ? stated.join("; ") : "no numbers"}. Today's limits and capacity figures need the code: ${h(WITH_CODE)}.</p>`;
  }
  const { currentLimits, capacity, stages } = review.roadmap;
  const limits = currentLimits.length ? `<h3>Today's limits</h3><ul>${currentLimits.map((l) => `<li>${h(l.limit)}${at(l.evidence)}</li>`).join("")}</ul>` : "";
  const notes = capacity.length ? `<h3>Capacity today</h3><ul>${capacity.map((c) => `<li><b>${h(c.topic)}</b>: ${h(c.note)}${at(c.evidence)}${c.assumptions.length ? `<br><i>Assumed: ${c.assumptions.map(h).join("; ")}.</i>` : ""}</li>`).join("")}</ul>` : "";
  const parts = stages.map((s) => `<h3>${h(s.name)}</h3><p class="meta">When: ${h(s.trigger)}</p><ul>${s.actions.map((a) => `<li>${prose(a)}</li>`).join("")}</ul>`);
  return limits || notes || parts.length ? `${limits}${notes}${parts.join("")}` : "<p>The checks run found no scalability limit.</p>";
}

function checklist(review: Review): string {
  if (!review.securityChecklist.length) return "<p>No checklist items.</p>";
  const rows = review.securityChecklist.map((c) => `<tr><td title="${h(c.owasp)}">${h(c.owasp.split(" ")[0])}</td><td>${h(c.item)}</td><td class="status ${h(c.status)}">${h(c.status)}</td><td>${h(c.detail)}</td></tr>`);
  return `<p class="meta">Mapped to the OWASP API Security Top 10 (2023).</p><table><thead><tr><th>OWASP</th><th>Item</th><th>Status</th><th>Detail</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function nextSteps(review: Review): string {
  if (!review.nextSteps.length) return "<p>Nothing to do from the checks run.</p>";
  const rows = review.nextSteps.map((s) => `<tr><td>${h(s.priority)}</td><td>${h(s.checkId)} ${h(s.title)}</td><td>${h(s.effort)}</td><td>${s.count}</td><td>${s.dependsOn.map(h).join(", ")}</td></tr>`);
  return `<table><thead><tr><th>Priority</th><th>Step</th><th>Effort</th><th>Findings</th><th>After</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

const STYLE = `
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d2330;background:#f6f7f9;margin:0}
main{max-width:1100px;margin:0 auto;padding:24px}
header{background:#fff;border-radius:10px;padding:20px 24px;box-shadow:0 1px 3px #0001}
h1{margin:0 0 4px;font-size:26px}h2{margin-top:32px;border-bottom:2px solid #e3e6eb;padding-bottom:4px}h3{font-size:16px;margin:14px 0 6px}
section{margin-top:8px}.meta{color:#667085;font-size:13px;margin:4px 0}.readiness{font-weight:600}
.badge{display:inline-block;border-radius:10px;padding:1px 9px;margin-right:6px;font-size:12px;font-weight:600;background:#e9ecf1;color:#344054;text-transform:uppercase}
.badge.high{background:#fde2e1;color:#a4161a}.badge.medium{background:#fff1d6;color:#8a5300}.badge.low{background:#e0efff;color:#1f4e8c}.badge.strength{background:#ddf5e3;color:#1c6b35}.badge.new{background:#1d2330;color:#fff}.badge.muted{background:#eef0f3;color:#667085}
table{border-collapse:collapse;width:100%;background:#fff;border-radius:8px;overflow:hidden;box-shadow:0 1px 2px #0001}th,td{text-align:left;padding:6px 10px;border-bottom:1px solid #eef0f3;vertical-align:top}td.num{text-align:right;width:70px}
td.grade{font-weight:700;text-align:center;width:60px}td.gA{color:#1c6b35}td.gB{color:#3b7d23}td.gC{color:#8a5300}td.gD,td.gE{color:#a4161a}td.num.high{color:#a4161a}td.num.medium{color:#8a5300}td.num.low{color:#1f4e8c}.status.pass{color:#1c6b35;font-weight:600}.status.fail{color:#a4161a;font-weight:600}.status.unknown{color:#667085}.verdict.keep{color:#1c6b35}.verdict.watch{color:#8a5300;font-weight:600}.verdict.replace{color:#a4161a;font-weight:600}
#filters{position:sticky;top:0;background:#f6f7f9;padding:10px 0;z-index:1;display:flex;flex-wrap:wrap;gap:12px;align-items:center}#filters input[type=search]{width:220px}
.finding{background:#fff;border-radius:8px;padding:12px 16px;margin:10px 0;box-shadow:0 1px 2px #0001;border-left:4px solid #c9ced6}
.finding[data-severity=high]{border-left-color:#d92d20}.finding[data-severity=medium]{border-left-color:#f79009}.finding[data-severity=low]{border-left-color:#2e90fa}
.finding h3{margin:0 0 6px}.evidence{margin:6px 0;padding-left:18px}.evidence pre{margin:2px 0 6px;padding:4px 8px;background:#f2f4f7;border-radius:4px;white-space:pre-wrap;word-break:break-word}
code{font:13px ui-monospace,SFMono-Regular,Menlo,monospace}.rec{margin:6px 0}
svg.components{max-width:100%;height:auto;background:#fff;border-radius:8px;box-shadow:0 1px 2px #0001}svg.components rect{fill:#f2f6fc;stroke:#7a8aa6}svg.components text{font:13px system-ui,sans-serif;fill:#1d2330}svg.components text.kind{font-size:11px;fill:#667085}
svg.components .links line{stroke:#98a2b3;stroke-width:1.4}svg.components marker path{fill:#98a2b3}
svg.components .c-datastore rect{fill:#fdf6ec;stroke:#c4a15a}svg.components .c-external rect{fill:#f4f0fb;stroke:#9a86c6}svg.components .c-worker rect,svg.components .c-scheduler rect{fill:#eef8f1;stroke:#6aa97f}
`;

/** Filters: area, severity, suppressed and text; a count of what is shown. No network, no external code. */
const SCRIPT = `
(function(){
  var cards=[].slice.call(document.querySelectorAll('.finding'));
  var area=document.getElementById('area'),text=document.getElementById('text'),sup=document.getElementById('suppressed');
  var boxes=[].slice.call(document.querySelectorAll('input[name=severity]'));
  function apply(){
    var a=area.value,q=text.value.trim().toLowerCase(),sev={};
    boxes.forEach(function(b){sev[b.value]=b.checked});
    var shown=0;
    cards.forEach(function(c){
      var ok=(!a||c.dataset.area===a)&&sev[c.dataset.severity]!==false&&(sup.checked||c.dataset.suppressed!=='1')&&(!q||c.textContent.toLowerCase().indexOf(q)>=0);
      c.hidden=!ok;if(ok)shown++;
    });
    document.getElementById('shown').textContent=shown+' of '+cards.length+' shown';
    document.getElementById('empty').hidden=shown>0;
  }
  [area,text,sup].concat(boxes).forEach(function(el){el.addEventListener('input',apply);el.addEventListener('change',apply)});
  apply();
})();
`;
