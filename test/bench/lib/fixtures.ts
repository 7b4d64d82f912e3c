/** Shared fixtures for the bench/lib tests: load and scale results with every field filled in. */
import type { LoadResult, ScaleResult } from "../../../bench/lib/job.js";
import { withRatios, type Row } from "../../../bench/lib/report.js";
import type { Summary } from "../../../bench/lib/stats.js";

export function summary(p50: number, p99 = p50 * 2): Summary {
  return { p50, p99, mean: p50, min: p50 / 2, max: p99 };
}

export function loadResult(clientId: string, concurrency: number, fields: Partial<LoadResult> = {}): LoadResult {
  return {
    kind: "load",
    clientId,
    concurrency,
    requests: 100,
    ok: 100,
    errors: 0,
    errorSamples: [],
    wallMs: 1000,
    cpuUserMs: 8,
    cpuSystemMs: 2,
    cpuPerRequestUs: 100,
    throughput: 100,
    firstToken: summary(12),
    lastToken: summary(70),
    addedFirstToken: summary(1),
    addedLastToken: summary(2),
    rssBaselineMB: 60,
    rssPeakMB: 80,
    maxInFlight: concurrency,
    rssPerInFlightKB: 20,
    charsPerRequest: 250,
    ...fields,
  };
}

export function row(clientId: string, concurrency: number, fields: Partial<LoadResult> = {}, serverCpuPerRequestUs = 50): Row {
  return { result: loadResult(clientId, concurrency, fields), serverCpuPerRequestUs, ratios: null };
}

export function rowsWithRatios(...rows: Row[]): Row[] {
  return withRatios(rows);
}

export function scaleResult(clientId: string, fields: Partial<ScaleResult> = {}): ScaleResult {
  return {
    kind: "scale",
    clientId,
    streams: 10_000,
    ok: 10_000,
    errors: 0,
    errorSamples: [],
    wallMs: 42_000,
    cpuPerRequestUs: 900,
    rssBaselineMB: 70,
    points: [
      { inFlight: 1000, rssMB: 180, heapUsedMB: 40 },
      { inFlight: 10_000, rssMB: 1200, heapUsedMB: 400 },
    ],
    slopeKBPerStream: 116.4,
    r2: 0.9987,
    ...fields,
  };
}
