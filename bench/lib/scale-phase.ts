/**
 * The scale run: open streams step by step up to N (10,000 by default) and keep them open, sampling RSS at each
 * step once every open stream has produced its first token; then let them all finish and count errors.
 */
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import type { ClientInstance } from "./clients/client-adapter.js";
import type { ScaleJob, ScalePoint, ScaleResult, WorkerMessage } from "./job.js";
import { linearFit } from "./stats.js";
import { collectGarbage, errorText } from "./worker-util.js";

const MB = 1024 * 1024;

export async function runScale(
  job: ScaleJob,
  instance: ClientInstance,
  send: (message: WorkerMessage) => void,
): Promise<ScaleResult> {
  // No warm-up call: with the scale run's slow streams one call lasts a minute or more. The baseline is the
  // client created and idle; the slope comes from the steps, not from the baseline.
  collectGarbage();
  await sleep(100);
  const rssBaseline = process.memoryUsage.rss();
  const total = job.steps[job.steps.length - 1]!;
  let started = 0;
  let settled = 0;
  let errors = 0;
  let firstTokens = 0;
  const errorSamples: string[] = [];
  const running: Promise<void>[] = [];
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  const points: ScalePoint[] = [];
  const open = () => {
    started++;
    let seen = false;
    const onText = () => {
      if (!seen) {
        seen = true;
        firstTokens++;
      }
    };
    running.push(
      instance.call(onText).then(
        () => {
          settled++;
          if (!seen) firstTokens++;
        },
        (error: unknown) => {
          settled++;
          errors++;
          if (!seen) firstTokens++;
          const text = errorText(error);
          if (errorSamples.length < 5 && !errorSamples.includes(text)) errorSamples.push(text);
        },
      ),
    );
  };
  for (const step of job.steps) {
    while (started < step) open();
    const deadline = performance.now() + 120_000;
    while (firstTokens < started && performance.now() < deadline) {
      send({ type: "progress", done: firstTokens, total, inFlight: started - settled });
      await sleep(50);
    }
    collectGarbage();
    const memory = process.memoryUsage();
    points.push({ inFlight: started - settled, rssMB: memory.rss / MB, heapUsedMB: memory.heapUsed / MB });
  }
  // Streams that queue behind a socket cap never all open together; do not wait hours for them.
  const unfinished = await Promise.race([
    Promise.all(running).then(() => 0),
    sleep(job.drainTimeoutMs).then(() => started - settled),
  ]);
  if (unfinished > 0) {
    errors += unfinished;
    errorSamples.push(`${unfinished} streams still open ${job.drainTimeoutMs / 1000}s after the last step`);
  }
  const wallMs = performance.now() - wallStart;
  const cpu = process.cpuUsage(cpuStart);
  const fit = linearFit(points.map((p) => ({ x: p.inFlight, y: p.rssMB * 1024 })));
  return {
    kind: "scale",
    clientId: job.clientId,
    streams: total,
    ok: total - errors,
    errors,
    errorSamples,
    wallMs,
    cpuPerRequestUs: (cpu.user + cpu.system) / total,
    rssBaselineMB: rssBaseline / MB,
    points,
    slopeKBPerStream: fit.slope,
    r2: fit.r2,
  };
}
