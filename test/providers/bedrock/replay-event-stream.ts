/** Replays recorded event-stream bytes (test/fixtures/event-streams) through a decoder, without a server. */
import { readFileSync } from "node:fs";
import { Readable } from "node:stream";
import { EventStreamCodec } from "@smithy/core/event-streams";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";
import type { ChatCompletion } from "../../../src/schema/chat-completion.js";
import type { ModelStreamPart } from "../../../src/providers/bedrock/output/model-stream-part.js";
import { StreamAccumulator } from "../../../src/providers/bedrock/output/stream-accumulator.js";

const codec = new EventStreamCodec(toUtf8, fromUtf8);

export function fixture(name: string): Buffer {
  return readFileSync(new URL(`../../fixtures/event-streams/${name}.bin`, import.meta.url));
}

/** The body as the network would hand it over: a stream of pieces that cut frames anywhere. */
export function inPieces(bytes: Uint8Array, size = 37): Readable {
  const pieces: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) pieces.push(Buffer.from(bytes.subarray(i, i + size)));
  return Readable.from(pieces);
}

/** One event frame with the given :event-type and JSON payload. */
export function eventFrame(eventType: string, payload: unknown): Uint8Array {
  return codec.encode({
    headers: { ":event-type": { type: "string", value: eventType }, ":content-type": { type: "string", value: "application/json" }, ":message-type": { type: "string", value: "event" } },
    body: fromUtf8(JSON.stringify(payload)),
  });
}

/** One event frame whose payload is `body` as is (e.g. text that is not JSON). */
export function rawEventFrame(eventType: string, body: string): Uint8Array {
  return codec.encode({
    headers: { ":event-type": { type: "string", value: eventType }, ":content-type": { type: "string", value: "application/json" }, ":message-type": { type: "string", value: "event" } },
    body: fromUtf8(body),
  });
}

/** Every batch a reader hands over before it fails, and the error it fails with (none: it ended). */
export async function readUntilError<T>(batches: AsyncIterable<T[]>): Promise<{ items: T[]; error: unknown }> {
  const items: T[] = [];
  try {
    for await (const batch of batches) items.push(...batch);
  } catch (error) {
    return { items, error };
  }
  return { items, error: undefined };
}

/** An InvokeModelWithResponseStream chunk frame carrying one Anthropic event. */
export const anthropicChunk = (event: unknown): Uint8Array => eventFrame("chunk", { bytes: Buffer.from(JSON.stringify(event)).toString("base64") });

/** Every part, and the completion a StreamAccumulator builds from them. */
export async function accumulate(batches: AsyncIterable<ModelStreamPart[]>): Promise<{ parts: ModelStreamPart[]; completion: ChatCompletion; done: boolean }> {
  const accumulator = new StreamAccumulator("fixture-model", []);
  const parts: ModelStreamPart[] = [];
  for await (const batch of batches) {
    for (const part of batch) {
      parts.push(part);
      accumulator.push(part);
    }
  }
  return { parts, completion: accumulator.completion(), done: accumulator.done };
}
