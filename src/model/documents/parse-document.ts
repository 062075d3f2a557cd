import MarkdownIt from "markdown-it";
import type { DesignDiagram, DesignDocument, DocClaim, DocMention, DocNumber, DocTopic } from "../types.js";
import { CONCEPTS, MECHANISMS, type Mechanism, NEGATION } from "./vocabulary.js";

const markdown = new MarkdownIt({ html: false });

/** A run of prose with the line it starts on: a paragraph, list item, heading or table cell. */
interface Block {
  text: string;
  line: number;
  kind: "heading" | "prose";
  /** The heading the block sits under, lower case. */
  section: string;
}

/** What each review area's coverage looks like in prose (DOC002): a document that never uses these words says nothing on it. */
const TOPICS: Record<DocTopic, RegExp> = {
  authentication: /\b(authenticat\w*|authori[sz]\w*|log ?in|sign[- ]in|jwts?|oauth\w*|oidc|sso|permissions?|rbac|api keys?|access tokens?|sessions?)\b/i,
  monitoring: /\b(monitor\w*|observab\w*|metrics?|logs|logging|log aggregation|tracing|traces|alert\w*|sentry|prometheus|grafana|datadog|dashboards?|health ?checks?|\/health)\b/i,
  scaling: /\b(scal(?:e|es|ing|ability|able)|replicas?|autoscal\w*|horizontal\w*|capacity|load[- ]balanc\w*|shard\w*|partition\w*|peak|containers? handle|instances)\b/i,
  "failure handling": /\b(failures?|fails?|failover|retr(?:y|ies|ied)|timeouts?|circuit[- ]breakers?|fallbacks?|degrad\w*|outages?|resilien\w*|idempoten\w*|dead[- ]letter)\b/i,
  "backups and recovery": /\b(backups?|snapshots?|restor\w*|disaster recovery|point[- ]in[- ]time|rpo|rto|replicat\w*)\b/i,
  deployment: /\b(deploy\w*|releases?|rollouts?|kubernetes|k8s|docker|containers?|ci\/cd|helm|terraform|heroku|ecs|cloud run)\b/i,
  "testing and delivery": /\b(tests?|testing|pytest|unit tests?|integration tests?|continuous integration|ci pipeline|github actions|gitlab ci|code review|pull requests?)\b/i,
};

/** Architecture styles a document says the system follows. */
const STYLES: Array<{ style: string; re: RegExp }> = [
  { style: "modular monolith", re: /\bmodular monolith\b/i },
  { style: "monolith", re: /\bmonolith(?:ic)?\b(?! modular)/i },
  { style: "microservices", re: /\bmicro-?services?\b/i },
  { style: "event-driven", re: /\bevent[- ]driven\b/i },
  { style: "serverless", re: /\bserverless\b/i },
  { style: "hexagonal (ports and adapters)", re: /\b(hexagonal|ports and adapters|clean architecture|onion architecture)\b/i },
  { style: "layered", re: /\b(layered architecture|n-tier|three-tier|3-tier)\b/i },
  { style: "CQRS", re: /\bCQRS\b/ },
  { style: "event sourcing", re: /\bevent sourcing\b/i },
];

/** The review topics a text addresses at all (for the documents a design links to). */
export function topicsIn(text: string): DocTopic[] {
  const plain = asWords(prose(text));
  return (Object.entries(TOPICS) as Array<[DocTopic, RegExp]>).filter(([, re]) => re.test(plain)).map(([t]) => t);
}

/** Relative links to other documents (`../testing/overview.md#ci`), as written. */
export function documentLinks(text: string): string[] {
  return [...new Set([...text.matchAll(/\]\(\s*(?!https?:|mailto:|#)([^)\s#]+\.(?:md|markdown|rst))(?:#[^)]*)?\s*\)/gi)].map((m) => m[1] as string))];
}

/** Everything in a block of prose: one clause at a time for negations. */
function clauses(text: string): string[] {
  return text.split(/(?<=[.;!?])\s+|;\s*|\bbut\b|\bhowever\b/i).filter((c) => c.trim());
}

/** Any concept's terms, to find where the previous mention in a clause ends. */
const ANY_CONCEPT = new RegExp(CONCEPTS.map((c) => c.terms.source).join("|"), "gi");

/**
 * Whether the words just before a mention deny it: a negation among the last five words, with no other
 * mention in between ("instead of RabbitMQ we chose SQS" denies RabbitMQ, not SQS).
 */
function negatedAt(clause: string, index: number): boolean {
  let before = clause.slice(0, index);
  let last = -1;
  for (const m of before.matchAll(ANY_CONCEPT)) last = (m.index ?? 0) + m[0].length;
  if (last >= 0) before = before.slice(last);
  const words = before.trim().split(/\s+/).slice(-5).join(" ");
  return NEGATION.test(words);
}

/** Words that make what follows an option or an example, not a part of the system ("support for MySQL", "such as Kafka"). */
const OPTION = /\b(supports?|supported|support for|such as|e\.g\.|eg\.|for example|for instance|optional(?:ly)?|additional|alternatives?|options?|can be (?:configured|used|swapped)|could|may be|or any other|compatible with|like|considered|candidates?|pluggable)\b/i;

function mentionsIn(block: Block, out: DocMention[], optionSection = false): void {
  for (const clause of clauses(block.text)) {
    for (const concept of CONCEPTS) {
      const re = new RegExp(concept.terms.source, concept.terms.flags.includes("i") ? "gi" : "g");
      for (const m of clause.matchAll(re)) {
        const at = m.index ?? 0;
        const mention: DocMention = { concept: concept.key, line: block.line, text: m[0], negated: negatedAt(clause, at), section: block.section };
        if (optionSection || OPTION.test(clause.slice(0, at))) mention.option = true;
        out.push(mention);
      }
    }
  }
}

/** Link targets and bare URLs carry no prose: `scale:(type:linear)` in a dashboard link is not about scaling. */
function prose(text: string): string {
  return text.replace(/\]\([^)]*\)/g, "]").replace(/<?https?:\/\/[^\s)>]+>?/g, " ");
}

/** Identifiers split into words for topic matching: `postgresql_backups` speaks of backups. */
function asWords(text: string): string {
  return text.replace(/[_/]+/g, " ");
}

/** An architecture decision record: Status, and Context or Decision, among its headings. */
export function adrShaped(headings: DesignDocument["headings"]): boolean {
  const names = headings.map((h) => h.text.trim().toLowerCase());
  return names.some((n) => /^status\b/.test(n)) && names.some((n) => /^(context|decision)\b/.test(n));
}

/** In a decision record, only the decision states what is used: context and options are alternatives. */
function decisionSection(section: string): boolean {
  return /^(decision|decision outcome|chosen option)\b/.test(section);
}

function numberValue(text: string): number {
  const m = /^([\d.,]+)\s*([kKmM])?/.exec(text.trim());
  if (!m) return Number.NaN;
  const base = Number((m[1] as string).replace(/,(?=\d{3}\b)/g, "").replace(/,/g, "."));
  const scale = m[2]?.toLowerCase() === "k" ? 1e3 : m[2]?.toLowerCase() === "m" ? 1e6 : 1;
  return base * scale;
}

const NUM = String.raw`(\d[\d,]*(?:\.\d+)?\s*[kKmM]?)`;
const NUMBER_PATTERNS: Array<{ kind: DocNumber["kind"]; re: RegExp; value: (m: RegExpMatchArray) => number; unit: (m: RegExpMatchArray) => string; percentile?: (m: RegExpMatchArray) => string }> = [
  { kind: "throughput", re: new RegExp(String.raw`${NUM}\s*(?:\*\*)?\s*(requests?|reqs?|rps|calls|queries|qps)\s*(?:\/|per)\s*(s|sec|second|min|minute)\b`, "gi"), value: (m) => numberValue(m[1] as string) / (/^min/.test(m[3] as string) ? 60 : 1), unit: () => "req/s" },
  { kind: "throughput", re: new RegExp(String.raw`${NUM}\s*(rps|qps|req\/s)\b`, "gi"), value: (m) => numberValue(m[1] as string), unit: () => "req/s" },
  { kind: "messages", re: new RegExp(String.raw`${NUM}\s*(messages|events|jobs|tasks)\s*(?:\/|per)\s*(s|sec|second|min|minute)\b`, "gi"), value: (m) => numberValue(m[1] as string) / (/^min/.test(m[3] as string) ? 60 : 1), unit: () => "msg/s" },
  { kind: "users", re: new RegExp(String.raw`${NUM}s?\s*(?:of\s+)?(users|customers|daily active users|monthly active users|dau|mau|tenants|accounts)\b`, "gi"), value: (m) => numberValue(m[1] as string), unit: (m) => (m[2] as string).toLowerCase() },
  { kind: "users", re: /\b(tens|hundreds) of (thousands|millions) of (users|customers|accounts|tenants)\b/gi, value: (m) => (/^tens/i.test(m[1] as string) ? 10 : 100) * (/^thousands/i.test(m[2] as string) ? 1e3 : 1e6), unit: (m) => (m[3] as string).toLowerCase() },
  { kind: "latency", re: /\b(?:latency|response times?|load times?|page loads?|respond\w*)\b[^.]{0,60}?\b(?:under|below|less than|<|within|around|about)\s*(?:\d+\s*[-–]\s*)?(\d+(?:\.\d+)?)\s*(ms|milliseconds?)\b/gi, value: (m) => Number(m[1]), unit: () => "ms", percentile: () => "typical" },
  { kind: "latency", re: /\b(p\d{2,3}(?:\.\d)?|median|average|mean)\b[^.\d]{0,40}?(<|≤|<=|under|below|within|of|=|at most)?\s*(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s|seconds?)\b/gi, value: (m) => Number(m[3]) * (/^s/i.test(m[4] as string) ? 1000 : 1), unit: () => "ms", percentile: (m) => (m[1] as string).toLowerCase() },
  { kind: "data", re: /(\d[\d,]*(?:\.\d+)?)\s*(GB|TB|PB|GiB|TiB)\b/g, value: (m) => numberValue(m[1] as string) * (/^T/.test(m[2] as string) ? 1000 : /^P/.test(m[2] as string) ? 1e6 : 1), unit: () => "GB" },
  { kind: "availability", re: /\b(9\d(?:\.\d+)?)\s*%\s*(?:\w+\s){0,3}?(availability|uptime|sla|slo)\b|\b(availability|uptime|sla|slo)\b[^.\d]{0,30}?(9\d(?:\.\d+)?)\s*%/gi, value: (m) => Number(m[1] ?? m[4]), unit: () => "%" },
];

const WORD_NUMBERS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, eight: 8, ten: 10, twelve: 12 };
/** "two API containers", "3 web replicas": the web tier's instance count (workers are not counted). */
const INSTANCES = /\b(\d+|one|two|three|four|five|six|eight|ten|twelve)\s+(?:api|web|app|application|backend)\s+(containers|instances|replicas|pods|servers|nodes)\b/gi;

function numbersIn(block: Block, out: DocNumber[]): void {
  for (const m of block.text.matchAll(INSTANCES)) {
    const word = (m[1] as string).toLowerCase();
    out.push({ kind: "instances", value: WORD_NUMBERS[word] ?? Number(word), unit: "instances", text: m[0], line: block.line });
  }
  for (const p of NUMBER_PATTERNS) {
    for (const m of block.text.matchAll(p.re)) {
      const value = p.value(m);
      if (!Number.isFinite(value)) continue;
      if (p.kind === "throughput" && out.some((n) => n.kind === "throughput" && n.line === block.line && n.value === value)) continue;
      const n: DocNumber = { kind: p.kind, value, unit: p.unit(m), text: m[0].trim().replace(/\*\*/g, ""), line: block.line };
      const percentile = p.percentile?.(m);
      if (percentile) n.percentile = percentile;
      out.push(n);
    }
  }
}

/** Words that give a store a second copy, whatever they are said of (not "cluster": a cluster of app nodes is not that). */
const REPLICATED = /\b(failover|fail over|standby|hot spare|replicas?|replicat\w*|multi[- ]az|multi[- ]region|high availability|redundan\w*)\b/i;

/** "One PostgreSQL instance", "a single Redis node": a stateful component said to run once. */
const SINGLE = /\b(one|single|a single|only one|1)\b,?\s+(?:[\w-]+,?\s+){0,3}?(instance|server|node|database|db|broker|vm|machine|host)\b/i;

function singletonsIn(block: Block, out: DesignDocument["singletons"]): void {
  for (const clause of clauses(block.text)) {
    const single = SINGLE.exec(clause);
    if (!single) continue;
    for (const concept of CONCEPTS) {
      if (concept.stateful && concept.terms.test(clause)) out.push({ concept: concept.key, line: block.line, text: clause.trim().slice(0, 160) });
    }
  }
}

/** "Every endpoint except login and registration requires a JWT": a claim about all routes, with its exceptions. */
const AUTH_CLAIM = /\b(every|all|each|any)\b[^.]*?\b(routes?|endpoints?|requests?|api calls?|apis?)\b[^.]*?\b(require|requires|required|need|needs|must|are|is)\b[^.]*?\b(jwts?|tokens?|authenticat\w*|logged[- ]in|log ?in|credentials|api keys?)\b/i;
const VERSION_CLAIM = /\b(every|all|each)\b[^.]*?\b(routes?|endpoints?|apis?)\b[^.]*?\b(?:under|versioned|prefixed|live under|sit under|served under)\b[^.]*?`?(\/[\w/-]*v\d+)`?/i;

function claimsIn(block: Block, out: DocClaim[]): void {
  for (const sentence of block.text.split(/(?<=[.!?])\s+/)) {
    const auth = AUTH_CLAIM.exec(sentence);
    if (auth && !NEGATION.test(sentence.slice(0, auth.index))) {
      const except = /\bexcept(?:\s+for)?\b([^.]*?)(?:\brequires?\b|\bneeds?\b|\bmust\b|$)/i.exec(sentence);
      const exceptions = except ? (except[1] as string).split(/,|\band\b|\bor\b/).map((s) => s.trim()).filter(Boolean) : [];
      out.push({ kind: "auth", text: sentence.trim(), line: block.line, exceptions });
    }
    const version = VERSION_CLAIM.exec(sentence);
    if (version) out.push({ kind: "versioning", text: sentence.trim(), line: block.line, exceptions: [], prefix: version[3] as string });
  }
}

/** Mermaid flowchart (and C4) nodes and edges: `a["label"] -->|text| b[(label)]`, one statement per line; `fenceLine` is the 1-based line of the opening fence. */
export function parseMermaid(source: string, fenceLine: number): DesignDiagram {
  const nodes = new Map<string, { id: string; label: string; line: number }>();
  const edges: DesignDiagram["edges"] = [];
  const lines = source.split("\n");
  const kind = /^\s*(flowchart|graph)\b/m.test(source) ? "flowchart" : /^\s*sequenceDiagram\b/m.test(source) ? "sequence" : /^\s*C4\w+/m.test(source) ? "c4" : "other";
  const NODE = /([A-Za-z_][\w-]*)\s*(\[\[|\[\(|\(\(|\[\/|\[\\|\[|\(|\{\{|\{|>)\s*(?:"([^"]*)"|([^"\])}]*?))\s*(\]\]|\)\]|\)\)|\/\]|\\\]|\]|\)|\}\}|\})/g;
  const setNode = (id: string, label: string | null, line: number) => {
    const known = nodes.get(id);
    if (!known) nodes.set(id, { id, label: label ?? id, line });
    else if (label && known.label === id) known.label = label;
  };
  lines.forEach((raw, i) => {
    const line = fenceLine + i + 1;
    const text = raw.replace(/%%.*$/, "").trim();
    if (!text || /^(flowchart|graph|subgraph|end|classDef|class|style|linkStyle|click|direction)\b/.test(text)) {
      const sub = /^subgraph\s+([\w-]+)/.exec(text);
      if (sub) setNode(sub[1] as string, null, line);
      return;
    }
    if (kind === "sequence") {
      const participant = /^(participant|actor)\s+([\w-]+)(?:\s+as\s+(.+))?$/.exec(text);
      if (participant) setNode(participant[2] as string, participant[3]?.trim() ?? null, line);
      const message = /^([\w-]+)\s*-{1,2}>>?\+?-?\s*([\w-]+)\s*:\s*(.*)$/.exec(text);
      if (message) {
        setNode(message[1] as string, null, line);
        setNode(message[2] as string, null, line);
        edges.push({ from: message[1] as string, to: message[2] as string, label: (message[3] as string).trim(), line });
      }
      return;
    }
    if (kind === "c4") {
      const element = /^(Person|System|System_Ext|Container|ContainerDb|ContainerQueue|Container_Ext|Component|ComponentDb|SystemDb|SystemQueue)\w*\(\s*([\w-]+)\s*,\s*"([^"]*)"/.exec(text);
      if (element) setNode(element[2] as string, element[3] as string, line);
      const rel = /^(?:Bi)?Rel\w*\(\s*([\w-]+)\s*,\s*([\w-]+)\s*(?:,\s*"([^"]*)")?/.exec(text);
      if (rel) edges.push({ from: rel[1] as string, to: rel[2] as string, label: rel[3] ?? "", line });
      return;
    }
    // node declarations with labels, anywhere on the line
    for (const m of text.matchAll(NODE)) setNode(m[1] as string, (m[3] ?? m[4] ?? "").trim() || null, line);
    // the chain of node ids joined by arrows (labels removed first)
    const bare = text.replace(NODE, "$1").replace(/\|[^|]*\|/g, (l) => ` ${l} `);
    const parts = bare.split(/\s*(?:<?[-=.]{2,}>?|<?-\.+->?|--[^->|]*-->)\s*/);
    let previous: string | null = null;
    const labels = [...text.matchAll(/\|\s*"?([^|"]*)"?\s*\|/g)].map((m) => (m[1] as string).trim());
    let edgeIndex = 0;
    for (const part of parts) {
      const id = /^(?:\|[^|]*\|\s*)?([A-Za-z_][\w-]*)/.exec(part.trim())?.[1];
      if (!id) continue;
      setNode(id, null, line);
      if (previous && previous !== id) edges.push({ from: previous, to: id, label: labels[edgeIndex++] ?? "", line });
      previous = id;
    }
  });
  return { kind, line: fenceLine, nodes: [...nodes.values()], edges };
}

/** C4 element macros (Mermaid C4 and C4-PlantUML): `Container(id, "label", "technology")`. */
const C4_ELEMENT = /^(Person|System|Container|Component|Boundary|Enterprise_Boundary|System_Boundary|Container_Boundary|Node|Deployment_Node)\w*\(\s*([\w-]+)\s*,\s*"([^"]*)"(?:\s*,\s*"([^"]*)")?/;
const C4_REL = /^(?:Bi)?Rel\w*\(\s*([\w-]+)\s*,\s*([\w-]+)\s*(?:,\s*"([^"]*)")?(?:\s*,\s*"([^"]*)")?/;

/** PlantUML component, database and queue declarations, C4-PlantUML macros, and `a --> b`, `a <-> b` relations. */
function parsePlantUml(source: string, fenceLine: number): DesignDiagram {
  const nodes = new Map<string, { id: string; label: string; line: number }>();
  const edges: DesignDiagram["edges"] = [];
  source.split("\n").forEach((raw, i) => {
    const line = fenceLine + i + 1;
    const text = raw.trim();
    const c4 = C4_ELEMENT.exec(text);
    if (c4) {
      const id = c4[2] as string;
      nodes.set(id, { id, label: c4[4] ? `${c4[3]} (${c4[4]})` : (c4[3] as string), line });
      return;
    }
    const rel4 = C4_REL.exec(text);
    if (rel4) {
      edges.push({ from: rel4[1] as string, to: rel4[2] as string, label: [rel4[3], rel4[4]].filter(Boolean).join(", "), line });
      return;
    }
    const decl = /^(component|database|queue|node|actor|cloud|rectangle|storage|collections|entity|participant|boundary|control)\s+(?:"([^"]+)"|([\w-]+))(?:\s+as\s+([\w-]+))?/i.exec(text);
    if (decl) {
      const id = (decl[4] ?? decl[3] ?? decl[2]) as string;
      nodes.set(id, { id, label: (decl[2] ?? decl[3] ?? id) as string, line });
    }
    const rel = /^\[?([\w-]+)\]?\s*<?[-.]+>>?\s*\[?([\w-]+)\]?\s*(?::\s*(.*))?$/.exec(text);
    if (rel) edges.push({ from: rel[1] as string, to: rel[2] as string, label: rel[3]?.trim() ?? "", line });
  });
  // participants make it an interaction (sequence) diagram, not a drawing of the system's parts
  const sequence = /^\s*participant\b/im.test(source);
  return { kind: sequence ? "sequence" : "plantuml", line: fenceLine, nodes: [...nodes.values()], edges };
}

/**
 * A design document as facts with lines: sections, the technologies it names (with negations), Mermaid and
 * PlantUML diagrams as components and edges, stated numbers with units, claims about all routes, and which
 * review topics it addresses. Markdown through markdown-it (which keeps each block's lines); other text
 * (reStructuredText, plain text) paragraph by paragraph.
 */
export function parseDesignDocument(file: string, source: string, role: DesignDocument["role"]): DesignDocument {
  // YAML front matter (Docusaurus, MkDocs, Hugo) is metadata: blanked so that lines keep their numbers
  const front = /^---\r?\n[\s\S]*?\r?\n---\r?\n/.exec(source);
  const frontTitle = front ? /^title:\s*["']?(.+?)["']?\s*$/m.exec(front[0])?.[1] : undefined;
  // curly quotes are read as straight ones, in prose and diagrams alike
  const text = (front ? front[0].replace(/[^\n]/g, "") + source.slice(front[0].length) : source).replace(/[“”]/g, '"').replace(/[‘’]/g, "'");
  const blocks: Block[] = [];
  // whole paragraphs and list items, for sentences that wrap across lines (claims)
  const paragraphs: Block[] = [];
  const diagrams: DesignDiagram[] = [];
  const headings: DesignDocument["headings"] = [];
  let section = "";
  if (/\.(md|markdown)$/i.test(file)) {
    const tokens = markdown.parse(text, {});
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i];
      if (!t) continue;
      if (t.type === "fence" && t.map) {
        const lang = t.info.trim().toLowerCase();
        if (lang === "mermaid") diagrams.push(parseMermaid(t.content, t.map[0] + 1));
        else if (lang === "plantuml" || lang === "puml" || /^@startuml/m.test(t.content)) diagrams.push(parsePlantUml(t.content, t.map[0] + 1));
        continue;
      }
      if (t.type === "inline" && t.map) {
        const heading = tokens[i - 1]?.type === "heading_open";
        const content = t.content.replace(/`([^`]*)`/g, "$1");
        if (heading) {
          section = content.toLowerCase();
          headings.push({ text: content, line: t.map[0] + 1, level: Number(tokens[i - 1]?.tag.slice(1)) });
        }
        paragraphs.push({ text: content.replace(/\s*\n\s*/g, " "), line: t.map[0] + 1, kind: heading ? "heading" : "prose", section });
        // an inline block spans lines: keep each line's own number
        const first = t.map[0] + 1;
        content.split("\n").forEach((lineText, k) => {
          blocks.push({ text: lineText, line: first + k, kind: heading ? "heading" : "prose", section });
        });
      }
    }
  } else {
    text.split("\n").forEach((lineText, k) => {
      const underline = /^(=+|-+|~+|\^+)$/.test(text.split("\n")[k + 1]?.trim() ?? "");
      if (underline && lineText.trim()) {
        section = lineText.trim().toLowerCase();
        headings.push({ text: lineText.trim(), line: k + 1, level: 1 });
      }
      if (lineText.trim()) blocks.push({ text: lineText, line: k + 1, kind: underline ? "heading" : "prose", section });
    });
    // paragraphs: runs of non-blank lines
    let start = -1;
    const all = text.split("\n");
    all.forEach((lineText, k) => {
      if (lineText.trim() && start < 0) start = k;
      if ((!lineText.trim() || k === all.length - 1) && start >= 0) {
        const end = lineText.trim() ? k + 1 : k;
        paragraphs.push({ text: all.slice(start, end).join(" ").replace(/\s+/g, " "), line: start + 1, kind: "prose", section: "" });
        start = -1;
      }
    });
  }
  const mentions: DocMention[] = [];
  const numbers: DocNumber[] = [];
  const claims: DocClaim[] = [];
  const topics: DesignDocument["topics"] = {};
  const mechanisms: DesignDocument["mechanisms"] = {};
  const singletons: DesignDocument["singletons"] = [];
  const styles: DesignDocument["styles"] = [];
  const adr = role === "adr" || adrShaped(headings);
  for (const raw of blocks) {
    const block = { ...raw, text: prose(raw.text) };
    const plain = asWords(block.text);
    for (const [mechanism, re] of Object.entries(MECHANISMS) as Array<[Mechanism, RegExp]>) {
      // a heading names a subject ("Caching"); what the section says decides whether it is used
      if (mechanism in mechanisms || block.kind === "heading") continue;
      // a mechanism the document decides against ("leave caching off", "we do not cache") is not one
      const m = new RegExp(re.source, "i").exec(plain);
      if (m && !negatedAt(plain, m.index) && !/\b(off|disabled?|not)\b/i.test(plain.slice(m.index, m.index + 40).replace(m[0], ""))) mechanisms[mechanism] = block.line;
    }
    singletonsIn(block, singletons);
    for (const clause of clauses(block.text)) {
      for (const { style, re } of STYLES) {
        const m = re.exec(clause);
        if (m && !negatedAt(clause, m.index) && !styles.some((x) => x.style === style) && !(style === "monolith" && styles.some((x) => x.style === "modular monolith"))) styles.push({ style, line: block.line });
      }
    }
    mentionsIn(block, mentions, adr && !decisionSection(block.section));
    numbersIn(block, numbers);
    for (const [topic, re] of Object.entries(TOPICS) as Array<[DocTopic, RegExp]>) {
      if (re.test(plain) && !(topic in topics)) topics[topic] = block.line;
    }
  }
  for (const paragraph of paragraphs) claimsIn(paragraph, claims);
  // a singleton is answered only where redundancy is said of the same component ("a cluster" of app nodes does not
  // replicate the database)
  for (const single of singletons) {
    const concept = CONCEPTS.find((c) => c.key === single.concept);
    if (!concept) continue;
    const answered = blocks.some((b) => (b.line === single.line && REPLICATED.test(prose(b.text))) || clauses(prose(b.text)).some((c) => concept.terms.test(c) && REPLICATED.test(c) && !NEGATION.test(c)));
    if (answered) single.answered = true;
  }
  // diagram labels name technologies, and address topics ("Redirects for authentication"), too
  for (const d of diagrams) {
    for (const label of [...d.nodes.map((n) => ({ text: n.label, line: n.line })), ...d.edges.map((e) => ({ text: e.label, line: e.line }))]) {
      for (const [topic, re] of Object.entries(TOPICS) as Array<[DocTopic, RegExp]>) if (re.test(asWords(label.text)) && !(topic in topics)) topics[topic] = label.line;
    }
    for (const n of d.nodes) mentionsIn({ text: n.label, line: n.line, kind: "prose", section: "diagram" }, mentions);
    for (const e of d.edges) if (e.label) mentionsIn({ text: e.label, line: e.line, kind: "prose", section: "diagram" }, mentions);
  }
  const title = headings[0]?.text ?? frontTitle ?? file.split("/").pop() ?? file;
  const words = [...new Set(text.toLowerCase().match(/[a-z][a-z0-9]{2,}/g) ?? [])].sort();
  return { file, role, title, headings, mentions, diagrams, numbers, claims, topics, mechanisms, singletons, styles, words, lines: text.split("\n").length };
}
