/**
 * Strict JSON parsing straight from the response bytes, for answers that are mostly arrays of numbers
 * (embedding vectors): no UTF-8 decode of the whole body into a string, and numbers read from the bytes into
 * number[] without an intermediate string. It accepts exactly what JSON.parse accepts (RFC 8259: whitespace,
 * literals, number grammar, string escapes, control characters refused) and yields the same values: a number
 * is computed exactly when its decimal mantissa fits in 2^53 and its power of ten in 10^22 (both operands
 * exact, so the one division or multiplication rounds correctly, as JSON.parse does), and by Number() of its
 * validated text otherwise. Strings with escapes are decoded by JSON.parse of their own bytes. A key named
 * "__proto__" becomes an own property, as with JSON.parse. Nesting deeper than MAX_DEPTH is refused rather
 * than recursed into. Any error is a JsonBytesError with the byte offset; the caller words it.
 */

const MAX_DEPTH = 256;
const POW10 = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));
const MAX_EXACT = 2 ** 53;
const utf8 = new TextDecoder();

export class JsonBytesError extends Error {
  constructor(what: string, offset: number) {
    super(`${what} at byte ${offset}`);
    this.name = "JsonBytesError";
  }
}

/** Reused to join a body's chunks: a fresh buffer per answer costs more (page faults, GC) than parsing it. */
let scratch = new Uint8Array(0);
const SCRATCH_KEEP = 8 * 1024 * 1024;

/** parseJsonBytes over a body received in chunks (parsed synchronously, so one scratch buffer serves every call). */
export function parseJsonChunks(chunks: readonly Uint8Array[]): unknown {
  if (chunks.length === 1) return parseJsonBytes(chunks[0]!);
  let size = 0;
  for (const chunk of chunks) size += chunk.length;
  const target = size <= scratch.length ? scratch : new Uint8Array(size);
  if (target !== scratch && size <= SCRATCH_KEEP) scratch = target;
  let offset = 0;
  for (const chunk of chunks) {
    target.set(chunk, offset);
    offset += chunk.length;
  }
  return parseJsonBytes(target.subarray(0, size));
}

export function parseJsonBytes(bytes: Uint8Array): unknown {
  const parser = new Parser(bytes);
  parser.skipSpace();
  const value = parser.value(0);
  parser.skipSpace();
  if (parser.at < bytes.length) throw new JsonBytesError("unexpected data after the JSON value", parser.at);
  return value;
}

class Parser {
  at = 0;
  /** The length of the last run of numbers: the vectors of one answer all have the same length. */
  private sizeHint = 0;
  constructor(private readonly bytes: Uint8Array) {}

  skipSpace(): void {
    const bytes = this.bytes;
    let at = this.at;
    for (let c = bytes[at]; c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09; c = bytes[++at]);
    this.at = at;
  }

  value(depth: number): unknown {
    const c = this.bytes[this.at];
    if (c === 0x22) return this.string();
    if (c === 0x7b) return this.object(depth + 1);
    if (c === 0x5b) return this.array(depth + 1);
    if (c === 0x2d || (c !== undefined && c >= 0x30 && c <= 0x39)) return this.number();
    if (c === 0x74) return this.literal("true", true);
    if (c === 0x66) return this.literal("false", false);
    if (c === 0x6e) return this.literal("null", null);
    throw new JsonBytesError(c === undefined ? "unexpected end of data" : "unexpected character", this.at);
  }

  private object(depth: number): Record<string, unknown> {
    if (depth > MAX_DEPTH) throw new JsonBytesError("nesting too deep", this.at);
    const result: Record<string, unknown> = {};
    this.at++;
    this.skipSpace();
    if (this.bytes[this.at] === 0x7d) {
      this.at++;
      return result;
    }
    for (;;) {
      if (this.bytes[this.at] !== 0x22) throw new JsonBytesError("expected a string key", this.at);
      const key = this.string();
      this.skipSpace();
      if (this.bytes[this.at] !== 0x3a) throw new JsonBytesError("expected ':'", this.at);
      this.at++;
      this.skipSpace();
      const value = this.value(depth);
      if (key === "__proto__") Object.defineProperty(result, key, { value, writable: true, enumerable: true, configurable: true });
      else result[key] = value;
      this.skipSpace();
      const next = this.bytes[this.at++];
      if (next === 0x7d) return result;
      if (next !== 0x2c) throw new JsonBytesError("expected ',' or '}'", this.at - 1);
      this.skipSpace();
    }
  }

  private array(depth: number): unknown[] {
    if (depth > MAX_DEPTH) throw new JsonBytesError("nesting too deep", this.at);
    this.at++;
    this.skipSpace();
    const first = this.bytes[this.at];
    if (first === 0x5d) {
      this.at++;
      return [];
    }
    const result: unknown[] = first === 0x2d || (first !== undefined && first >= 0x30 && first <= 0x39) ? this.numbers() : [];
    if (this.bytes[this.at - 1] === 0x5d) return result;
    for (;;) {
      result.push(this.value(depth));
      this.skipSpace();
      const next = this.bytes[this.at++];
      if (next === 0x5d) return result;
      if (next !== 0x2c) throw new JsonBytesError("expected ',' or ']'", this.at - 1);
      this.skipSpace();
    }
  }

  /**
   * The leading run of numbers of an array, the common case of embedding vectors. Stops after the closing
   * ']' (consumed), or before an element that is not a number (the caller parses the rest).
   */
  private numbers(): number[] {
    const bytes = this.bytes;
    // Allocated at its final size: the previous vector's length, else the commas up to the closing bracket.
    let count = this.sizeHint;
    if (count === 0) {
      count = 1;
      for (let at = this.at, c = bytes[at]; c !== undefined && c !== 0x5d; c = bytes[++at]) if (c === 0x2c) count++;
    }
    const result: number[] = new Array<number>(count);
    let length = 0;
    let at = this.at;
    for (;;) {
      // Inline for the common shape -?digits(.digits)? with an exact mantissa; anything else goes to number().
      const start = at;
      let c = bytes[at];
      const negative = c === 0x2d;
      if (negative) c = bytes[++at];
      let mantissa = 0;
      let scale = 0;
      let simple = true;
      if (c === 0x30) c = bytes[++at];
      else if (c !== undefined && c >= 0x31 && c <= 0x39) {
        do {
          mantissa = mantissa * 10 + (c - 0x30);
          c = bytes[++at];
        } while (c !== undefined && c >= 0x30 && c <= 0x39);
      } else simple = false;
      if (simple && c === 0x2e) {
        c = bytes[++at];
        if (c === undefined || c < 0x30 || c > 0x39) simple = false;
        else {
          do {
            mantissa = mantissa * 10 + (c - 0x30);
            scale++;
            c = bytes[++at];
          } while (c !== undefined && c >= 0x30 && c <= 0x39);
        }
      }
      let value: number;
      if (simple && c !== 0x65 && c !== 0x45 && mantissa < MAX_EXACT && scale <= 22) {
        value = scale === 0 ? mantissa : mantissa / POW10[scale]!;
        if (negative) value = -value;
      } else {
        this.at = start;
        value = this.number();
        at = this.at;
        c = bytes[at];
      }
      if (length < count) result[length] = value;
      else result.push(value);
      length++;
      while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = bytes[++at];
      if (c === 0x5d) {
        this.at = at + 1;
        result.length = length;
        this.sizeHint = length;
        return result;
      }
      if (c !== 0x2c) throw new JsonBytesError("expected ',' or ']'", at);
      c = bytes[++at];
      while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = bytes[++at];
      if (c !== 0x2d && (c === undefined || c < 0x30 || c > 0x39)) {
        this.at = at;
        result.length = length;
        return result;
      }
    }
  }

  private number(): number {
    const bytes = this.bytes;
    const start = this.at;
    let at = start;
    let negative = false;
    if (bytes[at] === 0x2d) {
      negative = true;
      at++;
    }
    let mantissa = 0;
    let exact = true;
    let scale = 0;
    let c = bytes[at];
    if (c === 0x30) {
      c = bytes[++at];
    } else if (c !== undefined && c >= 0x31 && c <= 0x39) {
      do {
        mantissa = mantissa * 10 + (c - 0x30);
        c = bytes[++at];
      } while (c !== undefined && c >= 0x30 && c <= 0x39);
      if (mantissa >= MAX_EXACT) exact = false;
    } else {
      throw new JsonBytesError("invalid number", at);
    }
    if (c === 0x2e) {
      c = bytes[++at];
      if (c === undefined || c < 0x30 || c > 0x39) throw new JsonBytesError("invalid number", at);
      do {
        mantissa = mantissa * 10 + (c - 0x30);
        scale++;
        c = bytes[++at];
      } while (c !== undefined && c >= 0x30 && c <= 0x39);
      if (mantissa >= MAX_EXACT) exact = false;
    }
    let exponent = 0;
    if (c === 0x65 || c === 0x45) {
      c = bytes[++at];
      let negativeExponent = false;
      if (c === 0x2b || c === 0x2d) {
        negativeExponent = c === 0x2d;
        c = bytes[++at];
      }
      if (c === undefined || c < 0x30 || c > 0x39) throw new JsonBytesError("invalid number", at);
      do {
        if (exponent < 100_000) exponent = exponent * 10 + (c - 0x30);
        c = bytes[++at];
      } while (c !== undefined && c >= 0x30 && c <= 0x39);
      if (negativeExponent) exponent = -exponent;
    }
    this.at = at;
    const power = exponent - scale;
    if (exact && power >= -22 && power <= 22) {
      const magnitude = power < 0 ? mantissa / POW10[-power]! : mantissa * POW10[power]!;
      return negative ? -magnitude : magnitude;
    }
    return Number(asciiOf(bytes, start, at));
  }

  private string(): string {
    const bytes = this.bytes;
    const start = ++this.at;
    let at = start;
    let escaped = false;
    let ascii = true;
    for (;;) {
      const c = bytes[at];
      if (c === undefined) throw new JsonBytesError("unterminated string", start - 1);
      if (c === 0x22) break;
      if (c < 0x20) throw new JsonBytesError("control character in a string", at);
      if (c === 0x5c) {
        escaped = true;
        at += 2;
        continue;
      }
      if (c >= 0x80) ascii = false;
      at++;
    }
    this.at = at + 1;
    if (escaped) {
      try {
        return JSON.parse(utf8.decode(bytes.subarray(start - 1, at + 1))) as string;
      } catch {
        throw new JsonBytesError("invalid escape in a string", start - 1);
      }
    }
    return ascii ? asciiOf(bytes, start, at) : utf8.decode(bytes.subarray(start, at));
  }

  private literal<T>(word: string, value: T): T {
    for (let i = 0; i < word.length; i++) {
      if (this.bytes[this.at + i] !== word.charCodeAt(i)) throw new JsonBytesError("unexpected character", this.at + i);
    }
    this.at += word.length;
    return value;
  }
}

function asciiOf(bytes: Uint8Array, start: number, end: number): string {
  if (end - start < 64) {
    let text = "";
    for (let i = start; i < end; i++) text += String.fromCharCode(bytes[i]!);
    return text;
  }
  return utf8.decode(bytes.subarray(start, end));
}
