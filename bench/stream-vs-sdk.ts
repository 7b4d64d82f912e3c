/**
 * Issue 3's first benchmark: 1,000 streamed requests at concurrency 100 through minion-ts' generateStream and
 * through the raw @aws-sdk/client-bedrock-runtime client with its defaults (InvokeModelWithResponseStream),
 * against the emulator in its own process, over TLS; prints client CPU per request and throughput as ratios
 * measured in one run. Extra flags go to the same parser as bench/run.ts (e.g. --http, --rounds 5).
 *
 *   node --import tsx bench/stream-vs-sdk.ts
 */
import { parseBenchArgs } from "./lib/args.js";
import { runBench } from "./lib/run-bench.js";
import { terminalReport, writeJson } from "./lib/write-outputs.js";

const MINION = "minion.generateStream";
const SDK = "sdk.InvokeModelWithResponseStream";

async function main(): Promise<void> {
  const extra = process.argv.slice(2);
  const preset = ["--clients", `${MINION},${SDK}`, "--concurrency", "100", "--requests", "1000", "--rounds", "3"];
  const options = parseBenchArgs([...preset, ...extra]);
  if (options === "help") throw new Error("see npm run bench -- --help for the flags");
  const run = await runBench(options, ["node --import tsx bench/stream-vs-sdk.ts", ...extra].join(" "));
  process.stdout.write(terminalReport(run));
  const minion = run.rows.find((r) => r.result.clientId === MINION);
  const sdk = run.rows.find((r) => r.result.clientId === SDK);
  if (minion && sdk) {
    const m = minion.result;
    const s = sdk.result;
    process.stdout.write(
      [
        `generateStream vs raw SDK defaults, ${m.requests} streamed requests at concurrency ${m.concurrency} ` +
          `(median of ${options.rounds} alternating rounds):`,
        `  client CPU per request: ${m.cpuPerRequestUs.toFixed(0)} µs vs ${s.cpuPerRequestUs.toFixed(0)} µs = ` +
          `${(m.cpuPerRequestUs / s.cpuPerRequestUs).toFixed(2)}x`,
        `  throughput:             ${m.throughput.toFixed(0)} vs ${s.throughput.toFixed(0)} req/s = ` +
          `${(m.throughput / s.throughput).toFixed(2)}x`,
        `  errors:                 ${m.errors} vs ${s.errors}`,
        "",
      ].join("\n"),
    );
  }
  process.stdout.write(`JSON: ${writeJson(run, options.out)}\n`);
  if (run.failures.length || !minion || !sdk) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error)?.message ?? String(error)}\n`);
  process.exitCode = 1;
});
