import type { AnswerUsage, Operation } from "./answer-plan.js";

/** Live counters a test or benchmark can read while the emulator runs. */

/** The token counts the emulator has reported (the 1h split is part of the cache writes). */
type SentUsage = Required<Omit<AnswerUsage, "cacheWrite1hInputTokens">>;

export interface EmulatorMetrics {
  /** Requests received (every path, including rejected ones). */
  readonly requests: number;
  /** Event streams currently being sent. */
  readonly streamsInFlight: number;
  /** Event streams started since the emulator started. */
  readonly streamsStarted: number;
  /** Request body bytes received. */
  readonly bytesIn: number;
  /** Bytes read from client connections (headers, bodies, TLS records), closed connections included. */
  readonly bytesReceived: number;
  /** Client connections open now. */
  readonly openConnections: number;
  /** Client connections accepted since the emulator started, closed ones included. */
  readonly connectionsAccepted: number;
  /** Response body bytes sent. */
  readonly bytesOut: number;
  /** Responses that were errors (HTTP error status, exception frame or planned fault). */
  readonly errors: number;
  /** Routed requests per operation. */
  readonly byOperation: Readonly<Partial<Record<Operation, number>>>;
  /**
   * Token counts reported in the responses sent: InvokeModel and Converse bodies, and for each stream the last
   * value of each count among the frames written (InvokeModelWithResponseStream's message_start and
   * message_delta, ConverseStream's metadata). `inputTokens` is the uncached part, as in Anthropic's usage.
   */
  readonly usageSent: Readonly<SentUsage>;
}

/** What the server that owns the sockets reports. */
export interface ConnectionCounts {
  bytesReceived(): number;
  openConnections(): number;
  connectionsAccepted(): number;
}

/** The mutable counters behind EmulatorMetrics. */
export class MetricsRecorder {
  connections: ConnectionCounts = { bytesReceived: () => 0, openConnections: () => 0, connectionsAccepted: () => 0 };
  requests = 0;
  streamsInFlight = 0;
  streamsStarted = 0;
  bytesIn = 0;
  bytesOut = 0;
  errors = 0;
  readonly byOperation: Partial<Record<Operation, number>> = {};
  readonly usageSent: SentUsage = { inputTokens: 0, outputTokens: 0, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 };

  addUsageSent(usage: Partial<AnswerUsage>): void {
    for (const key of Object.keys(this.usageSent) as Array<keyof SentUsage>) this.usageSent[key] += usage[key] ?? 0;
  }

  countOperation(operation: Operation): void {
    this.byOperation[operation] = (this.byOperation[operation] ?? 0) + 1;
  }

  /** Marks a stream as started and returns a function that ends it exactly once. */
  startStream(): () => void {
    this.streamsStarted += 1;
    this.streamsInFlight += 1;
    let open = true;
    return () => {
      if (open) {
        open = false;
        this.streamsInFlight -= 1;
      }
    };
  }

  /** A read-only view whose getters always return the current values. */
  view(): EmulatorMetrics {
    const recorder = this;
    return {
      get requests() { return recorder.requests; },
      get streamsInFlight() { return recorder.streamsInFlight; },
      get streamsStarted() { return recorder.streamsStarted; },
      get bytesIn() { return recorder.bytesIn; },
      get bytesReceived() { return recorder.connections.bytesReceived(); },
      get openConnections() { return recorder.connections.openConnections(); },
      get connectionsAccepted() { return recorder.connections.connectionsAccepted(); },
      get bytesOut() { return recorder.bytesOut; },
      get errors() { return recorder.errors; },
      get byOperation() { return { ...recorder.byOperation }; },
      get usageSent() { return { ...recorder.usageSent }; },
    };
  }
}
