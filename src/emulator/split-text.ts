/**
 * Splits text into at most `parts` pieces of roughly equal length (fewer when the text is shorter), never
 * cutting a UTF-16 surrogate pair. Empty text gives one empty piece.
 */
export function splitText(text: string, parts: number): string[] {
  const count = Math.max(1, Math.min(Math.floor(parts) || 1, text.length));
  if (count === 1) return [text];
  const pieces: string[] = [];
  let start = 0;
  for (let i = 1; i <= count; i += 1) {
    let end = i === count ? text.length : Math.round((text.length * i) / count);
    if (end < text.length && isLowSurrogate(text.charCodeAt(end))) end += 1;
    if (end > start) pieces.push(text.slice(start, end));
    start = Math.max(start, end);
  }
  return pieces;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
