// biome-ignore-all lint/suspicious/noTemplateCurlyInString: shell, compose, Helm and Terraform interpolation in sample files, not JS templates
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { decodeText } from "../../src/workspace/text.js";

/**
 * Generators of broken inputs for the robustness properties: a valid, real-looking sample with one to
 * four mutations applied (truncation, byte flips, NUL bytes, invalid UTF-8, a repeated or deleted slice,
 * tokens of the file's own syntax in the wrong place, absurd nesting, a 1 MB scalar, YAML aliases that
 * expand exponentially).
 *
 * Runs and seed: `npm test` runs each property a modest, fixed number of times (seed 42) so the suite stays
 * fast and deterministic; `FUZZ_RUNS=<multiplier>` (and optionally `FUZZ_SEED=<n>`) makes a longer run, as
 * `scripts/fuzz.mjs` does.
 */
export const SEED = Number(process.env.FUZZ_SEED ?? 42);
const MULTIPLIER = Math.max(0.1, Number(process.env.FUZZ_RUNS ?? 1) || 1);

/** fast-check parameters: a fixed seed and `base` runs times the FUZZ_RUNS multiplier. */
export function params(base: number): { seed: number; numRuns: number; endOnFailure: true } {
  return { seed: SEED, numRuns: Math.max(1, Math.round(base * MULTIPLIER)), endOnFailure: true };
}

/** Generous per-test timeout: five seconds an input, for the runs of one property. */
export function timeoutFor(base: number): number {
  return 30_000 + params(base).numRuns * 5_000;
}

const EXAMPLE = join(import.meta.dirname, "..", "..", "examples", "shop-api");
export function example(path: string): string {
  return readFileSync(join(EXAMPLE, ...path.split("/")), "utf8");
}

/** One mutation of a byte buffer. Positions are fractions of the length, so they fit any sample. */
type Mutation =
  | { kind: "truncate"; at: number }
  | { kind: "flip"; at: number; byte: number }
  | { kind: "nul"; at: number }
  | { kind: "invalid-utf8"; at: number; bytes: number[] }
  | { kind: "delete"; at: number; length: number }
  | { kind: "repeat"; at: number; length: number; times: number }
  | { kind: "token"; at: number; token: string }
  | { kind: "nest"; at: number; open: string; close: string; depth: number }
  | { kind: "huge-scalar"; at: number; size: number }
  | { kind: "swap-lines"; a: number; b: number };

const position = fc.double({ min: 0, max: 1, noNaN: true });
/** Byte sequences that are never valid UTF-8: a lone continuation byte, a truncated sequence, a surrogate, an overlong form. */
const INVALID_UTF8 = [[0xff], [0xfe, 0xff], [0xc3], [0x80], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82]];
const NESTING: Array<[string, string]> = [["[", "]"], ["{", "}"], ["(", ")"], ["{a: ", "}"], ["- ", ""], ["f(", ")"], ["{{ (", ") }}"], ["> ", ""], ["[x](", ")"], ["\"", "\""]];

function mutation(tokens: readonly string[], options: { heavy: boolean }): fc.Arbitrary<Mutation> {
  const light: Array<fc.WeightedArbitrary<Mutation>> = [
    { weight: 3, arbitrary: fc.record({ kind: fc.constant("truncate" as const), at: position }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant("flip" as const), at: position, byte: fc.integer({ min: 0, max: 255 }) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("nul" as const), at: position }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("invalid-utf8" as const), at: position, bytes: fc.constantFrom(...INVALID_UTF8) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("delete" as const), at: position, length: fc.integer({ min: 1, max: 400 }) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("repeat" as const), at: position, length: fc.integer({ min: 1, max: 200 }), times: fc.integer({ min: 2, max: 50 }) }) },
    { weight: 5, arbitrary: fc.record({ kind: fc.constant("token" as const), at: position, token: fc.constantFrom(...tokens, ...GENERIC_TOKENS) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("swap-lines" as const), a: position, b: position }) },
  ];
  if (!options.heavy) return fc.oneof(...light);
  return fc.oneof(
    ...light,
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("nest" as const), at: position, open: fc.constantFrom(...NESTING.map(([o]) => o)), close: fc.constant(""), depth: fc.integer({ min: 500, max: 5000 }) }).map((m) => ({ ...m, close: NESTING.find(([o]) => o === m.open)?.[1] ?? "" })) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("huge-scalar" as const), at: position, size: fc.constantFrom(64 * 1024, 1024 * 1024) }) },
  );
}

/** Tokens that break most text formats. */
const GENERIC_TOKENS = ["\n", "\r\n", "\r", "\t", " ", "\\", '"', "'", "`", "#", "\u2028", "\ufeff", "\uffff", "\ud800", "💥", "${", "}}", "{{", "\u0000"];

function at(buffer: Buffer, fraction: number): number {
  return Math.min(buffer.length, Math.floor(fraction * (buffer.length + 1)));
}

export function applyMutation(buffer: Buffer, m: Mutation): Buffer {
  switch (m.kind) {
    case "truncate":
      return buffer.subarray(0, at(buffer, m.at));
    case "flip": {
      if (buffer.length === 0) return buffer;
      const copy = Buffer.from(buffer);
      copy[Math.min(copy.length - 1, at(copy, m.at))] = m.byte;
      return copy;
    }
    case "nul":
      return insert(buffer, at(buffer, m.at), Buffer.from([0]));
    case "invalid-utf8":
      return insert(buffer, at(buffer, m.at), Buffer.from(m.bytes));
    case "delete": {
      const start = at(buffer, m.at);
      return Buffer.concat([buffer.subarray(0, start), buffer.subarray(start + m.length)]);
    }
    case "repeat": {
      const start = at(buffer, m.at);
      const slice = buffer.subarray(start, start + m.length);
      return insert(buffer, start, Buffer.concat(Array.from({ length: m.times }, () => slice)));
    }
    case "token":
      return insert(buffer, at(buffer, m.at), Buffer.from(m.token));
    case "nest":
      return insert(buffer, at(buffer, m.at), Buffer.from(m.open.repeat(m.depth) + "x" + m.close.repeat(m.depth)));
    case "huge-scalar":
      return insert(buffer, at(buffer, m.at), Buffer.from("a".repeat(m.size)));
    case "swap-lines": {
      const lines = buffer.toString("latin1").split("\n");
      const a = Math.min(lines.length - 1, Math.floor(m.a * lines.length));
      const b = Math.min(lines.length - 1, Math.floor(m.b * lines.length));
      [lines[a], lines[b]] = [lines[b] ?? "", lines[a] ?? ""];
      return Buffer.from(lines.join("\n"), "latin1");
    }
  }
}

function insert(buffer: Buffer, index: number, piece: Buffer): Buffer {
  return Buffer.concat([buffer.subarray(0, index), piece, buffer.subarray(index)]);
}

/** A counterexample fast-check can print in a few lines: which sample, which mutations, the start of the bytes. */
function describe(input: MutatedInput & { sample: number }): MutatedInput {
  return Object.assign(input, {
    [fc.toStringMethod]: () =>
      `sample #${input.sample} (${input.sample < 0 ? "generated" : "given"}) with ${JSON.stringify(input.mutations)}: ${input.bytes.length} bytes, starting ${JSON.stringify(input.text.slice(0, 160))}`,
  });
}

export interface MutatedInput {
  bytes: Buffer;
  /** The bytes as the scan decodes them (invalid UTF-8 replaced, a BOM dropped). */
  text: string;
  mutations: Mutation[];
}

/** A sample with 1–4 mutations; `heavy` adds absurd nesting and 64 KB–1 MB scalars. */
export function mutated(samples: readonly string[], tokens: readonly string[] = [], options: { heavy?: boolean; extra?: fc.Arbitrary<string> } = {}): fc.Arbitrary<MutatedInput> {
  const base = options.extra ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...samples) }, { weight: 1, arbitrary: options.extra }) : fc.constantFrom(...samples);
  return fc.tuple(base, fc.array(mutation(tokens, { heavy: options.heavy ?? true }), { minLength: 1, maxLength: 4 })).map(([sample, mutations]) => {
    let bytes: Buffer = Buffer.from(sample);
    for (const m of mutations) bytes = applyMutation(bytes, m);
    return describe({ bytes, text: decodeText(bytes).text, mutations, sample: samples.indexOf(sample) });
  });
}

/**
 * YAML whose aliases expand exponentially ("billion laughs"): `width` aliases of the level below on each of
 * `levels` levels, the last anchor used under `key` (a compose `command`, a pod's `containers`).
 */
export const billionLaughs: fc.Arbitrary<{ text: string; levels: number; width: number }> = fc
  .record({ levels: fc.integer({ min: 3, max: 10 }), width: fc.integer({ min: 3, max: 12 }), inline: fc.boolean() })
  .map(({ levels, width, inline }) => {
    const names = Array.from({ length: levels }, (_, i) => `l${i}`);
    const lines = names.map((name, i) => {
      const items = i === 0 ? Array(width).fill("lol") : Array(width).fill(`*${names[i - 1]}`);
      return inline ? `${name}: &${name} [${items.join(", ")}]` : `${name}: &${name}\n${items.map((x) => `  - ${x}`).join("\n")}`;
    });
    const text = lines.join("\n");
    return { text, levels, width, [fc.toStringMethod]: () => `billion laughs: ${levels} levels of ${width} aliases (${inline ? "flow" : "block"})` };
  });

/** Python syntax in the wrong place. */
export const PYTHON_TOKENS = ["(", ")", "[", "]", "{", "}", ":", "def ", "class ", "lambda ", "async ", "await ", "yield ", "return", '"""', "'''", "f'{", "}'", "\\\n", "@", "**", "->", ":=", "    ", "\t", "if ", "else:", "except", "import ", "from . import *", "# -*- coding: latin-1 -*-\n", "match x:\n  case _:", "print >>"];
export const YAML_TOKENS = ["&a ", "*a", "<<: *a\n", "? ", "--- ", "---\n", "...\n", "- ", ": ", "{", "}", "[", "]", "!!binary ", "!!python/object ", "!custom ", "|\n", ">-\n", "%YAML 1.1\n", "%TAG ! tag:x:\n", "&", "*", "<<: [*a, *b]\n", "key: &a [1, 2]\nother: *a\n", "'", '"\\x', "@", "`", "\t", ":\n  -\n"];
export const TOML_TOKENS = ["[", "]", "[[", "]]", "=", '"""', "'''", "{", "}", "[project]\n", "[tool.poetry.dependencies]\n", "dependencies = [", "a.b.c = 1\n", "\\u", "1979-05-27T07:32:00Z", "inf", "nan", "0x", "#", "key = "];
export const DOCKERFILE_TOKENS = ["FROM ", "RUN ", "CMD ", "ENTRYPOINT ", "COPY --from=", "USER ", "ARG ", "ENV ", "WORKDIR ", "HEALTHCHECK ", "EXPOSE ", "\\\n", "<<EOF\n", "EOF\n", "[", "]", '["', '"]', "${A:-${B}}", "# syntax=docker/dockerfile:1\n", "ONBUILD ", "SHELL ", "--platform=$X "];
export const HELM_TOKENS = ["{{", "}}", "{{-", "-}}", "{{ .Values.x }}", "{{ include \"x\" . | nindent 8 }}", "{{ if .Values.a }}", "{{ else }}", "{{ end }}", "{{ range .Values.l }}", "{{ with .Values.m }}", "{{ define \"x\" }}", "{{ toYaml .Values.m | indent -4 }}", "{{ .Values.m | nindent 99999999 }}", "{{ (((((", ")))) }}", "{{ printf \"%s%d%q\" }}", "{{ trunc -5 .Values.x }}", "{{/* c */}}", "{{ $x := 1 }}", "{{ default (dict) .Values.y | toYaml }}"];
export const HCL_TOKENS = ["resource ", "\"aws_s3_bucket\" ", "\"b\" ", "{", "}", "[", "]", "=", "${", "%{ if x }", "%{ endif }", "<<EOT\n", "EOT\n", "dynamic ", "for_each = ", "count = ", "#", "//", "/*", "*/", "\"", "?", ":"];
export const MARKDOWN_TOKENS = ["# ", "## ", "```", "```mermaid\n", "```plantuml\n", "@startuml\n", "@enduml\n", "~~~", "> ", "- ", "1. ", "|", "[x](", ")", "<!--", "-->", "<div>", "---\n", "graph TD\n", "A-->B\n", "A --> |label| B\n", "subgraph x\n", "end\n", "*", "_", "`", "\\", "99.99%", "10k req/s", "p95 < 200 ms"];
export const LINE_TOKENS = ["web: ", "worker: ", ":", "=", "==", ">=", "~=", "[", "]", ";", "@", "-r ", "-c ", "-e ", "--hash=sha256:", "\\\n", "#", "python_version < '3.8'", "git+https://", "(", ")", "export "];
