/**
 * One batch run in a fresh process, so its peak RSS is its own: runBatch over BENCH_BATCH's input against
 * the emulator, then one JSON line on stdout with wall time, records and peak RSS (getrusage maxrss).
 */
import { createLlmProvider } from "../../src/providers/registry.js";
import { runBatch } from "../../src/batch/index.js";

interface Job {
  input: string;
  output: string;
  url: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  concurrency: number;
}

const job = JSON.parse(process.env["BENCH_BATCH"] ?? "{}") as Job;
const provider = createLlmProvider({
  api_type: "bedrock_async",
  model: "anthropic.claude-3-5-haiku-20241022-v1:0",
  region: "us-east-1",
  endpoint: job.url,
  access_key_id: job.credentials.accessKeyId,
  secret_access_key: job.credentials.secretAccessKey,
});
const started = performance.now();
let peakHeap = 0;
const sampler = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 100);
const summary = await runBatch({ input: job.input, output: job.output, provider, concurrency: job.concurrency, progressStream: null });
clearInterval(sampler);
const wallMs = performance.now() - started;
await provider.close();
process.stdout.write(
  `${JSON.stringify({ records: summary.succeeded + summary.failed, failed: summary.failed, wallMs, peakRssMB: process.resourceUsage().maxRSS / 1024, peakHeapMB: peakHeap / 1024 / 1024 })}\n`,
);
