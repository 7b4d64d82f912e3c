/** Issue 6's targets, checked against one run's figures (reported, never asserted). */
import { clientById } from "./clients/index.js";
import type { ScaleResult } from "./job.js";
import type { Row } from "./report.js";

export interface TargetCheck {
  target: string;
  measured: string;
  met: boolean | null;
}

const PEERS = new Set(["ai-sdk", "langchain", "anthropic"]);
const MINION_STREAM = "minion.generateStream";

function at(rows: Row[], concurrency: number, filter: (id: string) => boolean): Row[] {
  return rows.filter((r) => r.result.concurrency === concurrency && filter(r.result.clientId) && r.result.ok > 0);
}

const isPeerStream = (id: string) => PEERS.has(clientById(id).library) && clientById(id).streaming;

export function checkTargets(rows: Row[], scale: ScaleResult[]): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const minion100 = at(rows, 100, (id) => id === MINION_STREAM)[0];
  if (minion100) {
    const ratio = minion100.ratios?.cpuPerRequest ?? Number.NaN;
    const peers = at(rows, 100, isPeerStream);
    const worstPeer = peers.reduce((m, p) => Math.min(m, p.result.cpuPerRequestUs), Number.POSITIVE_INFINITY);
    checks.push({
      target: "CPU per streamed request at concurrency 100 <= 0.8x raw SDK defaults",
      measured: `${minion100.result.cpuPerRequestUs.toFixed(0)} µs = ${ratio.toFixed(2)}x ${minion100.ratios?.baseline ?? "?"}`,
      met: Number.isFinite(ratio) ? ratio <= 0.8 : null,
    });
    checks.push({
      target: "CPU per streamed request at concurrency 100 below every peer library",
      measured: peers.length
        ? `minion ${minion100.result.cpuPerRequestUs.toFixed(0)} µs vs lowest peer ${worstPeer.toFixed(0)} µs`
        : "no peer measured",
      met: peers.length ? minion100.result.cpuPerRequestUs < worstPeer : null,
    });
  }
  const minion1000 = at(rows, 1000, (id) => id === MINION_STREAM)[0];
  if (minion1000) {
    const peers = at(rows, 1000, isPeerStream);
    const best = peers.reduce((m, p) => Math.max(m, p.result.throughput), 0);
    checks.push({
      target: "throughput at concurrency 1,000 above every peer library",
      measured: peers.length ? `minion ${minion1000.result.throughput.toFixed(0)} req/s vs best peer ${best.toFixed(0)} req/s` : "no peer measured",
      met: peers.length ? minion1000.result.throughput > best : null,
    });
  }
  const minion1 = at(rows, 1, (id) => id === MINION_STREAM)[0];
  if (minion1?.result.addedFirstToken) {
    const p50 = minion1.result.addedFirstToken.p50;
    checks.push({ target: "added latency to first token at concurrency 1 < 1 ms p50", measured: `${p50.toFixed(2)} ms`, met: p50 < 1 });
  }
  checks.push(...floorTargets(rows));
  for (const s of scale.filter((r) => clientById(r.clientId).library === "minion-ts")) {
    checks.push({
      target: `${s.streams.toLocaleString("en-US")} concurrent streams (${s.clientId}) complete with no errors`,
      measured: `${s.ok} ok, ${s.errors} errors; RSS slope ${s.slopeKBPerStream.toFixed(1)} KB/stream (r² ${s.r2.toFixed(3)})`,
      met: s.errors === 0,
    });
    checks.push({
      target: `memory per open stream at ${s.streams.toLocaleString("en-US")} streams <= 50 KB, linear (issue 18)`,
      measured: `${s.slopeKBPerStream.toFixed(1)} KB/stream, r² ${s.r2.toFixed(3)}`,
      met: s.slopeKBPerStream <= 50 && s.r2 >= 0.98,
    });
  }
  return checks;
}

/** Issue 18's targets against the floor client and the raw SDK, each from this run. */
function floorTargets(rows: Row[]): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const level of [100, 1000]) {
    const row = at(rows, level, (id) => id === MINION_STREAM)[0];
    const ratio = row?.ratios?.floor?.cpuPerRequest;
    if (ratio === undefined) continue;
    checks.push({ target: `streamed CPU per request at concurrency ${level} <= 1.25x the floor`, measured: `${row!.result.cpuPerRequestUs.toFixed(0)} µs = ${ratio.toFixed(2)}x floor`, met: ratio <= 1.25 });
  }
  for (const row of rows.filter((r) => r.result.clientId === "minion.generate" && r.ratios)) {
    checks.push({
      target: `non-streaming generate at concurrency ${row.result.concurrency} <= 0.5x the raw SDK's InvokeModel CPU per request`,
      measured: `${row.result.cpuPerRequestUs.toFixed(0)} µs = ${row.ratios!.cpuPerRequest.toFixed(2)}x`,
      met: row.ratios!.cpuPerRequest <= 0.5,
    });
  }
  const first = at(rows, 1, (id) => id === MINION_STREAM)[0]?.ratios?.floor?.addedFirstTokenP50Ms;
  if (first !== undefined && first !== null) {
    checks.push({ target: "time to first token at concurrency 1 <= floor + 0.5 ms (p50)", measured: `floor + ${first.toFixed(2)} ms`, met: first <= 0.5 });
  }
  return checks;
}

export function targetLines(checks: TargetCheck[]): string[] {
  return checks.map((c) => `${c.met === null ? "[ ? ]" : c.met ? "[met]" : "[MISSED]"} ${c.target}: ${c.measured}`);
}
