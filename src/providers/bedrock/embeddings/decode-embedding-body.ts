/**
 * Vectors out of an embedding model's answer. Titan: {embedding, inputTextTokenCount, embeddingsByType};
 * Cohere: {embeddings: number[][]} ("embeddings_floats") or {embeddings: {float|int8|...: number[][]}}
 * ("embeddings_by_type"). An answer of another shape, with the wrong number of vectors, vectors of unequal or
 * unasked-for length, or a value that is not a finite number (an integer in range for quantized types) is a
 * corrupt response: retryable, like a cut one. The error names the field, never quotes a string from the body.
 */
import { NetworkError } from "../../../schema/errors.js";
import type { EmbeddingType } from "../../embedding-provider.js";
import type { EmbeddingFamily } from "./embedding-model-spec.js";

/** Top-level fields of an answer no one reads: Cohere echoes the input texts (~17 KB a 96-text call). */
export const UNREAD_FIELDS: ReadonlySet<string> = new Set(["texts"]);

export interface EmbeddingAnswer {
  body: Record<string, unknown>;
  /** Arrays the parser vouches hold only finite numbers (parse-json-bytes.ts); others are checked here. */
  numberArrays: ReadonlySet<unknown>;
}

export interface ExpectedEmbeddings {
  type: EmbeddingType;
  /** Vectors: one per input. */
  count: number;
  /** The dimensions asked for, else undefined (the model's own). */
  dimensions: number | undefined;
}

export interface DecodedEmbeddings {
  vectors: number[][];
  /** Input tokens the body reports (Titan), else undefined (Cohere reports them in a header). */
  inputTokens: number | undefined;
}

type Range = readonly [number, number] | undefined;

/** Quantized types' integer ranges (Cohere's binary types pack 8 signs per value; Titan's binary is 0 or 1 per dimension). */
const COHERE_RANGES: Record<EmbeddingType, Range> = { float: undefined, int8: [-128, 127], uint8: [0, 255], binary: [-128, 127], ubinary: [0, 255] };

export function decodeEmbeddingBody(family: EmbeddingFamily, answer: EmbeddingAnswer, expected: ExpectedEmbeddings): DecodedEmbeddings {
  const { body } = answer;
  const { type, dimensions } = expected;
  if (family === "titan-v2") {
    const byType = body["embeddingsByType"];
    const inByType = isObject(byType) && byType[type] !== undefined;
    const field = inByType || type !== "float" ? `embeddingsByType.${type}` : "embedding";
    const vector = inByType ? byType[type] : type === "float" ? body["embedding"] : undefined;
    const tokens = body["inputTextTokenCount"];
    const range: Range = type === "float" ? undefined : [0, 1];
    checkVector(vector, field, dimensions, range, answer.numberArrays);
    return { vectors: [vector as number[]], inputTokens: typeof tokens === "number" ? tokens : undefined };
  }
  const embeddings = body["embeddings"];
  const length = dimensions === undefined ? undefined : type === "binary" || type === "ubinary" ? dimensions / 8 : dimensions;
  if (Array.isArray(embeddings)) {
    if (type !== "float") throw corrupt(`"embeddings" is a list of float vectors, not the "${type}" vectors asked for`);
    return { vectors: checkedVectors(embeddings, "embeddings", expected.count, length, undefined, answer.numberArrays), inputTokens: undefined };
  }
  if (!isObject(embeddings)) throw corrupt(`"embeddings" is ${kindOf(embeddings)}, not vectors`);
  return { vectors: checkedVectors(embeddings[type], `embeddings.${type}`, expected.count, length, COHERE_RANGES[type], answer.numberArrays), inputTokens: undefined };
}

function checkedVectors(vectors: unknown, field: string, count: number, length: number | undefined, range: Range, vouched: ReadonlySet<unknown>): number[][] {
  if (!Array.isArray(vectors)) throw corrupt(`"${field}" is ${kindOf(vectors)}, not a list of vectors`);
  if (vectors.length !== count) throw corrupt(`"${field}" holds ${vectors.length} vector(s) for ${count} input(s)`);
  // Without asked-for dimensions, every vector of the answer has the first one's length.
  const size = length ?? (Array.isArray(vectors[0]) ? vectors[0].length : undefined);
  for (let i = 0; i < vectors.length; i++) checkVector(vectors[i], `${field}[${i}]`, size, range, vouched);
  return vectors as number[][];
}

// Plain loops: ~98,000 values per Cohere answer, where a callback per value shows in the profile.
function checkVector(vector: unknown, field: string, length: number | undefined, range: Range, vouched: ReadonlySet<unknown>): void {
  if (!Array.isArray(vector)) throw corrupt(`"${field}" is ${kindOf(vector)}, not a vector`);
  if (vector.length === 0 || (length !== undefined && vector.length !== length)) {
    throw corrupt(`"${field}" has ${vector.length} value(s)${length === undefined ? "" : `, expected ${length}`}`);
  }
  if (range === undefined) {
    if (vouched.has(vector)) return;
    for (let i = 0; i < vector.length; i++) {
      const value: unknown = vector[i];
      if (typeof value !== "number" || !Number.isFinite(value)) throw corrupt(`"${field}[${i}]" is ${kindOf(value)}, not a finite number`);
    }
    return;
  }
  const [low, high] = range;
  for (let i = 0; i < vector.length; i++) {
    const value: unknown = vector[i];
    if (!Number.isInteger(value) || (value as number) < low || (value as number) > high) throw corrupt(`"${field}[${i}]" is ${kindOf(value)}, not an integer from ${low} to ${high}`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** What a value is, for an error: numbers by value, anything else by kind (a string may echo a secret). */
function kindOf(value: unknown): string {
  if (value === undefined) return "missing";
  if (value === null) return "null";
  if (typeof value === "number") return String(value);
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "an object";
  return typeof value === "string" ? "a string" : `a ${typeof value}`;
}

function corrupt(what: string): NetworkError {
  return new NetworkError(`The response from Bedrock could not be decoded: ${what}.`, true, { networkCode: "corrupt_response" });
}
