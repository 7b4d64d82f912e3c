/**
 * Checked reads of a decoded response (a stream event or a JSON body), for the decoders: a field that is
 * missing or of the wrong type is a NetworkError "corrupt_response" (like an undecodable frame) whose message
 * names the field and what it should have been, instead of a TypeError from deep inside the decoder.
 * Hand-written guards rather than a schema library: they are plain typeof checks on fields the decoder reads
 * anyway (bench/micro/decode-validation.ts measures both). The value itself is never quoted (it may echo
 * what the request sent).
 */
import { NetworkError } from "../../../schema/errors.js";

export type JsonObject = Record<string, unknown>;

function kindOf(value: unknown): string {
  if (value === undefined) return "missing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

export function malformedField(item: string, path: string, expected: string, value: unknown): NetworkError {
  return new NetworkError(
    `The response from Bedrock could not be decoded: field "${path}" of ${item} is ${kindOf(value)}, expected ${expected}.`,
    true,
    { networkCode: "corrupt_response" },
  );
}

/** A field whose value has the right type but cannot be read (not base64, not JSON), e.g. `is not base64`. */
export function unreadableField(item: string, path: string, what: string): NetworkError {
  return new NetworkError(`The response from Bedrock could not be decoded: field "${path}" of ${item} ${what}.`, true, { networkCode: "corrupt_response" });
}

/** JSON text of a field (or of an event's whole payload), parsed; text that is not JSON names the field. */
export function jsonField(text: string, item: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // The parser's message quotes the text, which may echo what the request sent: not repeated.
    throw unreadableField(item, path, "is not JSON");
  }
}

/**
 * The bytes of a base64 string field. Buffer.from skips characters outside the alphabet silently; they are
 * caught by the length instead of a regular expression (a tenth of the cost per chunk): padded text is a
 * multiple of 4 long, and every skipped character makes the decoded bytes fewer than its length promises.
 */
export function base64Field(value: unknown, item: string, path: string): Buffer {
  const text = stringField(value, item, path);
  const bytes = Buffer.from(text, "base64");
  if ((text.length & 3) !== 0 || bytes.length !== Buffer.byteLength(text, "base64")) throw unreadableField(item, path, "is not base64");
  return bytes;
}

const isObject = (value: unknown): value is JsonObject => typeof value === "object" && value !== null && !Array.isArray(value);

export function objectField(value: unknown, item: string, path: string): JsonObject {
  if (isObject(value)) return value;
  throw malformedField(item, path, "an object", value);
}

export function optionalObjectField(value: unknown, item: string, path: string): JsonObject | undefined {
  return value === undefined || value === null ? undefined : objectField(value, item, path);
}

export function arrayField(value: unknown, item: string, path: string): unknown[] {
  if (Array.isArray(value)) return value;
  throw malformedField(item, path, "an array", value);
}

export function optionalArrayField(value: unknown, item: string, path: string): unknown[] | undefined {
  return value === undefined || value === null ? undefined : arrayField(value, item, path);
}

export function stringField(value: unknown, item: string, path: string): string {
  if (typeof value === "string") return value;
  throw malformedField(item, path, "a string", value);
}

export function optionalStringField(value: unknown, item: string, path: string): string | undefined {
  return value === undefined ? undefined : stringField(value, item, path);
}

/** A string, or null / absent (e.g. stop_reason before the answer ends) as null. */
export function nullableStringField(value: unknown, item: string, path: string): string | null {
  return value === undefined || value === null ? null : stringField(value, item, path);
}

/** A count or an index: a whole number >= 0. */
export function countField(value: unknown, item: string, path: string): number {
  if (typeof value === "number" && Number.isInteger(value) && value >= 0) return value;
  throw malformedField(item, path, "a whole number >= 0", value);
}

/**
 * A token count as reported: any number (absurd values, negative or huge, are the accumulator's to reject
 * with a warning, see output/stream-accumulator.ts); null or absent as undefined.
 */
export function optionalTokenCountField(value: unknown, item: string, path: string): number | undefined {
  if (value === undefined || value === null || typeof value === "number") return value ?? undefined;
  throw malformedField(item, path, "a number", value);
}
