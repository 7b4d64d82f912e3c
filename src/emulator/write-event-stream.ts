import type { AnswerPlan, AnswerUsage, StreamFault } from "./answer-plan.js";
import { Ticker, waitForAbort, waitForDrain } from "./abortable-wait.js";
import { corruptFrame, encodeExceptionFrame } from "./encode-event-frame.js";
import type { StreamFrame } from "./stream-frame.js";
import type { WireExchange } from "./wire-exchange.js";

export interface StreamOutcome {
  bytesOut: number;
  faulted: boolean;
}

/** Told how much each reported token count grew when a frame reporting usage is written. */
export type UsageListener = (increase: Partial<AnswerUsage>) => void;

type UsageFrames = Array<StreamFrame["usage"]>;

/**
 * Sends precomputed frames with the plan's chunk delay, applying the plan's fault (if any) after
 * `fault.afterChunks` delta frames. Frames with no delay between them go out in one write.
 */
export async function writeEventStream(
  exchange: WireExchange,
  frames: StreamFrame[],
  plan: AnswerPlan,
  signal: AbortSignal,
  onUsage: UsageListener,
): Promise<StreamOutcome> {
  const ticker = new Ticker(signal);
  try {
    return await writeFrames(exchange, frames, plan, signal, ticker, onUsage);
  } finally {
    ticker.dispose();
  }
}

async function writeFrames(
  exchange: WireExchange,
  frames: StreamFrame[],
  plan: AnswerPlan,
  signal: AbortSignal,
  ticker: Ticker,
  onUsage: UsageListener,
): Promise<StreamOutcome> {
  const { res } = exchange;
  const faultAt = plan.fault ? faultPosition(frames, plan.fault) : -1;
  const delay = plan.timing.chunkDelayMs;
  let bytesOut = 0;
  let batch: Buffer[] = [];
  let batchUsage: UsageFrames = [];
  // A later frame's count replaces an earlier one's (message_delta's output_tokens replaces message_start's 1).
  const reported: Partial<AnswerUsage> = {};
  const written = (frameUsage: UsageFrames) => {
    for (const counts of frameUsage) {
      if (!counts) continue;
      const increase: Partial<AnswerUsage> = {};
      for (const [key, value] of Object.entries(counts) as Array<[keyof AnswerUsage, number]>) {
        increase[key] = value - (reported[key] ?? 0);
        reported[key] = value;
      }
      onUsage(increase);
    }
  };
  const flush = async (): Promise<boolean> => {
    if (batch.length === 0) return !signal.aborted;
    const data = batch.length === 1 ? batch[0]! : Buffer.concat(batch);
    const dataUsage = batchUsage;
    batch = [];
    batchUsage = [];
    if (signal.aborted || exchange.closed) return false;
    bytesOut += data.length;
    written(dataUsage);
    if (!res.write(data)) return waitForDrain(res, signal);
    return true;
  };

  for (let index = 0; index < frames.length; index += 1) {
    if (index > 0 && delay > 0) {
      if (!(await flush()) || !(await ticker.sleep(delay))) return { bytesOut, faulted: false };
    }
    const frame = frames[index]!;
    if (index === faultAt && plan.fault) {
      const sent = await applyFault(exchange, plan.fault, batch, resolveBytes(frame), signal, () => written(batchUsage));
      return { bytesOut: bytesOut + sent, faulted: true };
    }
    batch.push(resolveBytes(frame));
    batchUsage.push(frame.usage);
  }
  if (!(await flush())) return { bytesOut, faulted: false };
  if (!exchange.closed) res.end();
  return { bytesOut, faulted: false };
}

function resolveBytes(frame: StreamFrame): Buffer {
  return typeof frame.bytes === "function" ? frame.bytes() : frame.bytes;
}

/** Index of the frame before which the fault fires: right after the `afterChunks`-th delta frame. */
function faultPosition(frames: StreamFrame[], fault: StreamFault): number {
  const deltas: number[] = [];
  frames.forEach((frame, index) => {
    if (frame.delta) deltas.push(index);
  });
  const count = Math.max(0, Math.min(Math.floor(fault.afterChunks), deltas.length));
  if (deltas.length === 0) return Math.min(1, frames.length - 1);
  return count === 0 ? deltas[0]! : deltas[count - 1]! + 1;
}

/** Sends the pending frames (`pendingWritten` is told when they are) and the fault. */
async function applyFault(exchange: WireExchange, fault: StreamFault, pending: Buffer[], nextFrame: Buffer, signal: AbortSignal, pendingWritten: () => void): Promise<number> {
  const { res } = exchange;
  const send = (extra: Buffer | undefined, end: boolean): number => {
    const parts = extra ? [...pending, extra] : pending;
    if (parts.length === 0 || exchange.closed) {
      if (end && !exchange.closed) res.end();
      return 0;
    }
    if (pending.length > 0) pendingWritten();
    const data = Buffer.concat(parts);
    if (end) res.end(data);
    else res.write(data);
    return data.length;
  };
  switch (fault.type) {
    case "reset": {
      const sent = send(undefined, false);
      // Let the bytes already written leave before cutting the connection.
      setImmediate(() => exchange.reset());
      return sent;
    }
    case "stall": {
      const sent = send(undefined, false);
      await waitForAbort(signal);
      return sent;
    }
    case "corrupt_frame":
      return send(corruptFrame(nextFrame), true);
    case "truncate":
      return send(undefined, true);
    case "exception":
      return send(encodeExceptionFrame(fault.name, fault.message), true);
  }
}
