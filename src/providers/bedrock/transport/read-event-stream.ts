/**
 * An `application/vnd.amazon.eventstream` body -> its messages, one batch per chunk of bytes received.
 * Frames are cut from the byte stream here (the 4-byte total length that starts each frame) and decoded,
 * CRCs checked, by the SDK's own codec. Exception and error frames are thrown as BedrockServiceError; a
 * corrupt or cut stream, or a connection lost while reading, as a retryable NetworkError.
 * Batching per network read (rather than one async step per message) keeps the per-message cost low.
 */
import { EventStreamCodec } from "@smithy/core/event-streams";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";
import { MinionError, NetworkError } from "../../../schema/errors.js";
import { scrub } from "../errors/scrub-secrets.js";
import { networkErrorOf } from "./network-error.js";
import { serviceErrorFromErrorFrame, serviceErrorFromException } from "./service-error.js";

const codec = new EventStreamCodec(toUtf8, fromUtf8);
export type Message = ReturnType<EventStreamCodec["decode"]>;
/** Prelude (8) + prelude CRC (4) + message CRC (4). */
const MIN_FRAME = 16;
/** Bedrock frames are small; anything this large is a corrupt length prefix, not a frame to wait for. */
const MAX_FRAME = 16 * 1024 * 1024;

/** Whole messages decoded from some bytes, and the error that stopped decoding, if any. */
export interface FramedBytes {
  messages: Message[];
  failure?: NetworkError;
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
        if (length < MIN_FRAME || length > MAX_FRAME) throw corrupt(`a frame claims a length of ${length} bytes`);
        if (buffer.length < length) break;
        messages.push(decodeFrame(buffer.subarray(0, length)));
        buffer = buffer.subarray(length);
      }
    } catch (error) {
      this.#pending = undefined;
      return { messages, failure: error as NetworkError };
    }
    this.#pending = buffer.length > 0 ? buffer : undefined;
    return { messages };
  }

  /** Call when the body has ended: a partial frame left over means the stream was cut. */
  end(): void {
    if (this.#pending) {
      const message = `The response from Bedrock was cut: the event stream ended ${this.#pending.length} bytes into a frame.`;
      throw new NetworkError(message, true, { networkCode: "truncated_response" });
    }
  }
}

function decodeFrame(bytes: Uint8Array): Message {
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

/**
 * Messages of type "event", in batches, each batch turned into what the caller wants by `decode` (a batch it
 * turns into nothing is skipped). An exception or error frame, or a corrupt one, is thrown after the events
 * before it have been handed over (so the caller knows whether part of the answer was seen). Decoding here,
 * rather than in another async generator, saves a hop per batch. `secrets` (the request's credentials) are
 * scrubbed from what an exception frame says.
 */
export async function* readEventStream<T>(
  body: AsyncIterable<Uint8Array>,
  decode: (events: Message[]) => T[],
  secrets: readonly string[] = [],
): AsyncGenerator<T[], void, undefined> {
  const framer = new EventStreamFramer();
  try {
    for await (const bytes of body) {
      let { messages, failure }: { messages: Message[]; failure?: Error } = framer.push(bytes);
      const stop = messages.findIndex(isErrorMessage);
      if (stop !== -1) {
        failure = errorOf(messages[stop]!, secrets);
        messages = messages.slice(0, stop);
      }
      const decoded = messages.length > 0 ? decodeEvents(decode, messages, secrets) : [];
      if (decoded.length > 0) yield decoded;
      if (failure) throw failure;
    }
    framer.end();
  } catch (error) {
    // Ours are typed where they start; anything else came from reading the body: the connection was lost.
    throw error instanceof MinionError ? error : networkErrorOf(error, secrets, "while reading the response");
  }
}

/** An event whose payload cannot be decoded (not JSON, not the expected shape) is a corrupt response. */
function decodeEvents<T>(decode: (events: Message[]) => T[], messages: Message[], secrets: readonly string[]): T[] {
  try {
    return decode(messages);
  } catch (error) {
    if (error instanceof MinionError) throw error;
    // A JSON parse error quotes the payload, which a hostile server may have filled with echoed credentials.
    throw corrupt(`an event could not be read: ${scrub(error instanceof Error ? error.message : String(error), secrets)}`);
  }
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

