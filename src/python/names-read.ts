/**
 * What an expression reads, from its source text: the local names it uses and the request data it touches.
 * Text-based on purpose: extraction already holds the expression's text, and walking its nodes through the
 * wasm boundary would cost more than the scan.
 */

const KEYWORDS = new Set([
  "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif", "else",
  "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise",
  "return", "try", "while", "with", "yield", "self", "cls",
]);

/**
 * Calls whose result cannot carry text an attacker chose: numbers, lengths, booleans, UUIDs, hashes.
 * Names read only inside them do not flow into the value.
 */
const SANITISERS = new Set([
  "int", "float", "len", "bool", "abs", "round", "UUID", "isinstance", "hash", "id", "type", "ord", "hex", "oct", "bin", "callable", "hasattr",
  // URLs of this site built from a route name: their arguments fill path segments the route defines
  "url_for", "reverse", "reverse_lazy", "resolve_url", "absolute_reverse", "url_path_for",
]);

/**
 * Encoders: what they return carries the text, but never markup (`escape`, `quote`, `urlencode`). Names read inside
 * them are reported as `~name`, so taint can follow them and still know the value reaches a page escaped.
 */
const ENCODERS = new Set(["escape", "conditional_escape", "quote", "quote_plus", "urlencode", "escape_uri_path", "iri_to_uri"]);

const IDENT_START = /[A-Za-z_]/;
const IDENT = /\w/;

/**
 * Names an expression reads: identifiers not after a dot, not keyword-argument names, not inside string literals
 * (except the `{...}` parts of f-strings), not inside a sanitising call (`int(x)`).
 */
export function namesRead(text: string): string[] {
  const out = new Set<string>();
  scan(text, out, 0, false);
  return [...out].sort();
}

function scan(text: string, out: Set<string>, depth: number, encoded: boolean): void {
  if (depth > 4) return;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text[i] as string;
    if (ch === "#") {
      while (i < n && text[i] !== "\n") i++;
      continue;
    }
    if (ch === "'" || ch === '"') {
      i = skipString(text, i, "", out, depth);
      continue;
    }
    if (IDENT_START.test(ch) && (i === 0 || !IDENT.test(text[i - 1] as string))) {
      let j = i + 1;
      while (j < n && IDENT.test(text[j] as string)) j++;
      const word = text.slice(i, j);
      // a string prefix: f"...", rb'...'
      if (j < n && (text[j] === "'" || text[j] === '"') && /^[rRbBuUfF]{1,2}$/.test(word)) {
        i = skipString(text, j, word.toLowerCase(), out, depth);
        continue;
      }
      const before = previousNonSpace(text, i);
      let k = j;
      while (k < n && (text[k] === " " || text[k] === "\t")) k++;
      const next = text[k];
      if (SANITISERS.has(word) && next === "(" && before !== ".") {
        i = skipBracket(text, k);
        continue;
      }
      if (ENCODERS.has(word) && next === "(") {
        const end = skipBracket(text, k);
        scan(text.slice(k + 1, end - 1), out, depth + 1, true);
        i = end;
        continue;
      }
      const isKeywordArgument = next === "=" && text[k + 1] !== "=" && (before === "(" || before === ",");
      if (before !== "." && !isKeywordArgument && !KEYWORDS.has(word)) out.add(encoded ? `~${word}` : word);
      i = j;
      continue;
    }
    // a subscript's index picks an element; it is not the element (`ROUTES[name]` holds a route, not `name`)
    if (ch === "[" && i > 0 && /[\w)\]]/.test(text[i - 1] as string)) {
      i = skipBracket(text, i);
      continue;
    }
    i++;
  }
}

function previousNonSpace(text: string, i: number): string {
  let k = i - 1;
  while (k >= 0 && /\s/.test(text[k] as string)) k--;
  return k >= 0 ? (text[k] as string) : "";
}

/** Index just past the bracket group opening at `open`. */
function skipBracket(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (ch === "'" || ch === '"') {
      i = skipString(text, i, "", null, 0) - 1;
      continue;
    }
    if (ch === "(" || ch === "[" || ch === "{") depth++;
    else if (ch === ")" || ch === "]" || ch === "}") {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return text.length;
}

/** Index just past the string literal starting at `start`; for f-strings, the `{...}` parts are scanned for names. */
function skipString(text: string, start: number, prefix: string, out: Set<string> | null, depth: number): number {
  const quote = text[start] as string;
  const triple = text.startsWith(quote.repeat(3), start);
  const delimiter = triple ? quote.repeat(3) : quote;
  const raw = prefix.includes("r");
  const isF = prefix.includes("f");
  let i = start + delimiter.length;
  while (i < text.length) {
    const ch = text[i];
    if (ch === "\\" && !raw) {
      i += 2;
      continue;
    }
    if (text.startsWith(delimiter, i)) return i + delimiter.length;
    if (!triple && ch === "\n") return i;
    if (isF && ch === "{") {
      if (text[i + 1] === "{") {
        i += 2;
        continue;
      }
      const end = fieldEnd(text, i);
      if (out) scan(text.slice(i + 1, end).replace(/(![rsa])?(:[^{}]*)?$/, ""), out, depth + 1, false);
      i = end + 1;
      continue;
    }
    i++;
  }
  return text.length;
}

/** Index of the `}` closing the f-string replacement field opened at `open`. */
function fieldEnd(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (ch === "{" || ch === "(" || ch === "[") depth++;
    else if (ch === "}" || ch === ")" || ch === "]") {
      depth--;
      if (depth === 0) return i;
    }
  }
  return text.length;
}

/**
 * Request data read in an expression, as written: Flask `request.args`/`form`/`json`/`get_json()`, Django
 * `request.GET`/`POST`/`body`/`META`, DRF `request.data`/`query_params`, Starlette `request.query_params`/`json()`,
 * aiohttp `request.match_info`/`query`/`post()`, Pyramid `request.params`/`matchdict`/`json_body` (Falcon `req.params`).
 * `request.user` and `request.session` are the server's, not the client's.
 */
const REQUEST_SOURCE = /(?<![\w.])(?:self\.|flask\.)?(?:request|req)\.(args|form|json|data|files|values|cookies|headers|get_json|get_data|GET|POST|body|FILES|COOKIES|META|query_params|path_params|match_info|query|post|query_string|stream|url|full_path|host|path|raw_post_data|params|matchdict|json_body)(?!\w)/g;

export function requestSources(text: string): string[] {
  if (!text.includes("req")) return [];
  const out = new Set<string>();
  for (const m of withoutSanitisers(text).matchAll(REQUEST_SOURCE)) out.add(m[0]);
  return [...out].sort();
}

/** The text with sanitising and encoding calls (`int(...)`, `escape(...)`) cut out. */
function withoutSanitisers(text: string): string {
  let out = "";
  let i = 0;
  // request data read inside an encoder reaches the value escaped: not a source of markup or of anything else worth naming
  const call = new RegExp(`(?<![\\w.])(${[...SANITISERS, ...ENCODERS].join("|")})\\s*\\(`, "g");
  for (let m = call.exec(text); m; m = call.exec(text)) {
    if (m.index < i) continue;
    out += text.slice(i, m.index);
    i = skipBracket(text, m.index + m[0].length - 1);
    call.lastIndex = i;
  }
  return out + text.slice(i);
}

/**
 * How a string built from parts begins, up to the first placeholder of its path: the literal text with `{…}` for
 * each field of a leading base or a host (`f"https://{region}.api.example.com/{x}"` → `https://{…}.api.example.com/`),
 * and the names those fields read. Whether request data can choose a URL's host or a redirect's target depends on
 * it. Null when the string begins with something else (a call, a `%s`).
 */
export function leadingPart(text: string): { prefix: string; reads: string[] } | null {
  const literal = /^\s*\(?\s*([rRbBuUfF]{0,2})("""|'''|"|')/.exec(text);
  if (!literal) {
    const term = /^[\s(]*([A-Za-z_][\w.]*(?:\[[^\]]*\])?(?:\.[\w]+)*(?:\([^()]*\))?)\s*\+/.exec(text);
    return term ? { prefix: "{…}", reads: leadingNames(term[1] as string) } : null;
  }
  const isF = /f/i.test(literal[1] ?? "");
  const quote = literal[2] as string;
  const body = text.slice(literal[0].length);
  let prefix = "";
  const reads: string[] = [];
  let sawScheme = false;
  let pathStarted = false;
  for (let i = 0; i < body.length; ) {
    if (body.startsWith(quote, i)) break;
    const ch = body[i] as string;
    if (isF && ch === "{" && body[i + 1] === "{") {
      prefix += "{";
      i += 2;
      continue;
    }
    if (isF && ch === "{") {
      // a field in the path, or after plain text, ends what decides the destination
      if (pathStarted || (prefix !== "" && !sawScheme)) break;
      const end = fieldEnd(body, i);
      reads.push(...leadingNames(body.slice(i + 1, end)));
      prefix += "{…}";
      i = end + 1;
      continue;
    }
    if (!isF && (ch === "{" || /^%[-#0 +]*[\d.]*[sdirf(]/.test(body.slice(i, i + 8)))) break;
    if ((ch === "/" || ch === "?" || ch === "#") && !pathStarted) {
      const onlyFields = /^(\{…\})*$/.test(prefix);
      if (onlyFields || (sawScheme && !prefix.endsWith("://"))) pathStarted = true;
    }
    prefix += ch;
    if (prefix.endsWith("://")) sawScheme = true;
    i++;
  }
  if (prefix === "") return null;
  return { prefix: prefix.slice(0, 100), reads: [...new Set(reads)] };
}

/** Names read by a leading part; `<request>` when it reads request data itself (the request's own path stays on this site). */
function leadingNames(text: string): string[] {
  return requestSources(text).some((source) => !/\.(path|full_path)$/.test(source)) ? ["<request>", ...namesRead(text)] : namesRead(text);
}
