/**
 * An `application/vnd.amazon.eventstream` response body -> its events, decoded, in batches (what one network
 * read completes). Frames are cut from the byte stream here (the 4-byte total length that starts each frame)
 * and decoded, CRCs checked, by the SDK's own codec. Exception and error frames are thrown as
 * BedrockServiceError; a corrupt or cut stream, or a connection lost while reading, as a retryable
 * NetworkError; a silence longer than the idle timeout as TimeoutError "idle"; an abort as the signal's reason.
 *
 * The reader is pushed to by the body's `data` events and hands batches to `next()` directly: no async
 * generator, no per-read promise besides the caller's own, one idle timer per stream (re-armed, not
 * re-created). This is the streamed path's hot loop (bench/RESULTS.md, "Against the floor").
 */
import type { Readable } from "node:stream";
import type { EventStreamCodec } from "@smithy/core/event-streams";
import { MinionError, NetworkError, TimeoutError } from "../../../schema/errors.js";
import { lazyPackage } from "../../lazy-package.js";
import { scrub } from "../errors/scrub-secrets.js";
import { networkErrorOf } from "./network-error.js";
import { serviceErrorFromErrorFrame, serviceErrorFromException } from "./service-error.js";

export type Message = ReturnType<EventStreamCodec["decode"]>;

/** The SDK's codec, imported at the first stream rather than with the library (~23 ms of a cold start, bench:cold-start). */
let codec: EventStreamCodec | undefined;
/** The SDK's CRC-32 (zlib's where Node has it: node:zlib's crc32 came in Node 20.15), loaded with the codec. */
let crc32: ((bytes: Uint8Array) => number) | undefined;
const toUtf8 = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");

/** Loads the codec once; a protocol starts it with the request, so that the wait for the answer covers it. */
const loadEventStreamCodec: () => Promise<void> = lazyPackage("@smithy/core", async () => {
  const [{ EventStreamCodec }, { Crc32 }] = await Promise.all([import("@smithy/core/event-streams"), import("@smithy/core/checksum")]);
  crc32 = (bytes) => {
    const checksum = new Crc32();
    checksum.update(bytes);
    return checksum.digestSync();
  };
  codec = new EventStreamCodec(toUtf8, (text) => Buffer.from(text, "utf8"));
});

/**
 * The response of an event-stream request, once the codec is loaded too: it loads while the request is out,
 * so the wait for the answer covers it. If it cannot be loaded the response is destroyed, not leaked.
 */
export async function withEventStreamCodec<R extends Readable>(opening: Promise<R>): Promise<R> {
  if (codec !== undefined) return opening;
  const codecReady = loadEventStreamCodec();
  codecReady.catch(() => undefined); // a failed request is the error to report; the codec's comes below
  const response = await opening;
  try {
    await codecReady;
  } catch (error) {
    response.destroy();
    throw error;
  }
  return response;
}
/** Total length (4) + headers length (4) + their CRC (4). */
const PRELUDE = 12;
/** Prelude + message CRC (4). */
const MIN_FRAME = 16;
/** Bedrock frames are small; anything this large is a corrupt length prefix, not a frame to wait for. */
const MAX_FRAME = 16 * 1024 * 1024;
/**
 * A whole stream's bound: the longest answers (128K output tokens, one event each, base64 in JSON) are about
 * 32 MB. Past it, the stream is a server that never ends, and the answer it builds would exhaust memory.
 */
export const MAX_STREAM_BYTES = 128 * 1024 * 1024;
/** Bytes decoded but not yet taken by the caller above which the body is paused (a slow consumer). */
const HIGH_WATER_BYTES = 64 * 1024;

/** Whole messages decoded from some bytes, and the error that stopped decoding, if any. */
export interface FramedBytes {
  messages: Message[];
  failure?: NetworkError;
}

/**
 * Splits a byte stream into whole frames, keeping a partial frame until the rest of it arrives. The pieces of
 * a partial frame are kept as they came and joined once it is whole: joining at each piece would copy a
 * large frame sent in small pieces once per piece (16 MB in 1 KB pieces: ~32 s of CPU).
 */
export class EventStreamFramer {
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  /** Bytes the partial frame needs before it is worth joining: its prelude, then its whole length. */
  #needed = 0;

  /** Whole messages completed by these bytes; a corrupt frame ends decoding (the messages before it are kept). */
  push(bytes: Uint8Array): FramedBytes {
    const piece = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (this.#pendingBytes + piece.length < this.#needed) {
      this.#pending.push(piece);
      this.#pendingBytes += piece.length;
      return { messages: [] };
    }
    let buffer = this.#pendingBytes === 0 ? piece : Buffer.concat([...this.#pending, piece]);
    this.#keep(undefined);
    const messages: Message[] = [];
    try {
      while (buffer.length >= 4) {
        const length = buffer.readUInt32BE(0);
        if (length < MIN_FRAME || length > MAX_FRAME) throw corrupt(`a frame claims a length of ${length} bytes`);
        if (buffer.length < length) {
          checkPrelude(buffer);
          break;
        }
        messages.push(decodeFrame(buffer.subarray(0, length)));
        buffer = buffer.subarray(length);
      }
    } catch (error) {
      return { messages, failure: error as NetworkError };
    }
    this.#keep(buffer.length > 0 ? buffer : undefined);
    return { messages };
  }

  /** Keeps the start of a partial frame (or nothing). */
  #keep(partial: Buffer | undefined): void {
    this.#pending = partial ? [partial] : [];
    this.#pendingBytes = partial?.length ?? 0;
    this.#needed = partial === undefined ? 0 : partial.length < PRELUDE ? PRELUDE : partial.readUInt32BE(0);
  }

  /** Call when the body has ended: a partial frame left over means the stream was cut. */
  end(): void {
    if (this.#pendingBytes > 0) {
      const message = `The response from Bedrock was cut: the event stream ended ${this.#pendingBytes} bytes into a frame.`;
      throw new NetworkError(message, true, { networkCode: "truncated_response" });
    }
  }
}

/**
 * The prelude (total length, headers length, their CRC) of a frame still arriving, checked once it is whole:
 * a corrupt one fails at once rather than after the megabytes it claims.
 */
function checkPrelude(partial: Buffer): void {
  if (partial.length < PRELUDE) return;
  const expected = partial.readUInt32BE(8);
  if (crc32 === undefined) throw new Error("The event-stream codec is not loaded yet: read streams with readEventStream, which loads it.");
  const actual = crc32(partial.subarray(0, 8));
  if (actual !== expected) throw corrupt(`the prelude checksum (${expected}) does not match the prelude (${actual})`);
}

function decodeFrame(bytes: Uint8Array): Message {
  if (codec === undefined) throw new Error("The event-stream codec is not loaded yet: read streams with readEventStream, which loads it.");
  try {
    return codec.decode(bytes);
  } catch (error) {
    // The codec's own checks (prelude and message CRCs, header lengths); its message names which failed.
    throw corrupt(error instanceof Error ? error.message : String(error));
  }
}

function corrupt(what: string): NetworkError {
  return new NetworkError(`The response from Bedrock could not be decoded (corrupt event stream: ${what}).`, true, { networkCode: "corrupt_response" });
}

export interface ReadEventStreamOptions<T> {
  /** Items handed over before the body's (e.g. what the response headers said). */
  leading?: T[];
  /** Items the decoder held back until the body ended (called once, after the last event). */
  end?: () => T[];
  /** Longest wait for the next batch, ms; undefined = none. Time the caller spends on a batch is not counted. */
  idleMs?: number | undefined;
  /** Called once when the idle timeout fires, to cut the call. */
  onIdle?: ((error: TimeoutError) => void) | undefined;
  /** The call's signal: once it fires, reading stops with its reason (the body is destroyed). */
  signal?: AbortSignal | undefined;
  /** The request's credentials, scrubbed from what an exception frame or a parse error says. */
  secrets?: readonly string[];
}

/**
 * Turns the events of one network read into what the caller wants, pushed onto `into` (a batch it turns into
 * nothing is skipped). It throws on an event it cannot read, with the items of the events before it already
 * pushed: those are handed over before the error.
 */
export type DecodeEvents<T> = (events: Message[], into: T[]) => void;

/**
 * Messages of type "event", in batches, each batch turned into what the caller wants by `decode`. An
 * exception or error frame, a corrupt frame, or an event `decode` cannot read, is thrown after the items of
 * the events before it have been handed over (so the caller knows whether part of the answer was seen).
 */
export async function readEventStream<T>(body: Readable, decode: DecodeEvents<T>, options: ReadEventStreamOptions<T> = {}): Promise<EventStreamReader<T>> {
  if (codec === undefined) await loadEventStreamCodec();
  return new EventStreamReader(body, decode, options);
}

interface Waiter<T> {
  resolve: (result: IteratorResult<T[], undefined>) => void;
  reject: (error: unknown) => void;
}

export class EventStreamReader<T> implements AsyncIterableIterator<T[], undefined> {
  readonly #body: Readable;
  readonly #decode: DecodeEvents<T>;
  readonly #options: ReadEventStreamOptions<T>;
  readonly #secrets: readonly string[];
  readonly #framer = new EventStreamFramer();
  /** Decoded items not yet taken, and the bytes they came from (for backpressure). */
  #ready: T[] | undefined;
  #readyBytes = 0;
  #totalBytes = 0;
  #waiter: Waiter<T> | undefined;
  /** Why reading stopped (handed over once the items before it are taken). */
  #failure: Error | undefined;
  #ended = false;
  /** Listeners detached and the timer cleared (the body ended, failed, or the caller left). */
  #closed = false;
  #timer: NodeJS.Timeout | undefined;

  constructor(body: Readable, decode: DecodeEvents<T>, options: ReadEventStreamOptions<T>) {
    this.#body = body;
    this.#decode = decode;
    this.#options = options;
    this.#secrets = options.secrets ?? [];
    if (options.leading !== undefined && options.leading.length > 0) this.#ready = options.leading;
    body.on("data", this.#onData);
    body.on("end", this.#onEnd);
    body.on("error", this.#onError);
    body.on("close", this.#onClose);
    const signal = options.signal;
    if (signal?.aborted) this.#onAbort();
    else signal?.addEventListener("abort", this.#onAbort, { once: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<T[], undefined>> {
    const ready = this.#ready;
    if (ready !== undefined) {
      this.#ready = undefined;
      this.#readyBytes = 0;
      if (this.#body.isPaused() && !this.#closed) this.#body.resume();
      return Promise.resolve({ done: false, value: ready });
    }
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    if (this.#ended) return Promise.resolve({ done: true, value: undefined });
    if (this.#waiter !== undefined) return Promise.reject(new Error("EventStreamReader.next() called while a read is pending."));
    this.#armIdle();
    return new Promise((resolve, reject) => (this.#waiter = { resolve, reject }));
  }

  /** The caller is done: the body is destroyed (its connection is not reused) unless it had ended. */
  return(): Promise<IteratorResult<T[], undefined>> {
    this.#ready = undefined;
    if (!this.#closed) this.#close(!this.#ended);
    this.#ended = true;
    this.#failure = undefined;
    return Promise.resolve({ done: true, value: undefined });
  }

  /** An abort (the caller's, the total timeout) ends reading at once: what was decoded but not taken is dropped. */
  readonly #onAbort = (): void => {
    this.#ready = undefined;
    this.#stop(reasonOf(this.#options.signal!));
  };

  readonly #onData = (bytes: Buffer): void => {
    if (this.#closed) return;
    this.#totalBytes += bytes.length;
    if (this.#totalBytes > MAX_STREAM_BYTES) {
      return this.#stop(new NetworkError(`The event stream from Bedrock is larger than ${MAX_STREAM_BYTES} bytes; reading it was stopped.`, false, { networkCode: "response_too_large" }));
    }
    const { messages, failure } = this.#framer.push(bytes);
    let stop = failure as Error | undefined;
    let events = messages;
    const errorAt = messages.findIndex(isErrorMessage);
    if (errorAt !== -1) {
      stop = errorOf(messages[errorAt]!, this.#secrets);
      events = messages.slice(0, errorAt);
    }
    if (events.length > 0) {
      const into = this.#ready ?? [];
      const held = into.length;
      try {
        this.#decode(events, into);
      } catch (error) {
        stop = this.#undecodable(error);
      }
      // Also after a throw: the items of the good events before the bad one go out before the error.
      if (into.length > held) {
        this.#ready = into;
        this.#readyBytes += bytes.length;
      }
    }
    if (stop !== undefined) return this.#stop(stop);
    this.#wake();
    if (this.#waiter === undefined && this.#readyBytes > HIGH_WATER_BYTES) this.#body.pause();
  };

  readonly #onEnd = (): void => {
    if (this.#closed) return;
    try {
      this.#framer.end();
      if (this.#options.end) this.#add(this.#options.end(), 0);
    } catch (error) {
      return this.#stop(error instanceof MinionError ? error : this.#undecodable(error));
    }
    this.#ended = true;
    this.#close(false);
    this.#wake();
  };

  readonly #onError = (error: Error): void => {
    if (this.#closed) return;
    const signal = this.#options.signal;
    this.#stop(signal?.aborted ? reasonOf(signal) : networkErrorOf(error, this.#secrets, "while reading the response"));
  };

  /** Closed before its end without an error: destroyed (an abort through the transport) or the socket cut. */
  readonly #onClose = (): void => {
    if (this.#closed) return;
    const signal = this.#options.signal;
    const cut = Object.assign(new Error("Premature close"), { code: "ERR_STREAM_PREMATURE_CLOSE" });
    this.#stop(signal?.aborted ? reasonOf(signal) : networkErrorOf(cut, this.#secrets, "while reading the response"));
  };

  #add(items: T[], bytes: number): void {
    if (items.length === 0) return;
    if (this.#ready === undefined) this.#ready = items;
    else for (const item of items) this.#ready.push(item);
    this.#readyBytes += bytes;
  }

  /** An event whose payload cannot be decoded (not JSON, not the expected shape) is a corrupt response. */
  #undecodable(error: unknown): Error {
    if (error instanceof MinionError) return error;
    // A JSON parse error quotes the payload, which a hostile server may have filled with echoed credentials.
    return corrupt(`an event could not be read: ${scrub(error instanceof Error ? error.message : String(error), this.#secrets)}`);
  }

  /** Reading ends with `error`, handed over after the items already decoded. */
  #stop(error: Error): void {
    this.#failure ??= error;
    if (!this.#closed) this.#close(true);
    this.#wake();
  }

  /** Hands what is ready (or the failure, or the end) to a pending next(). */
  #wake(): void {
    const waiter = this.#waiter;
    if (waiter === undefined) return;
    const ready = this.#ready;
    if (ready !== undefined) {
      this.#waiter = undefined;
      this.#ready = undefined;
      this.#readyBytes = 0;
      waiter.resolve({ done: false, value: ready });
    } else if (this.#failure !== undefined) {
      this.#waiter = undefined;
      waiter.reject(this.#failure);
    } else if (this.#ended) {
      this.#waiter = undefined;
      waiter.resolve({ done: true, value: undefined });
    }
  }

  #close(destroy: boolean): void {
    this.#closed = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    const body = this.#body;
    body.off("data", this.#onData);
    body.off("end", this.#onEnd);
    body.off("close", this.#onClose);
    this.#options.signal?.removeEventListener("abort", this.#onAbort);
    // The error listener stays: a destroyed body may still emit one, which must not become an uncaught error.
    if (destroy) body.destroy();
  }

  /** The idle timer counts only while a next() waits; it is created once and re-armed for each wait. */
  #armIdle(): void {
    const idleMs = this.#options.idleMs;
    if (idleMs === undefined) return;
    if (this.#timer !== undefined) {
      this.#timer.refresh();
      return;
    }
    this.#timer = setTimeout(() => {
      if (this.#waiter === undefined || this.#closed) return;
      const error = new TimeoutError("idle", idleMs);
      this.#stop(error);
      this.#options.onIdle?.(error);
    }, idleMs);
  }
}

function reasonOf(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new Error(String(reason));
}

export function headerString(message: Message, name: string): string | undefined {
  const header = message.headers[name];
  return header?.type === "string" ? header.value : undefined;
}

function isErrorMessage(message: Message): boolean {
  const type = headerString(message, ":message-type");
  return type !== undefined && type !== "event";
}

function errorOf(message: Message, secrets: readonly string[]): Error {
  if (headerString(message, ":message-type") === "exception") {
    return serviceErrorFromException(headerString(message, ":exception-type") ?? "unknownError", toUtf8(message.body), secrets);
  }
  return serviceErrorFromErrorFrame(headerString(message, ":error-code"), headerString(message, ":error-message"), secrets);
}
