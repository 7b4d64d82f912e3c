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
 *
 * Two options for callers that read only part of a large answer: `skip` names top-level keys whose values are
 * checked as strictly as the rest (a malformed one is the same error) but not built, and `numberArrays`
 * collects the arrays the parser built of finite numbers only, so the caller need not check them again.
 */

const MAX_DEPTH = 256;
const POW10 = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));
const MAX_EXACT = 2 ** 53;
const utf8 = new TextDecoder();

export interface ParseOptions {
  /** Top-level keys whose values are checked but left out of the result (e.g. Cohere's echo of the input texts). */
  skip?: ReadonlySet<string>;
  /** Receives every non-empty array in the result that holds only finite numbers. */
  numberArrays?: Set<unknown[]>;
}

const ESCAPED = 1;
const NON_ASCII = 2;

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
export function parseJsonChunks(chunks: readonly Uint8Array[], options: ParseOptions = {}): unknown {
  if (chunks.length === 1) return parseJsonBytes(chunks[0]!, options);
  let size = 0;
  for (const chunk of chunks) size += chunk.length;
  const target = size <= scratch.length ? scratch : new Uint8Array(size);
  if (target !== scratch && size <= SCRATCH_KEEP) scratch = target;
  let offset = 0;
  for (const chunk of chunks) {
    target.set(chunk, offset);
    offset += chunk.length;
  }
  return parseJsonBytes(target.subarray(0, size), options);
}

export function parseJsonBytes(bytes: Uint8Array, options: ParseOptions = {}): unknown {
  const parser = new Parser(bytes, options);
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
  /** Whether the last run of numbers() held only finite numbers (a huge exponent reads as Infinity). */
  private runFinite = true;
  private readonly skip: ReadonlySet<string> | undefined;
  private readonly numberArrays: Set<unknown[]> | undefined;
  private readonly view: DataView;

  constructor(
    private readonly bytes: Uint8Array,
    options: ParseOptions,
  ) {
    this.skip = options.skip;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.numberArrays = options.numberArrays;
  }

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
      if (depth === 1 && this.skip?.has(key)) this.pass(depth);
      else {
        const value = this.value(depth);
        if (key === "__proto__") Object.defineProperty(result, key, { value, writable: true, enumerable: true, configurable: true });
        else result[key] = value;
      }
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
    if (this.bytes[this.at - 1] === 0x5d) {
      if (this.runFinite) this.numberArrays?.add(result);
      return result;
    }
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
    const view = this.view;
    // Allocated at its final size: the previous vector's length, else the commas up to the closing bracket.
    let count = this.sizeHint;
    if (count === 0) {
      count = 1;
      for (let at = this.at, c = bytes[at]; c !== undefined && c !== 0x5d; c = bytes[++at]) if (c === 0x2c) count++;
    }
    const result: number[] = new Array<number>(count);
    let length = 0;
    let at = this.at;
    let finite = true;
    for (;;) {
      // Inline for the common shape -?digits(.digits)? with at most 15 digits, such as float32 values written
      // shortest: the mantissa and 10^scale are then exact, so the one division rounds correctly. The integer
      // part is read into an int32 (V8's int32 multiply-adds are faster), so it may have at most 9 digits.
      // Anything else goes to number().
      const start = at;
      // The signs of a vector's values are random: a branch on the sign, mispredicted half the time, cost ~20% of
      // the parse (bench/micro/embedding-decode.ts), so the sign is read and applied without one.
      const minus = ((bytes[at]! ^ 0x2d) - 1) >>> 31;
      at += minus;
      let c = bytes[at];
      let mantissa = 0;
      let digits = 0;
      let scale = 0;
      let simple = true;
      if (c === 0x30) c = bytes[++at];
      else if (c !== undefined && c >= 0x31 && c <= 0x39) {
        do {
          mantissa = (mantissa * 10 + (c - 0x30)) | 0;
          digits++;
          c = bytes[++at];
        } while (c !== undefined && c >= 0x30 && c <= 0x39);
        if (digits > 9) simple = false;
      } else simple = false;
      if (simple && c === 0x2e) {
        const fractionStart = ++at;
        // The first eight fraction digits are read as two 4-byte words, four digits at a time: a byte loop
        // mispredicts its exit on every value, whose fraction lengths vary (~20% of the parse on float32 values).
        if (at + 8 <= bytes.length) {
          const first = view.getUint32(at, true) | 0;
          const firstRun = digitRun(first);
          if (firstRun === 4) {
            const second = view.getUint32(at + 4, true) | 0;
            const secondRun = digitRun(second);
            mantissa = (mantissa * 10_000 + leadingDigits(first, 4)) * POW10[secondRun]! + leadingDigits(second, secondRun);
            at += 4 + secondRun;
          } else {
            mantissa = mantissa * POW10[firstRun]! + leadingDigits(first, firstRun);
            at += firstRun;
          }
        }
        c = bytes[at];
        while (c !== undefined && c >= 0x30 && c <= 0x39) {
          mantissa = mantissa * 10 + (c - 0x30);
          c = bytes[++at];
        }
        scale = at - fractionStart;
        if (scale === 0) simple = false;
        digits += scale;
      }
      let value: number;
      if (simple && digits <= 15 && c !== 0x65 && c !== 0x45) {
        value = (mantissa / POW10[scale]!) * (1 - 2 * minus);
      } else {
        this.at = start;
        value = this.number();
        if (value === Infinity || value === -Infinity) finite = false;
        at = this.at;
        c = bytes[at];
      }
      if (length < count) result[length] = value;
      else result.push(value);
      length++;
      if (c === 0x2c) {
        // A comma and the next number, the common case; tested without a branch on the next sign for the same reason.
        const next = bytes[at + 1]!;
        if (+(next === 0x2d) | (+(next >= 0x30) & +(next <= 0x39))) {
          at++;
          continue;
        }
      }
      while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = bytes[++at];
      if (c === 0x5d) {
        this.at = at + 1;
        result.length = length;
        this.sizeHint = length;
        this.runFinite = finite;
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
    const start = this.at + 1;
    const flags = this.scanString();
    const end = this.at - 1;
    if (flags & ESCAPED) {
      try {
        return JSON.parse(utf8.decode(bytes.subarray(start - 1, end + 1))) as string;
      } catch {
        throw new JsonBytesError("invalid escape in a string", start - 1);
      }
    }
    return flags & NON_ASCII ? utf8.decode(bytes.subarray(start, end)) : asciiOf(bytes, start, end);
  }

  /** Moves past the string at this.at, refusing control characters; returns whether it has ESCAPED or NON_ASCII bytes. */
  private scanString(): number {
    const bytes = this.bytes;
    const start = ++this.at;
    let at = start;
    let flags = 0;
    for (;;) {
      const c = bytes[at];
      if (c === undefined) throw new JsonBytesError("unterminated string", start - 1);
      if (c === 0x22) break;
      if (c < 0x20) throw new JsonBytesError("control character in a string", at);
      if (c === 0x5c) {
        flags |= ESCAPED;
        at += 2;
        continue;
      }
      if (c >= 0x80) flags |= NON_ASCII;
      at++;
    }
    this.at = at + 1;
    return flags;
  }

  /** Checks the value at this.at as value() does, with the same errors, and builds nothing. */
  private pass(depth: number): void {
    const c = this.bytes[this.at];
    if (c === 0x22) this.passString();
    else if (c === 0x7b || c === 0x5b) this.passContainer(depth + 1, c === 0x7b ? 0x7d : 0x5d);
    else if (c === 0x2d || (c !== undefined && c >= 0x30 && c <= 0x39)) this.number();
    else if (c === 0x74) this.literal("true", true);
    else if (c === 0x66) this.literal("false", false);
    else if (c === 0x6e) this.literal("null", null);
    else throw new JsonBytesError(c === undefined ? "unexpected end of data" : "unexpected character", this.at);
  }

  private passString(): void {
    const start = this.at;
    if (this.scanString() & ESCAPED && !validEscapes(this.bytes, start + 1, this.at - 1)) throw new JsonBytesError("invalid escape in a string", start);
  }

  /** An object (close 0x7d) or an array (close 0x5d), as object() and array() check them. */
  private passContainer(depth: number, close: number): void {
    if (depth > MAX_DEPTH) throw new JsonBytesError("nesting too deep", this.at);
    const isObject = close === 0x7d;
    this.at++;
    this.skipSpace();
    if (this.bytes[this.at] === close) {
      this.at++;
      return;
    }
    for (;;) {
      if (isObject) {
        if (this.bytes[this.at] !== 0x22) throw new JsonBytesError("expected a string key", this.at);
        this.passString();
        this.skipSpace();
        if (this.bytes[this.at] !== 0x3a) throw new JsonBytesError("expected ':'", this.at);
        this.at++;
        this.skipSpace();
      }
      this.pass(depth);
      this.skipSpace();
      const next = this.bytes[this.at++];
      if (next === close) return;
      if (next !== 0x2c) throw new JsonBytesError(isObject ? "expected ',' or '}'" : "expected ',' or ']'", this.at - 1);
      this.skipSpace();
    }
  }

  private literal<T>(word: string, value: T): T {
    for (let i = 0; i < word.length; i++) {
      if (this.bytes[this.at + i] !== word.charCodeAt(i)) throw new JsonBytesError("unexpected character", this.at + i);
    }
    this.at += word.length;
    return value;
  }
}

/** How many of a little-endian word's four bytes, from its first (lowest), are ASCII digits before one is not. */
function digitRun(word: number): number {
  // A byte is a digit when its high nibble is 3 and adding 6 leaves it 3 (0x30-0x39); a carry only leaves a
  // byte that is not a digit, so the first byte that is not one is found right.
  const notDigit = ((word & 0xf0f0f0f0) ^ 0x30303030) | (((word + 0x06060606) & 0xf0f0f0f0) ^ 0x30303030);
  return notDigit === 0 ? 4 : (31 - Math.clz32(notDigit & -notDigit)) >> 3;
}

const LOW_BYTES = [0, 0xff, 0xffff, 0xffffff, -1];

/** The number written by the first `run` bytes of a word (ASCII digits, the first in the lowest byte). */
function leadingDigits(word: number, run: number): number {
  // Keep the digits' values and shift them to the top, so that 4 - run leading zeros fill the bottom.
  const aligned = ((word - 0x30303030) & LOW_BYTES[run]!) << (32 - 8 * run);
  const pairs = (aligned * 10 + (aligned >>> 8)) & 0x00ff00ff;
  return (pairs * 100 + (pairs >>> 16)) & 0xffff;
}

/** Whether every escape in bytes[start, end) is one JSON allows: \" \\ \/ \b \f \n \r \t or \u and four hex digits. */
function validEscapes(bytes: Uint8Array, start: number, end: number): boolean {
  for (let at = start; at < end; at++) {
    if (bytes[at] !== 0x5c) continue;
    const c = bytes[++at];
    if (c === 0x75) {
      if (at + 4 >= end) return false;
      for (let i = 1; i <= 4; i++) if (!isHex(bytes[at + i]!)) return false;
      at += 4;
    } else if (c !== 0x22 && c !== 0x5c && c !== 0x2f && c !== 0x62 && c !== 0x66 && c !== 0x6e && c !== 0x72 && c !== 0x74) {
      return false;
    }
  }
  return true;
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

function asciiOf(bytes: Uint8Array, start: number, end: number): string {
  if (end - start < 64) {
    let text = "";
    for (let i = start; i < end; i++) text += String.fromCharCode(bytes[i]!);
    return text;
  }
  return utf8.decode(bytes.subarray(start, end));
}
