/** The messages exchanged between the bench runner and its client worker processes. */
import type { BenchTarget } from "./clients/client-adapter.js";
import type { Summary } from "./stats.js";

export interface LoadJob {
  kind: "load";
  clientId: string;
  target: BenchTarget;
  concurrency: number;
  requests: number;
  warmupRequests: number;
  /** Write a CPU profile of the measured phase to this file. */
  profilePath?: string;
}

export interface ScaleJob {
  kind: "scale";
  clientId: string;
  target: BenchTarget;
  /** In-flight stream counts at which RSS is sampled, ascending; the last is the total. */
  steps: number[];
  /** How long to wait for the streams to finish after the last step before counting the rest as errors. */
  drainTimeoutMs: number;
}

export type Job = LoadJob | ScaleJob;

export interface LoadResult {
  kind: "load";
  clientId: string;
  concurrency: number;
  requests: number;
  ok: number;
  errors: number;
  errorSamples: string[];
  wallMs: number;
  cpuUserMs: number;
  cpuSystemMs: number;
  /** (user + system) CPU of the client process per request, in microseconds. */
  cpuPerRequestUs: number;
  /** Completed requests per second. */
  throughput: number;
  /** Observed time to first text / to the end, ms. */
  firstToken: Summary | null;
  lastToken: Summary | null;
  /**
   * Observed minus what the emulator itself took (its own timestamps, p50: body received -> first/last text
   * delta written, or whole body written), ms. Filled in by the runner.
   */
  addedFirstToken: Summary | null;
  addedLastToken: Summary | null;
  /** Per-request observed latencies in completion order (sent at concurrency 1 only, to pair with the server's). */
  samples?: { first: number[]; last: number[] };
  /** How added latency was computed: per request (concurrency 1, paired in order) or p50 minus p50. */
  addedMethod?: "paired" | "p50";
  serverFirstDeltaP50Ms?: number;
  serverLastP50Ms?: number;
  rssBaselineMB: number;
  rssPeakMB: number;
  maxInFlight: number;
  /** (peak RSS - baseline RSS) / max in-flight requests, KB. */
  rssPerInFlightKB: number;
  charsPerRequest: number;
}

export interface ScalePoint {
  inFlight: number;
  rssMB: number;
  heapUsedMB: number;
}

export interface ScaleResult {
  kind: "scale";
  clientId: string;
  streams: number;
  ok: number;
  errors: number;
  errorSamples: string[];
  wallMs: number;
  cpuPerRequestUs: number;
  rssBaselineMB: number;
  points: ScalePoint[];
  /** Least-squares slope of RSS against in-flight streams, KB per stream, and the fit's r². */
  slopeKBPerStream: number;
  r2: number;
}

export type WorkerMessage =
  | { type: "progress"; done: number; total: number; inFlight: number }
  | { type: "result"; result: LoadResult | ScaleResult }
  | { type: "fatal"; message: string };
