/**
 * Micro-benchmark: reading a Bedrock batch result file (.jsonl.out) line by line, with node:readline (what the
 * collector used before: it buffers a whole line, however long) and with readCappedLines (the per-line byte
 * cap). The file: 50,000 lines of about 2 KB each (a record's modelInput and modelOutput), streamed from memory
 * in 64 KiB chunks, as S3's body arrives. Printed: ms per pass (median of 7), MB/s, and the ratio.
 *
 *   node --import tsx bench/micro/capped-lines.ts
 */
import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import { readCappedLines } from "../../src/batch/bedrock/read-capped-lines.js";

const LINES = 50_000;
const ROUNDS = 7;
const CHUNK = 64 * 1024;

const line = JSON.stringify({
  recordId: "R0000000001",
  modelInput: { anthropic_version: "bedrock-2023-05-31", max_tokens: 512, messages: [{ role: "user", content: "q ".repeat(300) }] },
  modelOutput: { id: "msg_1", type: "message", role: "assistant", content: [{ type: "text", text: "answer é ".repeat(120) }], usage: { input_tokens: 300, output_tokens: 240 } },
});
const file = Buffer.from(`${line}\n`.repeat(LINES));

function body(): Readable {
  return Readable.from((function* () {
    for (let start = 0; start < file.length; start += CHUNK) yield file.subarray(start, start + CHUNK);
  })());
}

async function withReadline(): Promise<number> {
  let count = 0;
  for await (const text of createInterface({ input: body(), crlfDelay: Infinity })) if (text.length > 0) count += 1;
  return count;
}

async function withCap(): Promise<number> {
  let count = 0;
  for await (const read of readCappedLines(body(), 32 * 1024 * 1024)) if (read.kind === "line" && read.text.length > 0) count += 1;
  return count;
}

async function median(run: () => Promise<number>): Promise<number> {
  const times: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const started = performance.now();
    const count = await run();
    times.push(performance.now() - started);
    if (count !== LINES) throw new Error(`read ${count} lines, expected ${LINES}`);
  }
  return times.sort((a, b) => a - b)[Math.floor(ROUNDS / 2)]!;
}

await withReadline();
await withCap(); // warm-up
const readline = await median(withReadline);
const capped = await median(withCap);
const mb = file.length / 1024 / 1024;
console.log(`file: ${LINES} lines, ${mb.toFixed(1)} MiB, ${CHUNK / 1024} KiB chunks; median of ${ROUNDS}`);
console.log(`readline         ${readline.toFixed(1)} ms  ${(mb / (readline / 1000)).toFixed(0)} MiB/s`);
console.log(`readCappedLines  ${capped.toFixed(1)} ms  ${(mb / (capped / 1000)).toFixed(0)} MiB/s`);
console.log(`ratio capped/readline: ${(capped / readline).toFixed(2)}x`);
