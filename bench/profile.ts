/**
 * CPU profile of one client's measured phase (default: minion.generateStream, 1,000 streams at concurrency 100,
 * TLS), summarised as self time per function and per package, per request. The .cpuprofile files go to
 * bench/out/profiles/ (open them in Chrome DevTools or speedscope).
 *
 *   node --import tsx bench/profile.ts [--clients minion.generateStream,sdk.InvokeModelWithResponseStream] [--http]
 */
import { mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseBenchArgs } from "./lib/args.js";
import { benchTarget } from "./lib/clients/client-adapter.js";
import { clientById } from "./lib/clients/index.js";
import { summarizeProfile, type CpuProfile } from "./lib/cpu-profile.js";
import { startEmulatorProcess } from "./lib/emulator-process.js";
import { Progress } from "./lib/progress.js";
import { textTable } from "./lib/report.js";
import { compiledEntries } from "./lib/run-bench.js";
import { runWorker, SOURCE_WORKER } from "./lib/run-worker.js";

const OUT = join(dirname(fileURLToPath(import.meta.url)), "out", "profiles");

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const options = parseBenchArgs(["--clients", "minion.generateStream", "--concurrency", "100", "--requests", "1000", ...argv]);
  if (options === "help") throw new Error("flags as for npm run bench");
  mkdirSync(OUT, { recursive: true });
  const progress = new Progress();
  const entries = options.fromSource ? { worker: SOURCE_WORKER, emulatorChild: undefined } : await compiledEntries(progress);
  const emulator = await startEmulatorProcess({
    tls: options.tls,
    firstByteLatencyMs: options.firstByteLatencyMs,
    chunkDelayMs: options.chunkDelayMs,
    chunksPerAnswer: options.chunksPerAnswer,
  }, entries.emulatorChild);
  try {
    for (const id of options.clients ?? []) {
      const client = clientById(id);
      const stamp = new Date().toISOString().replace(/[:.]/g, "-");
      const profilePath = join(OUT, `${client.id}-c${options.concurrency[0]}-${stamp}.cpuprofile`);
      progress.start(`profiling ${client.id}`);
      const result = await runWorker(
        {
          kind: "load",
          clientId: client.id,
          target: benchTarget(emulator, options.model),
          concurrency: options.concurrency[0]!,
          requests: options.requests[0]!,
          warmupRequests: 200,
          profilePath,
        },
        emulator.caFile,
        options.jobTimeoutMs,
        (m) => progress.update(m.done, m.total, m.inFlight),
        entries.worker,
      );
      if (result.kind !== "load") {
        progress.done(`FAILED: ${"message" in result ? result.message : "no result"}`);
        continue;
      }
      progress.done(`${result.ok} ok, ${result.errors} errors, ${result.cpuPerRequestUs.toFixed(0)} µs/req (profiler on)`);
      const profile = JSON.parse(readFileSync(profilePath, "utf8")) as CpuProfile;
      const summary = summarizeProfile(profile, 25);
      // The profiler samples on wall-clock ticks, so on a busy machine its totals include time spent descheduled:
      // use its shares, applied to the CPU time per request the worker measured (process.cpuUsage).
      const perRequest = (ms: number) => ((ms / summary.totalMs) * result.cpuPerRequestUs).toFixed(1);
      process.stdout.write(
        `\n${client.id}: ${result.cpuPerRequestUs.toFixed(0)} µs CPU/request (measured with the profiler on); shares of ${summary.totalMs.toFixed(0)} ms of samples\n`,
      );
      process.stdout.write(`${textTable(["package", "µs/req", "share"], summary.packages.slice(0, 12).map((p) => [p.name, perRequest(p.selfMs), `${(p.share * 100).toFixed(1)}%`]))}\n\n`);
      process.stdout.write(`${textTable(["function (self time)", "µs/req", "share"], summary.functions.map((f) => [f.name, perRequest(f.selfMs), `${(f.share * 100).toFixed(1)}%`]))}\n`);
      process.stdout.write(`profile: ${profilePath}\n`);
    }
  } finally {
    await emulator.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`profile failed: ${(error as Error)?.message ?? String(error)}\n`);
  process.exitCode = 1;
});
