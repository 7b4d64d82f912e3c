/**
 * The local batch runner at 10,000 and 100,000 requests against the emulator (in its own process): throughput
 * and the runner process's peak RSS for each, and their ratios, to show memory does not grow with the input.
 *   node --import tsx bench/batch-runner.ts [--sizes 10000,100000] [--concurrency 64]
 * Writes bench/out/batch-runner.json.
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, createWriteStream, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { once } from "node:events";
import { startEmulatorProcess } from "./lib/emulator-process.js";

const WORKER = fileURLToPath(new URL("./lib/batch-worker.ts", import.meta.url));
const OUT_DIR = fileURLToPath(new URL("./out/", import.meta.url));

interface Result {
  size: number;
  records: number;
  failed: number;
  wallMs: number;
  peakRssMB: number;
  peakHeapMB: number;
}

async function writeInput(path: string, size: number): Promise<void> {
  const stream = createWriteStream(path);
  for (let index = 0; index < size; index++) {
    const line = `${JSON.stringify({ id: `req-${index}`, messages: [{ role: "user", content: `Summarise item ${index} of the benchmark in one sentence.` }], max_tokens: 64 })}\n`;
    if (!stream.write(line)) await once(stream, "drain");
  }
  stream.end();
  await once(stream, "finish");
}

function runWorker(job: object): Promise<Omit<Result, "size">> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ["--import", "tsx", WORKER], { env: { ...process.env, BENCH_BATCH: JSON.stringify(job) }, maxBuffer: 1 << 20 }, (error, stdout) => {
      if (error) reject(error);
      else resolve(JSON.parse(stdout.trim().split("\n").pop()!) as Omit<Result, "size">);
    });
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { sizes: { type: "string", default: "10000,100000" }, concurrency: { type: "string", default: "64" } } });
  const sizes = values.sizes.split(",").map(Number);
  const concurrency = Number(values.concurrency);
  const emulator = await startEmulatorProcess({ tls: false, firstByteLatencyMs: 0, chunkDelayMs: 0, chunksPerAnswer: 4 });
  const dir = mkdtempSync(join(tmpdir(), "minion-batch-bench-"));
  const results: Result[] = [];
  try {
    for (const size of sizes) {
      const input = join(dir, `in-${size}.jsonl`);
      await writeInput(input, size);
      const result = await runWorker({ input, output: join(dir, `out-${size}.jsonl`), url: emulator.url, credentials: emulator.credentials, concurrency });
      results.push({ size, ...result });
      console.error(`${size} requests done`);
    }
  } finally {
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  }
  report(results, concurrency);
  mkdirSync(OUT_DIR, { recursive: true });
  writeFileSync(join(OUT_DIR, "batch-runner.json"), `${JSON.stringify({ concurrency, results }, null, 2)}\n`);
}

function report(results: Result[], concurrency: number): void {
  console.log(`local batch runner, concurrency ${concurrency}, emulator in another process (HTTP, no latency)`);
  console.log("requests | records | failed | wall s | req/s  | peak RSS MB | peak heap MB");
  for (const r of results) {
    console.log(
      `${String(r.size).padStart(8)} | ${String(r.records).padStart(7)} | ${String(r.failed).padStart(6)} | ${(r.wallMs / 1000).toFixed(1).padStart(6)} | ` +
        `${((r.records / r.wallMs) * 1000).toFixed(0).padStart(6)} | ${r.peakRssMB.toFixed(1).padStart(11)} | ${r.peakHeapMB.toFixed(1).padStart(12)}`,
    );
  }
  const [small, large] = results;
  if (small && large) {
    console.log(
      `ratios ${large.size}/${small.size}: input x${(large.size / small.size).toFixed(0)}, peak RSS x${(large.peakRssMB / small.peakRssMB).toFixed(2)}, ` +
        `peak heap x${(large.peakHeapMB / small.peakHeapMB).toFixed(2)}, throughput x${(large.records / large.wallMs / (small.records / small.wallMs)).toFixed(2)}`,
    );
  }
}

await main();
