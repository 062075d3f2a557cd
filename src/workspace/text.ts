const utf8 = new TextDecoder("utf-8", { fatal: false });

/** A NUL byte in the first 8 KB marks a file as binary, as git does. */
export function isBinary(head: Uint8Array): boolean {
  return head.includes(0);
}

/** Decodes UTF-8 (dropping a BOM), replacing invalid bytes; `lossy` says whether any were replaced. */
export function decodeText(bytes: Uint8Array): { text: string; lossy: boolean } {
  let text = utf8.decode(bytes);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { text, lossy: text.includes("\uFFFD") };
}
