/** Removes terminal control sequences and other C0/C1 control characters (keeps tab and newline). */
export function stripControl(text: string): string {
  return text.replace(/\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(\u0007|\u001b\\)|[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, "");
}

/**
 * Markdown inline text from untrusted input: no raw HTML, no emphasis, links, tables or code
 * spans can be opened by it, no control characters. Characters that are only special at the
 * start of a line (`#`, `-`, `+`, `>`, digits with `.`) are safe inline and left alone.
 */
export function mdText(text: string): string {
  return stripControl(text)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/([\\`*_[\]|~])/g, "\\$1")
    .replace(/!(?=\\\[)/g, "\\!")
    .replace(/\r?\n/g, " ");
}

/** Inline code from untrusted input: backticks cannot close it early. */
export function mdCode(text: string): string {
  const clean = stripControl(text).replace(/\r?\n/g, " ");
  const longest = Math.max(0, ...(clean.match(/`+/g) ?? []).map((m) => m.length));
  const fence = "`".repeat(longest + 1);
  const pad = clean.startsWith("`") || clean.endsWith("`") ? " " : "";
  return `${fence}${pad}${clean}${pad}${fence}`;
}

/** Inline code inside a GFM table cell: a `|` would end the cell even inside a code span. */
export function mdCell(text: string): string {
  return mdCode(text).replace(/\|/g, "\\|");
}

/** Mermaid node labels: quotes and brackets would break out of the label. */
export function mermaidLabel(text: string): string {
  return stripControl(text).replace(/["<>[\]{}()|`#;]/g, " ").replace(/\s+/g, " ").trim();
}

/** Markdown prose with `code spans` kept: each backtick pair becomes inline code, everything else is escaped as text. */
export function mdProse(text: string): string {
  return text
    .split(/(`[^`]+`)/g)
    .map((part, i) => (i % 2 === 1 ? mdCode(part.slice(1, -1)) : mdText(part)))
    .join("");
}
