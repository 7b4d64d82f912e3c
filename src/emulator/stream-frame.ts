/** One event-stream frame to send; `delta` frames are the ones counted by chunksPerAnswer and fault.afterChunks. */
export interface StreamFrame {
  /** The encoded frame, or a function encoding it at send time (for measured latencies). */
  bytes: Buffer | (() => Buffer);
  delta: boolean;
}

/** Latencies measured while the stream is sent, reported in the closing frames. */
export interface StreamClock {
  invocationLatencyMs(): number;
  firstByteLatencyMs(): number;
}
