/** Turns worker results into rows with ratios to the raw SDK (same run, same concurrency) and prints them. */
import { BASELINE_NON_STREAMING, BASELINE_STREAMING, FLOOR_NON_STREAMING, FLOOR_STREAMING, clientById } from "./clients/index.js";
import type { LoadResult, ScaleResult } from "./job.js";
import type { WorkerFailure } from "./run-worker.js";

export interface Ratios {
  baseline: string;
  cpuPerRequest: number;
  throughput: number;
  addedFirstTokenP50: number | null;
  addedLastTokenP50: number | null;
  rssPerInFlight: number;
  /** The same, to the floor client (issue 18); null when the floor did not run at this concurrency. */
  floor: { baseline: string; cpuPerRequest: number; throughput: number; addedFirstTokenP50Ms: number | null } | null;
}

export interface Row {
  result: LoadResult;
  /** Emulator CPU per request during this job (µs): tells when the server, not the client, is the limit. */
  serverCpuPerRequestUs: number;
  ratios: Ratios | null;
  /** Every round's figures when the run had several (the row itself is the median-CPU round). */
  rounds?: { cpuPerRequestUs: number[]; throughput: number[] };
}

export function baselineFor(clientId: string): string {
  return clientById(clientId).streaming ? BASELINE_STREAMING : BASELINE_NON_STREAMING;
}

export function floorFor(clientId: string): string {
  return clientById(clientId).streaming ? FLOOR_STREAMING : FLOOR_NON_STREAMING;
}

export function withRatios(rows: Row[]): Row[] {
  return rows.map((row) => {
    const baselineId = baselineFor(row.result.clientId);
    const at = (id: string) => rows.find((r) => r.result.clientId === id && r.result.concurrency === row.result.concurrency);
    const base = at(baselineId);
    if (!base) return row;
    const b = base.result;
    const r = row.result;
    const ratio = (a: number | undefined, d: number | undefined) => (a !== undefined && d ? a / d : null);
    const floorRow = at(floorFor(r.clientId))?.result;
    const floor = floorRow
      ? {
          baseline: floorRow.clientId,
          cpuPerRequest: r.cpuPerRequestUs / floorRow.cpuPerRequestUs,
          throughput: r.throughput / floorRow.throughput,
          addedFirstTokenP50Ms: r.addedFirstToken && floorRow.addedFirstToken ? r.addedFirstToken.p50 - floorRow.addedFirstToken.p50 : null,
        }
      : null;
    return {
      ...row,
      ratios: {
        baseline: baselineId,
        cpuPerRequest: r.cpuPerRequestUs / b.cpuPerRequestUs,
        throughput: r.throughput / b.throughput,
        addedFirstTokenP50: ratio(r.addedFirstToken?.p50, b.addedFirstToken?.p50),
        addedLastTokenP50: ratio(r.addedLastToken?.p50, b.addedLastToken?.p50),
        rssPerInFlight: r.rssPerInFlightKB / b.rssPerInFlightKB,
        floor,
      },
    };
  });
}

const f = (n: number | null | undefined, digits = 1) => (n === null || n === undefined || Number.isNaN(n) ? "-" : n.toFixed(digits));
const x = (n: number | null | undefined) => (n === null || n === undefined || !Number.isFinite(n) ? "" : ` (${n.toFixed(2)}x)`);

export const TABLE_HEADER = [
  "client",
  "conc",
  "ok/err",
  "CPU µs/req (x sdk)",
  "x floor",
  "req/s (x sdk)",
  "+first ms p50/p99",
  "+last ms p50/p99",
  "peak RSS MB",
  "KB/in-flight",
  "server µs/req",
];

export function tableCells(row: Row): string[] {
  const r = row.result;
  return [
    r.clientId,
    String(r.concurrency),
    `${r.ok}/${r.errors}`,
    `${f(r.cpuPerRequestUs, 0)}${x(row.ratios?.cpuPerRequest)}`,
    row.ratios?.floor ? `${row.ratios.floor.cpuPerRequest.toFixed(2)}x` : "-",
    `${f(r.throughput, 0)}${x(row.ratios?.throughput)}`,
    r.addedFirstToken ? `${f(r.addedFirstToken.p50, 2)} / ${f(r.addedFirstToken.p99, 2)}` : "-",
    r.addedLastToken ? `${f(r.addedLastToken.p50, 2)} / ${f(r.addedLastToken.p99, 2)}` : "-",
    f(r.rssPeakMB, 0),
    f(r.rssPerInFlightKB, 1),
    f(row.serverCpuPerRequestUs, 0),
  ];
}

export function textTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

export function markdownTable(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map((_, i) => (i === 0 ? "---" : "---:"))), ...rows.map(line)].join("\n");
}

export function scaleCells(result: ScaleResult): string[] {
  const last = result.points[result.points.length - 1];
  return [
    result.clientId,
    String(result.streams),
    `${result.ok}/${result.errors}`,
    f(result.rssBaselineMB, 0),
    last ? `${f(last.rssMB, 0)} @ ${last.inFlight}` : "-",
    f(result.slopeKBPerStream, 1),
    f(result.r2, 3),
    f(result.cpuPerRequestUs, 0),
    f(result.wallMs / 1000, 1),
  ];
}

export const SCALE_HEADER = [
  "client",
  "streams",
  "ok/err",
  "base RSS MB",
  "RSS MB @ in-flight",
  "slope KB/stream",
  "r²",
  "CPU µs/stream",
  "wall s",
];

export function failureLine(failure: WorkerFailure, label: string): string {
  return `FAILED ${failure.clientId} ${label}: ${failure.message}`;
}
