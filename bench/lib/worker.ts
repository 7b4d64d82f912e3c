/**
 * One client, one process: the runner forks this file per (client, workload) so that CPU time
 * (process.cpuUsage) and RSS belong to that client alone. The job comes in BENCH_JOB; the result goes back
 * over IPC.
 */
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { clientById } from "./clients/index.js";
import type { ClientInstance } from "./clients/client-adapter.js";
import type { LoadJob, LoadResult, ScaleJob, ScaleResult, WorkerMessage } from "./job.js";
import { runScale } from "./scale-phase.js";
import { summarize } from "./stats.js";
import { collectGarbage, errorText } from "./worker-util.js";
import { saveProfile, startProfiler } from "./cpu-profile.js";

const MB = 1024 * 1024;

function send(message: WorkerMessage): void {
  process.send?.(message);
}

interface Timings {
  first: number[];
  last: number[];
  chars: number;
  errors: number;
  errorSamples: string[];
}

/** Runs `total` requests with `concurrency` in flight, recording timings when `timings` is given. */
async function runRequests(
  instance: ClientInstance,
  total: number,
  concurrency: number,
  timings: Timings | null,
  state: { done: number; inFlight: number; maxInFlight: number },
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < total) {
      next++;
      const start = performance.now();
      let first = 0;
      state.inFlight++;
      if (state.inFlight > state.maxInFlight) state.maxInFlight = state.inFlight;
      try {
        const chars = await instance.call(() => {
          if (first === 0) first = performance.now();
        });
        const end = performance.now();
        if (timings) {
          timings.chars += chars;
          timings.last.push(end - start);
          if (first !== 0) timings.first.push(first - start);
        }
      } catch (error) {
        if (timings) {
          timings.errors++;
          const text = errorText(error);
          if (timings.errorSamples.length < 5 && !timings.errorSamples.includes(text)) timings.errorSamples.push(text);
        }
      } finally {
        state.inFlight--;
        state.done++;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, lane));
}

async function runLoad(job: LoadJob, instance: ClientInstance): Promise<LoadResult> {
  const warm = { done: 0, inFlight: 0, maxInFlight: 0 };
  await runRequests(instance, job.warmupRequests, Math.min(job.concurrency, 100), null, warm);
  collectGarbage();
  await sleep(100);
  const rssBaseline = process.memoryUsage.rss();
  let rssPeak = rssBaseline;
  const state = { done: 0, inFlight: 0, maxInFlight: 0 };
  let ticks = 0;
  const sampler = setInterval(() => {
    const rss = process.memoryUsage.rss();
    if (rss > rssPeak) rssPeak = rss;
    if (++ticks % 2 === 0) send({ type: "progress", done: state.done, total: job.requests, inFlight: state.inFlight });
  }, 250);
  const timings: Timings = { first: [], last: [], chars: 0, errors: 0, errorSamples: [] };
  const stopProfiler = job.profilePath ? await startProfiler() : null;
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  await runRequests(instance, job.requests, job.concurrency, timings, state);
  const wallMs = performance.now() - wallStart;
  const cpu = process.cpuUsage(cpuStart);
  clearInterval(sampler);
  if (stopProfiler && job.profilePath) saveProfile(await stopProfiler(), job.profilePath);
  rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
  const ok = job.requests - timings.errors;
  return {
    kind: "load",
    clientId: job.clientId,
    concurrency: job.concurrency,
    requests: job.requests,
    ok,
    errors: timings.errors,
    errorSamples: timings.errorSamples,
    wallMs,
    cpuUserMs: cpu.user / 1000,
    cpuSystemMs: cpu.system / 1000,
    cpuPerRequestUs: (cpu.user + cpu.system) / job.requests,
    throughput: ok / (wallMs / 1000),
    firstToken: summarize(timings.first),
    lastToken: summarize(timings.last),
    addedFirstToken: null,
    addedLastToken: null,
    rssBaselineMB: rssBaseline / MB,
    rssPeakMB: rssPeak / MB,
    maxInFlight: state.maxInFlight,
    rssPerInFlightKB: (rssPeak - rssBaseline) / 1024 / Math.max(1, state.maxInFlight),
    charsPerRequest: ok > 0 ? timings.chars / ok : 0,
    ...(job.concurrency === 1 && timings.errors === 0 ? { samples: { first: timings.first, last: timings.last } } : {}),
  };
}

async function main(): Promise<void> {
  const job = JSON.parse(process.env.BENCH_JOB ?? "null") as LoadJob | ScaleJob | null;
  if (!job) throw new Error("BENCH_JOB is not set: this file is started by bench/run.ts");
  const instance = await clientById(job.clientId).create(job.target);
  try {
    const result: LoadResult | ScaleResult =
      job.kind === "load" ? await runLoad(job, instance) : await runScale(job, instance, send);
    finishing = true;
    send({ type: "result", result });
  } finally {
    await instance.close();
  }
}

// The runner went away (Ctrl-C, crash): stop rather than keep loading the machine.
let finishing = false;
process.on("disconnect", () => {
  if (!finishing) process.exit(1);
});

main().then(
  () => process.disconnect?.(),
  (error: unknown) => {
    finishing = true;
    send({ type: "fatal", message: errorText(error) });
    process.exitCode = 1;
    process.disconnect?.();
  },
);
