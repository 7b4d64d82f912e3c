/**
 * One attempt of a stream, as the retry loop (RetryPolicy.stream) reads it: the public events of each network
 * read that has any, then the "finish" event. A hand-written iterator rather than an async generator: it sits
 * on the streamed path's hot loop, and each next() is the reader's own next() plus one reaction. The provider
 * supplies the steps (opening, the rate limiter, usage); one next() at a time, as `for await` calls it.
 */
import type { StreamEvent } from "../llm-provider.js";
import type { RatePermit } from "../routing/rate-limiter.js";
import type { ModelStreamPart } from "./output/model-stream-part.js";
import type { StreamAccumulator } from "./output/stream-accumulator.js";
import type { EventStreamReader } from "./transport/read-event-stream.js";

/** An opened attempt: its response's reader, and what its parts add up to. */
export interface OpenedAttempt {
  reader: EventStreamReader<ModelStreamPart>;
  /** The id this attempt was sent with (the model's, or its inference profile's). */
  modelId: string;
  accumulator: StreamAccumulator;
  permit: RatePermit | undefined;
  ended: boolean;
}

/** What the provider does at each step of an attempt. */
export interface AttemptSteps {
  /** Sends the request; a failure here is the step's own to report (nothing was opened). */
  open(): Promise<OpenedAttempt>;
  /** The first events came, before they are handed over (also when the answer ends without any). */
  answered(attempt: OpenedAttempt): void;
  /** The attempt failed before its first events. */
  failedUnanswered(attempt: OpenedAttempt, thrown: unknown): void;
  /** The "finish" event, once the response has ended or a client-side stop cut it; throws if it was cut short. */
  finish(attempt: OpenedAttempt): StreamEvent;
  /** Releases the response and records the usage (called once, however the attempt ends). */
  end(attempt: OpenedAttempt): void;
}

type Batch = IteratorResult<StreamEvent[], void>;
const DONE: Batch = Object.freeze({ done: true, value: undefined });

export class StreamAttemptEvents implements AsyncIterableIterator<StreamEvent[], void, undefined> {
  readonly #steps: AttemptSteps;
  #attempt: OpenedAttempt | undefined;
  #answered = false;
  /** The finish event was handed over, or the attempt failed or was closed: the next next() ends it. */
  #over = false;
  #ended = false;

  constructor(steps: AttemptSteps) {
    this.#steps = steps;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<Batch> {
    if (this.#over) return Promise.resolve(this.#end());
    if (this.#attempt === undefined) return this.#open();
    return this.#read();
  }

  /** The caller stops early: the response is released and the usage recorded. */
  return(): Promise<Batch> {
    this.#over = true;
    return Promise.resolve(this.#end());
  }

  async #open(): Promise<Batch> {
    try {
      this.#attempt = await this.#steps.open();
    } catch (thrown) {
      this.#over = true;
      throw thrown;
    }
    return this.#read();
  }

  #read(): Promise<Batch> {
    const attempt = this.#attempt!;
    if (!attempt.accumulator.clientStopped) return attempt.reader.next().then(this.#onRead, this.#onFailure);
    try {
      return Promise.resolve(this.#finishBatch(attempt));
    } catch (thrown) {
      return Promise.reject(this.#failed(thrown));
    }
  }

  readonly #onRead = (next: IteratorResult<ModelStreamPart[], undefined>): Batch | Promise<Batch> => {
    const attempt = this.#attempt!;
    try {
      if (next.done) return this.#finishBatch(attempt);
      const events = eventsOf(attempt.accumulator, next.value);
      if (events.length === 0) return this.#read();
      if (!this.#answered) this.#answer(attempt);
      return { done: false, value: events };
    } catch (thrown) {
      throw this.#failed(thrown);
    }
  };

  readonly #onFailure = (thrown: unknown): never => {
    throw this.#failed(thrown);
  };

  #finishBatch(attempt: OpenedAttempt): Batch {
    const finish = this.#steps.finish(attempt);
    if (!this.#answered) this.#answer(attempt);
    this.#over = true;
    return { done: false, value: [finish] };
  }

  #answer(attempt: OpenedAttempt): void {
    this.#answered = true;
    this.#steps.answered(attempt);
  }

  /** The attempt failed: told to the rate limiter when nothing had come yet, and ended. Returns what to throw. */
  #failed(thrown: unknown): unknown {
    if (!this.#answered) this.#steps.failedUnanswered(this.#attempt!, thrown);
    this.#over = true;
    this.#end();
    return thrown;
  }

  #end(): Batch {
    if (this.#attempt !== undefined && !this.#ended) {
      this.#ended = true;
      this.#steps.end(this.#attempt);
    }
    return DONE;
  }
}

/** The public events of one batch of parts (the whole batch, even past a client-side stop: a part after it may carry usage). */
function eventsOf(accumulator: StreamAccumulator, parts: ModelStreamPart[]): StreamEvent[] {
  if (parts.length === 1) return accumulator.push(parts[0]!);
  const events: StreamEvent[] = [];
  for (const part of parts) for (const event of accumulator.push(part)) events.push(event);
  return events;
}
