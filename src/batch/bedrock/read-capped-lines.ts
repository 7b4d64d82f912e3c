/**
 * The lines of a stream, with a byte cap per line: a line over the cap is never held whole. Its first
 * `headBytes` bytes are kept (enough to find the recordId Bedrock writes first) and the rest is counted and
 * dropped, so memory stays within the cap however long a hostile line is. readline cannot do this: it
 * buffers a line until its newline arrives.
 */
export type CappedLine = { kind: "line"; text: string } | { kind: "oversized"; bytes: number; head: string };

const NEWLINE = 0x0a;

export async function* readCappedLines(stream: AsyncIterable<Uint8Array | string>, maxLineBytes: number, headBytes = 1024): AsyncGenerator<CappedLine> {
  let parts: Buffer[] = [];
  let length = 0;
  let oversized: { bytes: number; head: string } | undefined;
  const take = (piece: Buffer) => {
    if (oversized) {
      oversized.bytes += piece.length;
      return;
    }
    if (length + piece.length <= maxLineBytes) {
      parts.push(piece);
      length += piece.length;
      return;
    }
    oversized = { bytes: length + piece.length, head: firstBytes([...parts, piece], headBytes).toString("utf8") };
    parts = [];
    length = 0;
  };
  const end = (): CappedLine => {
    const line: CappedLine = oversized ? { kind: "oversized", ...oversized } : { kind: "line", text: Buffer.concat(parts, length).toString("utf8").replace(/\r$/, "") };
    parts = [];
    length = 0;
    oversized = undefined;
    return line;
  };
  for await (const chunk of stream) {
    const buffer = typeof chunk === "string" ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let start = 0;
    for (let newline = buffer.indexOf(NEWLINE, start); newline !== -1; newline = buffer.indexOf(NEWLINE, start)) {
      take(buffer.subarray(start, newline));
      yield end();
      start = newline + 1;
    }
    if (start < buffer.length) take(buffer.subarray(start));
  }
  if (length > 0 || oversized) yield end();
}

/** The first `count` bytes of the pieces, copying no more than that. */
function firstBytes(pieces: Buffer[], count: number): Buffer {
  const head: Buffer[] = [];
  let taken = 0;
  for (const piece of pieces) {
    if (taken >= count) break;
    const part = piece.subarray(0, count - taken);
    head.push(part);
    taken += part.length;
  }
  return Buffer.concat(head, taken);
}
