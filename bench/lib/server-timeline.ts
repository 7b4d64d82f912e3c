/**
 * What the emulator itself takes, from its latency knobs: the first text chunk leaves the server after the
 * first-byte latency plus one chunk delay, the last after the first-byte latency plus one chunk delay per chunk.
 * Client-added latency = what the client observed minus this.
 */
import type { EmulatorKnobs } from "./emulator-process.js";

export interface ServerTimeline {
  firstTokenMs: number;
  lastTokenMs: number;
  /** A non-streamed answer: the server waits the first-byte latency and sends the whole body. */
  wholeAnswerMs: number;
}

export function serverTimeline(knobs: EmulatorKnobs): ServerTimeline {
  return {
    firstTokenMs: knobs.firstByteLatencyMs + knobs.chunkDelayMs,
    lastTokenMs: knobs.firstByteLatencyMs + knobs.chunkDelayMs * knobs.chunksPerAnswer,
    wholeAnswerMs: knobs.firstByteLatencyMs,
  };
}
