/** A secret as it may be shown: its first 4 characters and its length, never the rest. */
export function redactSecret(value: string): string {
  const head = [...value].slice(0, 4).join("");
  return `${head}… (${value.length} chars, redacted)`;
}

/** Replaces every occurrence of `secret` in `text` by its redacted form. */
export function redactIn(text: string, secret: string): string {
  if (!secret) return text;
  return text.split(secret).join(redactSecret(secret));
}
