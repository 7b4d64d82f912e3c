/**
 * The model's JSON answer, parsed as hostile input: at most MAX_JSON_CHARS characters and MAX_JSON_DEPTH
 * levels of nesting (checked on the text before parsing, so no validator recursion can overflow the stack
 * on it), and `__proto__` / `constructor.prototype` keys removed by secure-json-parse so that nothing the
 * model writes can reach an object's prototype.
 */
import secureJson from "secure-json-parse";
import type { StructuredOutputIssue } from "../../schema/structured-output-error.js";

export const MAX_JSON_CHARS = 8 * 1024 * 1024;
export const MAX_JSON_DEPTH = 100;
const POISON = { protoAction: "remove", constructorAction: "remove" } as const;

export type ParsedJson = { ok: true; value: unknown } | { ok: false; issue: StructuredOutputIssue };

export function parseModelJson(text: string): ParsedJson {
  if (text.length > MAX_JSON_CHARS) return fail(`the answer is ${text.length} characters long, over the limit of ${MAX_JSON_CHARS}`);
  const body = stripCodeFence(text);
  if (body.length === 0) return fail("the answer is empty; expected a JSON value");
  const depth = nestingDepth(body);
  if (depth > MAX_JSON_DEPTH) return fail(`the answer nests deeper than ${MAX_JSON_DEPTH} levels`);
  try {
    return { ok: true, value: secureJson.parse(body, null, POISON) };
  } catch (error) {
    return fail(`the answer is not valid JSON (${(error as Error).message})`);
  }
}

/**
 * A plain copy of a value parsed elsewhere (partial-json assigns keys, so a "__proto__" key has already
 * replaced the object's prototype): own keys only, onto fresh objects, with `__proto__` and a
 * `constructor` holding a `prototype` left out, as the final parse does. Callers bound the depth.
 */
export function plainCopy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plainCopy);
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const child = (value as Record<string, unknown>)[key];
    if (key === "__proto__") continue;
    if (key === "constructor" && typeof child === "object" && child !== null && Object.prototype.hasOwnProperty.call(child, "prototype")) continue;
    Object.defineProperty(out, key, { value: plainCopy(child), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** The deepest bracket nesting of a JSON text, counting outside strings only. */
export function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 0x5c) i++;
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) inString = true;
    else if (char === 0x7b || char === 0x5b) deepest = Math.max(deepest, ++depth);
    else if (char === 0x7d || char === 0x5d) depth--;
  }
  return deepest;
}

/** Models without constrained decoding sometimes wrap JSON in a ```json fence. */
function stripCodeFence(text: string): string {
  const trimmed = text.trim();
  const fenced = /^```[a-zA-Z]*\n([\s\S]*?)\n?```$/.exec(trimmed);
  return fenced ? fenced[1]!.trim() : trimmed;
}

function fail(message: string): ParsedJson {
  return { ok: false, issue: { path: "", message } };
}
