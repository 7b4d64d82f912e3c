/**
 * An `application/vnd.amazon.eventstream` body -> its messages, one batch per chunk of bytes received.
 * Frames are cut from the byte stream here (the 4-byte total length that starts each frame) and decoded,
 * CRCs checked, by the SDK's own codec. Exception and error frames are thrown as service errors.
 * Batching per network read (rather than one async step per message) keeps the per-message cost low.
 */
import { EventStreamCodec } from "@smithy/core/event-streams";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";
import { serviceError, serviceErrorFromException } from "./service-error.js";

const codec = new EventStreamCodec(toUtf8, fromUtf8);
export type Message = ReturnType<EventStreamCodec["decode"]>;
/** Prelude (8) + prelude CRC (4) + message CRC (4). */
const MIN_FRAME = 16;
/** Bedrock frames are small; anything this large is a corrupt length prefix, not a frame to wait for. */
const MAX_FRAME = 16 * 1024 * 1024;

/** Whole messages decoded from some bytes, and the error that stopped decoding, if any. */
export interface FramedBytes {
  messages: Message[];
  failure?: Error;
}

/** Splits a byte stream into whole frames, keeping a partial frame until the rest of it arrives. */
export class EventStreamFramer {
  #pending: Buffer | undefined;

  /** Whole messages completed by these bytes; a corrupt frame ends decoding (the messages before it are kept). */
  push(bytes: Uint8Array): FramedBytes {
    let buffer = this.#pending ? Buffer.concat([this.#pending, bytes]) : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const messages: Message[] = [];
    try {
      while (buffer.length >= 4) {
        const length = buffer.readUInt32BE(0);
        if (length < MIN_FRAME || length > MAX_FRAME) throw new Error(`Corrupt event stream: a frame claims a message length of ${length} bytes.`);
        if (buffer.length < length) break;
        messages.push(codec.decode(buffer.subarray(0, length)));
        buffer = buffer.subarray(length);
      }
    } catch (error) {
      this.#pending = undefined;
      return { messages, failure: error as Error };
    }
    this.#pending = buffer.length > 0 ? buffer : undefined;
    return { messages };
  }

  /** Call when the body has ended: a partial frame left over means the stream was cut. */
  end(): void {
    if (this.#pending) throw new Error(`Truncated event message received: the stream ended ${this.#pending.length} bytes into a frame.`);
  }
}

/**
 * Messages of type "event", in batches, each batch turned into what the caller wants by `decode` (a batch it
 * turns into nothing is skipped). An exception or error frame, or a corrupt one, is thrown after the events
 * before it have been handed over (so the caller knows whether part of the answer was seen). Decoding here,
 * rather than in another async generator, saves a hop per batch.
 */
export async function* readEventStream<T>(body: AsyncIterable<Uint8Array>, decode: (events: Message[]) => T[]): AsyncGenerator<T[], void, undefined> {
  const framer = new EventStreamFramer();
  for await (const bytes of body) {
    let { messages, failure } = framer.push(bytes);
    const stop = messages.findIndex(isErrorMessage);
    if (stop !== -1) {
      failure = errorOf(messages[stop]!);
      messages = messages.slice(0, stop);
    }
    const decoded = messages.length > 0 ? decode(messages) : [];
    if (decoded.length > 0) yield decoded;
    if (failure) throw failure;
  }
  framer.end();
}

export function headerString(message: Message, name: string): string | undefined {
  const header = message.headers[name];
  return header?.type === "string" ? header.value : undefined;
}

function isErrorMessage(message: Message): boolean {
  const type = headerString(message, ":message-type");
  return type !== undefined && type !== "event";
}

function errorOf(message: Message): Error {
  if (headerString(message, ":message-type") === "exception") {
    // The header holds the union member ("throttlingException"); the error is named like its class.
    return serviceErrorFromException(capitalize(headerString(message, ":exception-type") ?? "unknownError"), toUtf8(message.body));
  }
  return serviceError(headerString(message, ":error-code") ?? "UnknownError", headerString(message, ":error-message") ?? "no message", undefined);
}

function capitalize(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}
