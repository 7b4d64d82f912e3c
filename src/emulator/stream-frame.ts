import type { AnswerUsage } from "./answer-plan.js";

/** One event-stream frame to send; `delta` frames are the ones counted by chunksPerAnswer and fault.afterChunks. */
export interface StreamFrame {
  /** The encoded frame, or a function encoding it at send time (for measured latencies). */
  bytes: Buffer | (() => Buffer);
  delta: boolean;
  /** The token counts this frame reports; a later frame's count replaces an earlier one's. */
  usage?: Partial<AnswerUsage>;
}

/** Latencies measured while the stream is sent, reported in the closing frames. */
export interface StreamClock {
  invocationLatencyMs(): number;
  firstByteLatencyMs(): number;
}
