/**
 * Client-side rate limiting against a quota: 2,000 calls at concurrency 500 to an emulator that answers at most
 * --rate requests per second per model (ThrottlingException above it), once without the limiter and once with
 * the adaptive one (`rate_limit: adaptive`), each against a fresh emulator, in one run. Every call has the
 * provider's usual 3 attempts. Prints success %, throttled requests the emulator answered, and wall time.
 *   node --import tsx bench/rate-limiter.ts [--calls 2000] [--concurrency 500] [--rate 40]
 * Writes bench/out/rate-limiter.json.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import pMap from "p-map";
import { BedrockAsyncProvider } from "../src/providers/bedrock/index.js";
import { resetSharedRateLimiters } from "../src/providers/routing/shared-rate-limiters.js";
import { EXAMPLE_CREDENTIALS, startEmulator } from "../src/emulator/index.js";

const { values } = parseArgs({ options: { calls: { type: "string", default: "2000" }, concurrency: { type: "string", default: "500" }, rate: { type: "string", default: "40" } } });
const calls = Number(values.calls);
const concurrency = Number(values.concurrency);
const rate = Number(values.rate);

interface Row {
  mode: string;
  calls: number;
  succeeded: number;
  successPct: number;
  requestsSeen: number;
  throttledSeen: number;
  wallMs: number;
}

async function run(mode: "off" | "adaptive"): Promise<Row> {
  resetSharedRateLimiters();
  const emulator = await startEmulator({ maxRequestsPerSecond: rate, recordRequests: false });
  const llm = new BedrockAsyncProvider({
    provider: "bedrock_async",
    model: "amazon.nova-lite-v1:0",
    region: "us-east-1",
    endpoint: emulator.url,
    access_key_id: EXAMPLE_CREDENTIALS.accessKeyId,
    secret_access_key: EXAMPLE_CREDENTIALS.secretAccessKey,
    max_concurrency: concurrency,
    max_tokens: 16,
    rate_limit: mode,
  });
  let succeeded = 0;
  const started = performance.now();
  await pMap(
    Array.from({ length: calls }, (_, index) => index),
    async (index) => {
      try {
        await llm.generate([{ role: "user", content: `Call ${index}: say hi.` }]);
        succeeded++;
      } catch {
        // counted as a failure
      }
    },
    { concurrency },
  );
  const wallMs = performance.now() - started;
  const row: Row = {
    mode: mode === "off" ? "no limiter" : "adaptive limiter",
    calls,
    succeeded,
    successPct: (100 * succeeded) / calls,
    requestsSeen: emulator.metrics.requests,
    throttledSeen: emulator.metrics.errors,
    wallMs,
  };
  await llm.close();
  await emulator.close();
  return row;
}

const rows = [await run("off"), await run("adaptive")];
console.log(`${new Date().toISOString()}, load average ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
console.log(`${calls} calls, concurrency ${concurrency}, emulator quota ${rate} requests/s per model, 3 attempts per call\n`);
console.log("| mode | succeeded | requests seen | throttled (429) | wall time |");
console.log("|---|---|---|---|---|");
for (const row of rows) {
  console.log(`| ${row.mode} | ${row.successPct.toFixed(1)}% (${row.succeeded}/${row.calls}) | ${row.requestsSeen} | ${row.throttledSeen} | ${(row.wallMs / 1000).toFixed(1)} s |`);
}
const [off, on] = rows as [Row, Row];
console.log(`\nthrottled with / without the limiter: ${(on.throttledSeen / Math.max(1, off.throttledSeen)).toFixed(3)}x; wall time ratio ${(on.wallMs / off.wallMs).toFixed(2)}x`);
const outDir = fileURLToPath(new URL("./out/", import.meta.url));
mkdirSync(outDir, { recursive: true });
writeFileSync(`${outDir}rate-limiter.json`, JSON.stringify({ calls, concurrency, rate, rows }, null, 2));
