/**
 * Micro-benchmark: decoding one 96-text Cohere Embed answer, as it arrives (in 16 KB chunks), in one process:
 *  - "join + JSON.parse": Buffer.concat of the chunks, a UTF-8 string of it, JSON.parse (the raw SDK loop and
 *    minion-ts before parse-json-bytes.ts);
 *  - "bytes parser": parseJsonChunks, minion-ts' decoder (numbers read from the bytes), with no options;
 *  - "minion-ts": parseJsonChunks as invoke-json.ts calls it (the echoed texts skipped, number-only arrays
 *    collected), then decodeEmbeddingBody's checks, which trust the collected arrays;
 *  - the checks alone, on arrays not vouched for (every value's type looked at) and vouched for.
 * Two bodies: the emulator's answer (dense since h19: word hashes plus seeded noise, 9 decimals) and an answer
 * of float32 values written shortest, the shape real Cohere vectors have. Printed: CPU µs per answer (median of
 * 5 rounds) and the ratios to join + JSON.parse.
 *
 *   node --import tsx bench/micro/embedding-decode.ts
 */
import { cohereEmbedding } from "../../src/emulator/model/embedding-model.js";
import { decodeEmbeddingBody, UNREAD_FIELDS } from "../../src/providers/bedrock/embeddings/decode-embedding-body.js";
import { parseJsonChunks } from "../../src/providers/bedrock/transport/parse-json-bytes.js";
import { benchTexts } from "../lib/embedding-worker.js";
import { markdownTable } from "../lib/report.js";

const ROUNDS = 5;
const PER_ROUND = 60;

function chunked(body: Buffer): Buffer[] {
  const chunks: Buffer[] = [];
  for (let at = 0; at < body.length; at += 16_384) chunks.push(Buffer.from(body.subarray(at, at + 16_384)));
  return chunks;
}

/** A float32 written with the fewest digits that read back to it (how 32-bit vectors come out as JSON). */
function shortestFloat32(x: number): number {
  const f = Math.fround(x);
  for (let digits = 1; digits <= 9; digits++) {
    const y = Number(f.toPrecision(digits));
    if (Math.fround(y) === f) return y;
  }
  return f;
}

function denseAnswer(texts: string[]): Buffer {
  let seed = 7;
  const next = () => (seed = (seed * 48271) % 2147483647) / 2147483647 - 0.5;
  const vectors = texts.map(() => Array.from({ length: 1024 }, () => shortestFloat32(next() / 8)));
  return Buffer.from(JSON.stringify({ id: "bench", texts, embeddings: { float: vectors }, response_type: "embeddings_by_type" }));
}

function cpuPerAnswer(decode: () => unknown): number {
  const rounds: number[] = [];
  for (let i = 0; i < 10; i++) decode();
  for (let round = 0; round < ROUNDS; round++) {
    const start = process.cpuUsage();
    for (let i = 0; i < PER_ROUND; i++) decode();
    const used = process.cpuUsage(start);
    rounds.push((used.user + used.system) / PER_ROUND);
  }
  return rounds.sort((a, b) => a - b)[Math.floor(ROUNDS / 2)]!;
}

const texts = benchTexts(96);
const bodies: Array<[string, Buffer]> = [
  ["emulator answer", Buffer.from(JSON.stringify(cohereEmbedding({ texts, input_type: "search_document", embedding_types: ["float"] }, 3).body))],
  ["dense float32 answer", denseAnswer(texts)],
];
const expected = { type: "float", count: texts.length, dimensions: undefined } as const;
const decodeWith = (chunks: Buffer[]) => {
  const numberArrays = new Set<unknown[]>();
  const body = parseJsonChunks(chunks, { skip: UNREAD_FIELDS, numberArrays }) as Record<string, unknown>;
  return decodeEmbeddingBody("cohere-v3", { body, numberArrays }, expected);
};
const rows = bodies.map(([name, body]) => {
  const chunks = chunked(body);
  const joined = cpuPerAnswer(() => JSON.parse(Buffer.concat(chunks).toString("utf8")));
  const bytes = cpuPerAnswer(() => parseJsonChunks(chunks));
  const minion = cpuPerAnswer(() => decodeWith(chunks));
  const parsed = parseJsonChunks(chunks) as Record<string, unknown>;
  const unvouched = cpuPerAnswer(() => decodeEmbeddingBody("cohere-v3", { body: parsed, numberArrays: new Set() }, expected));
  const vouchedSet = new Set<unknown>((parsed["embeddings"] as { float: unknown[] }).float);
  const vouched = cpuPerAnswer(() => decodeEmbeddingBody("cohere-v3", { body: parsed, numberArrays: vouchedSet }, expected));
  const ratio = (value: number) => `${(value / joined).toFixed(2)}x`;
  return [name, `${Math.round(body.length / 1024)} KB`, joined.toFixed(0), `${bytes.toFixed(0)} (${ratio(bytes)})`, `${minion.toFixed(0)} (${ratio(minion)})`, unvouched.toFixed(1), vouched.toFixed(1)];
});
const header = ["body (96 vectors of 1,024)", "size", "join + JSON.parse µs", "bytes parser µs", "minion-ts: skip + vouch + checks µs", "checks, not vouched µs", "checks, vouched µs"];
process.stdout.write(`${markdownTable(header, rows)}\n`);
