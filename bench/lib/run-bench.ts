import os from "node:os";
import { buildBench } from "./build-bench.js";
/** Orchestrates one bench run: the emulator process, one worker process per (client, workload), the report. */
import { ALL_CLIENTS, EXTRA_CLIENTS, BASELINE_NON_STREAMING, BASELINE_STREAMING, FLOOR_NON_STREAMING, FLOOR_STREAMING, clientById } from "./clients/index.js";
import { benchTarget, type ClientAdapter } from "./clients/client-adapter.js";
import type { BenchOptions } from "./args.js";
import { startEmulatorProcess, type EmulatorKnobs } from "./emulator-process.js";
import type { LoadJob, LoadResult, ScaleResult } from "./job.js";
import { machineInfo, type MachineInfo } from "./machine.js";
import { Progress } from "./progress.js";
import { withRatios, type Row } from "./report.js";
import { runWorker, SOURCE_WORKER, type WorkerEntry, type WorkerFailure } from "./run-worker.js";
import type { ServerTimings } from "./server-timestamps.js";
import { percentile, summarize, type Summary } from "./stats.js";

export interface BenchRun {
  date: string;
  command: string;
  machine: MachineInfo;
  knobs: EmulatorKnobs;
  /** 1, 5 and 15 minute load averages when the run started and ended (a busy machine makes noisy figures). */
  loadAverage: { start: number[]; end: number[] };
  options: BenchOptions;
  rows: Row[];
  scale: ScaleResult[];
  failures: (WorkerFailure & { label: string })[];
  /** The worker to fork and the emulator child to start (compiled by tsc unless --from-source). */
  entries: { worker: WorkerEntry; emulatorChild?: string | undefined };
}

export function selectClients(options: BenchOptions): ClientAdapter[] {
  const wanted = options.clients;
  let chosen = wanted
    ? [
        ...ALL_CLIENTS.filter((c) => wanted.includes(c.id) || wanted.includes(c.library)),
        ...EXTRA_CLIENTS.filter((c) => wanted.includes(c.id)),
      ]
    : [...ALL_CLIENTS];
  if (wanted) for (const id of wanted) if (!ALL_CLIENTS.some((c) => c.id === id || c.library === id)) clientById(id);
  if (options.streamingOnly) chosen = chosen.filter((c) => c.streaming);
  // The ratios need the raw SDK baselines and the floor in the same run.
  const nonStreaming = chosen.some((c) => !c.streaming);
  const baselines = [BASELINE_STREAMING, FLOOR_STREAMING, ...(nonStreaming ? [BASELINE_NON_STREAMING, FLOOR_NON_STREAMING] : [])];
  for (const id of baselines) if (!chosen.some((c) => c.id === id)) chosen.push(clientById(id));
  return chosen;
}

async function loadPhase(options: BenchOptions, clients: ClientAdapter[], run: BenchRun, progress: Progress): Promise<void> {
  const emulator = await startEmulatorProcess(run.knobs, run.entries.emulatorChild);
  const measured = new Map<string, Row[]>();
  try {
    const total = options.concurrency.length * clients.length * options.rounds;
    let index = 0;
    for (const [level, concurrency] of options.concurrency.entries()) {
      for (let round = 0; round < options.rounds; round++) {
        // Alternate the order between rounds so no client always runs first (or right after a heavy one).
        const order = round % 2 === 0 ? clients : [...clients].reverse();
        for (const client of order) {
          index++;
          const job: LoadJob = {
            kind: "load",
            clientId: client.id,
            target: benchTarget(emulator, options.model),
            concurrency,
            requests: options.requests[level]!,
            warmupRequests: options.cold ? 0 : Math.min(Math.max(concurrency, 20), 200),
          };
          const label = `c=${concurrency}${options.rounds > 1 ? ` round ${round + 1}` : ""}`;
          progress.start(`[${index}/${total}] ${client.id} ${label}`);
          const before = await emulator.stats();
          const result = await runWorker(
            job,
            emulator.caFile,
            options.jobTimeoutMs,
            (m) => progress.update(m.done, m.total, m.inFlight),
            run.entries.worker,
          );
          const after = await emulator.stats();
          if (result.kind === "load") {
            addServerLatency(result, client, after.timings);
            const served = Math.max(1, after.requests - before.requests);
            const key = `${client.id}@${concurrency}`;
            const row: Row = { result, serverCpuPerRequestUs: (after.cpuUs - before.cpuUs) / served, ratios: null };
            measured.set(key, [...(measured.get(key) ?? []), row]);
            progress.done(summaryLine(result));
          } else {
            run.failures.push({ ...(result as WorkerFailure), label });
            progress.done(`FAILED: ${(result as WorkerFailure).message}`);
          }
        }
      }
    }
  } finally {
    await emulator.close();
  }
  run.rows = withRatios([...measured.values()].map(medianRound));
}

const median = (values: number[]) => (values.length ? percentile(Float64Array.from(values).sort(), 50) : Number.NaN);
const shifted = (s: Summary | null, by: number): Summary | null =>
  s && Number.isFinite(by) ? { p50: s.p50 - by, p99: s.p99 - by, mean: s.mean - by, min: s.min - by, max: s.max - by } : null;

/**
 * Client-added latency: the client's observed latency minus the emulator's own duration for the same span.
 * At concurrency 1 requests are sequential, so the server's last N records are the N measured requests in
 * order and each is paired with its own; otherwise the server's p50 is subtracted from the client's figures.
 */
function addServerLatency(result: LoadResult, client: ClientAdapter, server: ServerTimings): void {
  const serverLast = client.streaming ? server.lastDeltaMs : server.wholeMs;
  result.serverFirstDeltaP50Ms = median(server.firstDeltaMs);
  result.serverLastP50Ms = median(serverLast);
  const samples = result.samples;
  delete result.samples;
  const n = samples?.last.length ?? 0;
  const paired = (mine: number[], theirs: number[]) =>
    mine.length === n && theirs.length >= n ? summarize(mine.map((v, i) => v - theirs[theirs.length - n + i]!)) : null;
  if (samples && n > 0 && serverLast.length >= n) {
    result.addedMethod = "paired";
    result.addedFirstToken = client.yieldsTokens ? paired(samples.first, server.firstDeltaMs) : null;
    result.addedLastToken = paired(samples.last, serverLast);
    return;
  }
  result.addedMethod = "p50";
  result.addedFirstToken = client.yieldsTokens ? shifted(result.firstToken, result.serverFirstDeltaP50Ms) : null;
  result.addedLastToken = shifted(result.lastToken, result.serverLastP50Ms);
}

/** Of a client's rounds at one concurrency, the one with the median CPU per request, with every round's figures. */
function medianRound(rows: Row[]): Row {
  const sorted = [...rows].sort((a, b) => a.result.cpuPerRequestUs - b.result.cpuPerRequestUs);
  const median = sorted[Math.floor((sorted.length - 1) / 2)]!;
  return {
    ...median,
    rounds: {
      cpuPerRequestUs: rows.map((r) => Math.round(r.result.cpuPerRequestUs)),
      throughput: rows.map((r) => Math.round(r.result.throughput)),
    },
  };
}

async function scalePhase(options: BenchOptions, run: BenchRun, progress: Progress): Promise<void> {
  const knobs: EmulatorKnobs = { ...run.knobs, firstByteLatencyMs: 0, chunkDelayMs: options.scaleChunkDelayMs };
  const steps = scaleSteps(options.scaleStreams);
  for (const [i, id] of options.scaleClients.entries()) {
    // A fresh emulator per client, so one client's leftovers never load the next one's server.
    const emulator = await startEmulatorProcess(knobs, run.entries.emulatorChild);
    try {
      progress.start(`[scale ${i + 1}/${options.scaleClients.length}] ${id} ${options.scaleStreams} streams`);
      const result = await runWorker(
        {
          kind: "scale",
          clientId: clientById(id).id,
          target: benchTarget(emulator, options.model),
          steps,
          drainTimeoutMs: Math.max(180_000, 3 * options.chunksPerAnswer * options.scaleChunkDelayMs),
        },
        emulator.caFile,
        Math.max(options.jobTimeoutMs, 600_000),
        (m) => progress.update(m.done, m.total, m.inFlight),
        run.entries.worker,
      );
      if (result.kind === "scale") {
        run.scale.push(result);
        progress.done(`${result.ok} ok, ${result.errors} errors, ${result.slopeKBPerStream.toFixed(1)} KB/stream`);
      } else {
        run.failures.push({ ...(result as WorkerFailure), label: "scale" });
        progress.done(`FAILED: ${(result as WorkerFailure).message}`);
      }
    } finally {
      await emulator.close();
    }
  }
}

/** Compiles the worker and the emulator child with tsc (see build-bench.ts). */
export async function compiledEntries(progress: Progress): Promise<BenchRun["entries"]> {
  progress.start("compiling the bench and minion-ts with tsc");
  const built = await buildBench();
  progress.done("ok");
  return { worker: { file: built.worker, compiled: true }, emulatorChild: built.emulatorChild };
}

export function scaleSteps(total: number): number[] {
  const fractions = [0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];
  return [...new Set(fractions.map((f) => Math.max(1, Math.round(total * f))))];
}

function summaryLine(r: LoadResult): string {
  const err = r.errors ? `, ${r.errors} ERRORS (${r.errorSamples[0] ?? ""})` : "";
  return `${r.cpuPerRequestUs.toFixed(0)} µs/req, ${r.throughput.toFixed(0)} req/s${err}`;
}

export async function runBench(options: BenchOptions, command: string): Promise<BenchRun> {
  const run: BenchRun = {
    date: new Date().toISOString(),
    command,
    machine: machineInfo(),
    knobs: {
      tls: options.tls,
      firstByteLatencyMs: options.firstByteLatencyMs,
      chunkDelayMs: options.chunkDelayMs,
      chunksPerAnswer: options.chunksPerAnswer,
    },
    loadAverage: { start: os.loadavg(), end: [] },
    options,
    rows: [],
    scale: [],
    failures: [],
    entries: { worker: SOURCE_WORKER },
  };
  const progress = new Progress();
  if (!options.fromSource) run.entries = await compiledEntries(progress);
  if (!options.scaleOnly) await loadPhase(options, selectClients(options), run, progress);
  if (options.scale) await scalePhase(options, run, progress);
  run.loadAverage.end = os.loadavg();
  return run;
}
