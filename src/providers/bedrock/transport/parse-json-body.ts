/** A non-streaming answer's body -> its JSON object; anything else is a corrupt response (retryable, like a cut one). */
import { NetworkError } from "../../../schema/errors.js";
import { scrub } from "../errors/scrub-secrets.js";
import { JsonBytesError, parseJsonChunks, type ParseOptions } from "./parse-json-bytes.js";

export function parseJsonBody<T>(body: Buffer, secrets: readonly string[]): T {
  let value: unknown;
  try {
    value = JSON.parse(body.toString("utf8"));
  } catch (error) {
    // The parser's message quotes the body, which may echo credentials.
    throw corrupt(`not JSON (${scrub((error as Error).message, secrets)})`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw corrupt("not a JSON object");
  return value as T;
}

/**
 * parseJsonBody for a body still in the chunks it arrived in, read straight from the bytes (parse-json-bytes.ts):
 * for large answers that are mostly numbers (embeddings), where a joined copy and a string of the body cost
 * more than the parse. `options` as parseJsonBytes': fields to check but not build, arrays vouched to be numbers.
 */
export function parseJsonChunksBody<T>(chunks: readonly Buffer[], options: ParseOptions = {}): T {
  let value: unknown;
  try {
    value = parseJsonChunks(chunks, options);
  } catch (error) {
    if (!(error instanceof JsonBytesError)) throw error;
    throw corrupt(`not JSON (${error.message})`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw corrupt("not a JSON object");
  return value as T;
}

/** A CountTokens answer: `{"inputTokens": N}`. */
export function countTokensOf(body: Buffer, secrets: readonly string[]): number {
  const count = parseJsonBody<{ inputTokens?: unknown }>(body, secrets).inputTokens;
  if (typeof count !== "number" || !Number.isInteger(count) || count < 0) throw corrupt("a CountTokens answer without a whole inputTokens count");
  return count;
}

function corrupt(what: string): NetworkError {
  return new NetworkError(`The response from Bedrock could not be decoded: its body is ${what}.`, true, { networkCode: "corrupt_response" });
}
