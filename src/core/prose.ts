/** `1 process`, `2 processes`, `3 endpoints`: a count with its noun. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : /(s|ss|sh|ch|x)$/.test(word) ? "es" : "s"}`;
}

/** `a`, `a and b`, `a, b and c`. */
export function joinAnd(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}
