/**
 * The emulator's embedding function: a hashed bag of words. Each lower-cased word (letters and digits) is
 * hashed (FNV-1a) to a dimension and a sign, counts are damped (1 + ln tf) and the vector is scaled to unit
 * length. Texts that share words point the same way, so cosine similarity ranks a query's relevant document
 * first, deterministically and with no model weights. Quantized forms follow Cohere's types.
 *
 * Embedding answers add a little dense noise seeded from the features (denseVectors): real models' vectors
 * have no zeros, while a bag of words alone is ~99% exact zeros (the benchmark's texts), which made a
 * 96-text float answer 230 KB instead of ~1.2 MB and much cheaper to parse than Bedrock's.
 */
import { createHash } from "node:crypto";
import { createPrng } from "./prng.js";

const WORD = /[\p{L}\p{N}]+/gu;

export function wordsOf(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

function fnv1a(text: string, seed: number): number {
  let hash = 0x811c9dc5 ^ seed;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** The un-normalized hashed bag of words of `features` in `dimensions` dimensions. */
export function hashedVector(features: readonly string[], dimensions: number): number[] {
  const counts = new Map<string, number>();
  for (const feature of features) counts.set(feature, (counts.get(feature) ?? 0) + 1);
  const vector = new Array<number>(dimensions).fill(0);
  for (const [feature, count] of counts) {
    const hash = fnv1a(feature, 0);
    const sign = fnv1a(feature, 0x9e3779b9) & 1 ? 1 : -1;
    vector[hash % dimensions]! += sign * (1 + Math.log(count));
  }
  return vector;
}

export function normalized(vector: readonly number[]): number[] {
  const norm = Math.hypot(...vector);
  return norm === 0 ? [...vector] : vector.map((value) => value / norm);
}

/**
 * The noise's share of the vector's length. Two texts' noises are unrelated, so they change a cosine by about
 * NOISE / sqrt(dimensions) (0.003 at 1,024) while a shared word moves it by ~1/words (0.1 for ten words).
 */
const NOISE = 0.1;

/**
 * The hashed bag of words plus dense noise of NOISE times its length, seeded from the features (the same
 * input, the same vector), as unit vector printed with 9 decimals, as models' float32 output is (~12 bytes a
 * number in JSON). `raw` is the same before scaling to unit length (Titan's normalize: false).
 */
export function denseVectors(features: readonly string[], dimensions: number): { raw: number[]; unit: number[] } {
  const raw = hashedVector(features, dimensions);
  const size = Math.hypot(...raw) || 1;
  // Uniform in [-a, a] has a root mean square of a / sqrt(3).
  const amplitude = (Math.sqrt(3) * NOISE * size) / Math.sqrt(dimensions);
  const random = createPrng(fnv1a(features.join(" "), 0x5bd1e995));
  for (let i = 0; i < dimensions; i++) raw[i]! += amplitude * (2 * random() - 1);
  const unit = normalized(raw).map((value) => Math.round(value * 1e9) / 1e9);
  return { raw, unit };
}

/** Features of a text: its words. */
export function textFeatures(text: string): string[] {
  return wordsOf(text);
}

/** Features of an image (a data URI): a digest of its bytes, so the same image embeds the same way. */
export function imageFeatures(dataUri: string): string[] {
  const digest = createHash("sha256").update(dataUri).digest("hex");
  return [`image:${digest.slice(0, 16)}`, `image:${digest.slice(16, 32)}`, "image:"];
}

export type QuantizedType = "int8" | "uint8" | "binary" | "ubinary";

/** A unit vector in the form of a Cohere embedding type (binary types pack 8 signs per byte, first bit high). */
export function quantize(vector: readonly number[], type: QuantizedType): number[] {
  const max = Math.max(1e-12, ...vector.map(Math.abs));
  switch (type) {
    case "int8":
      return vector.map((value) => Math.round((value / max) * 127));
    case "uint8":
      return vector.map((value) => Math.round((value / max + 1) * 127.5));
    case "binary":
    case "ubinary": {
      const bytes: number[] = [];
      for (let i = 0; i < vector.length; i += 8) {
        let byte = 0;
        for (let bit = 0; bit < 8; bit++) byte = (byte << 1) | ((vector[i + bit] ?? 0) > 0 ? 1 : 0);
        bytes.push(type === "binary" ? byte - 128 : byte);
      }
      return bytes;
    }
  }
}
