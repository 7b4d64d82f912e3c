/**
 * The emulator's embedding function: a hashed bag of words. Each lower-cased word (letters and digits) is
 * hashed (FNV-1a) to a dimension and a sign, counts are damped (1 + ln tf) and the vector is scaled to unit
 * length. Texts that share words point the same way, so cosine similarity ranks a query's relevant document
 * first, deterministically and with no model weights. Quantized forms follow Cohere's types.
 */
import { createHash } from "node:crypto";

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
