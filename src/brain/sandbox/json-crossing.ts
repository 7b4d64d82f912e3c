/** JSON text as the only thing that crosses between host and guest, in both directions. */
import { jsonNestedDeeperThan } from "../../schema/json-nesting.js";

/**
 * Deepest nesting of arrays and objects that crosses. The host parses and stringifies crossing values with
 * recursive code (JSON.parse with a reviver, JSON.stringify), which overflows its stack a few thousand levels
 * down; the sandbox refuses anything deeper with a TypeError the code can catch.
 */
export const MAX_JSON_DEPTH = 256;

/**
 * A host value as JSON text for the guest (undefined stays undefined). A BigInt, a function, a symbol, a
 * circular structure or one nested deeper than MAX_JSON_DEPTH cannot cross: that throws an Error saying so,
 * which the guest receives as a rejection.
 */
export function toJsonText(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  try {
    const text = JSON.stringify(value, (key: string, item: unknown) => {
      const type = typeof item;
      if (type === "bigint" || type === "function" || type === "symbol") {
        throw new TypeError(`a ${type}${key === "" ? "" : ` (at key ${JSON.stringify(key.slice(0, 60))})`} is not a JSON value`);
      }
      return item;
    });
    checkDepth(text);
    return text;
  } catch (error) {
    throw new Error(`the value cannot be sent to the sandbox as JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * Parses JSON text from the guest (or a model's tool arguments) without letting a `__proto__` key become
 * anything but a dropped key. Text nested deeper than MAX_JSON_DEPTH is a TypeError (the sandbox never sends
 * it; this guards the host anyway).
 *
 * JSON.parse makes a `__proto__` key an own property (it never sets the prototype); such keys are then
 * deleted, walking the value only when the text may hold one. A reviver would do the same at about nine times
 * the cost: 697 ms against 80 ms for a 3,000,000-element array (bench/micro/untrusted-json.ts).
 */
export function parseUntrustedJson(text: string): unknown {
  checkDepth(text);
  const value: unknown = JSON.parse(text);
  if (mayHoldProtoKey(text)) dropProtoKeys(value);
  return value;
}

/**
 * A string token of JSON text that decodes to `__proto__`: each of its nine characters written as itself or as
 * a \u escape (hex digits in either case). No other JSON escape makes any of those characters, so text
 * without a match has no such key. A match in a string value only costs the walk.
 */
const PROTO_KEY = /"(?:_|\\u005[fF]){2}(?:p|\\u0070)(?:r|\\u0072)(?:o|\\u006[fF])(?:t|\\u0074)(?:o|\\u006[fF])(?:_|\\u005[fF]){2}"/;

/** Whether JSON text may hold a `__proto__` key, in any spelling; false means it certainly does not. */
export function mayHoldProtoKey(text: string): boolean {
  return PROTO_KEY.test(text);
}

/** Deletes every own `__proto__` key of a parsed value, at any depth (at most MAX_JSON_DEPTH: checked before). */
function dropProtoKeys(value: unknown): void {
  if (typeof value !== "object" || value === null) return;
  if (Array.isArray(value)) {
    for (const item of value) dropProtoKeys(item);
    return;
  }
  if (Object.hasOwn(value, "__proto__")) delete (value as Record<string, unknown>)["__proto__"];
  for (const item of Object.values(value)) dropProtoKeys(item);
}

/** Throws a TypeError when JSON text nests arrays and objects deeper than MAX_JSON_DEPTH (one linear scan). */
function checkDepth(text: string | undefined): void {
  if (text !== undefined && jsonNestedDeeperThan(text, MAX_JSON_DEPTH)) throw new TypeError(`the value is nested deeper than ${MAX_JSON_DEPTH} levels`);
}
