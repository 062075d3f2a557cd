const strictUtf8 = new TextDecoder("utf-8", { fatal: true });
const lenientUtf8 = new TextDecoder("utf-8", { fatal: false });

/** A NUL byte in the first 8 KB marks a file as binary, as git does. */
export function isBinary(head: Uint8Array): boolean {
  return head.includes(0);
}

/** Decodes UTF-8 (dropping a BOM), replacing invalid bytes; `lossy` says whether any were replaced. */
export function decodeText(bytes: Uint8Array): { text: string; lossy: boolean } {
  let text: string;
  let lossy = false;
  try {
    // a valid file may itself contain U+FFFD: only a failed strict decode is lossy
    text = strictUtf8.decode(bytes);
  } catch {
    text = lenientUtf8.decode(bytes);
    lossy = true;
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { text, lossy };
}
