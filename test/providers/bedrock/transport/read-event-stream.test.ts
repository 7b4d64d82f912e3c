import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { EventStreamCodec } from "@smithy/core/event-streams";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";
import { EventStreamFramer, headerString, readEventStream, type Message } from "../../../../src/providers/bedrock/transport/read-event-stream.js";

const codec = new EventStreamCodec(toUtf8, fromUtf8);
const str = (value: string) => ({ type: "string" as const, value });

function chunkFrame(text: string): Uint8Array {
  const bytes = Buffer.from(JSON.stringify({ type: "content_block_delta", delta: { type: "text_delta", text } })).toString("base64");
  return codec.encode({ headers: { ":message-type": str("event"), ":event-type": str("chunk"), ":content-type": str("application/json") }, body: fromUtf8(JSON.stringify({ bytes })) });
}

function exceptionFrame(member: string, message: string): Uint8Array {
  return codec.encode({ headers: { ":message-type": str("exception"), ":exception-type": str(member), ":content-type": str("application/json") }, body: fromUtf8(JSON.stringify({ message })) });
}

async function* bytesOf(...pieces: Uint8Array[]): AsyncGenerator<Uint8Array> {
  yield* pieces;
}

async function read(body: AsyncIterable<Uint8Array>): Promise<{ batches: Message[][]; error?: Error }> {
  const batches: Message[][] = [];
  try {
    for await (const batch of readEventStream(body, (messages) => messages)) batches.push(batch);
    return { batches };
  } catch (error) {
    return { batches, error: error as Error };
  }
}

const texts = (batches: Message[][]) => batches.flat().map((m) => JSON.parse(Buffer.from(JSON.parse(toUtf8(m.body)).bytes, "base64").toString()).delta.text);

describe("readEventStream", () => {
  it("reassembles frames cut at every byte boundary and batches what each read completes", async () => {
    const all = Buffer.concat([chunkFrame("Hel"), chunkFrame("lo"), chunkFrame("!")]);
    const oneByteAtATime = [...all].map((byte) => Uint8Array.of(byte));
    const { batches, error } = await read(bytesOf(...oneByteAtATime));
    assert.equal(error, undefined);
    assert.deepEqual(texts(batches), ["Hel", "lo", "!"]);
    assert.deepEqual(batches.map((b) => b.length), [1, 1, 1]);

    const together = await read(bytesOf(all));
    assert.deepEqual(together.batches.map((b) => b.length), [3]);
    assert.equal(headerString(together.batches[0]![0]!, ":event-type"), "chunk");
  });

  it("hands over the events before an exception frame, then throws it named like the SDK's class", async () => {
    const { batches, error } = await read(bytesOf(Buffer.concat([chunkFrame("a"), chunkFrame("b"), exceptionFrame("throttlingException", "Too many tokens"), chunkFrame("never")])));
    assert.deepEqual(texts(batches), ["a", "b"]);
    assert.equal(error?.name, "ThrottlingException");
    assert.equal(error?.message, "Too many tokens");
    assert.equal((error as { $fault?: string }).$fault, "client");
  });

  it("throws an error frame with its code and message", async () => {
    const frame = codec.encode({ headers: { ":message-type": str("error"), ":error-code": str("InternalFailure"), ":error-message": str("boom") }, body: new Uint8Array() });
    const { error } = await read(bytesOf(frame));
    assert.equal(error?.name, "InternalFailure");
    assert.equal(error?.message, "boom");
  });

  it("reports a stream cut inside a frame as truncated", async () => {
    const frame = chunkFrame("cut");
    const { batches, error } = await read(bytesOf(chunkFrame("whole"), frame.subarray(0, frame.length - 5)));
    assert.deepEqual(texts(batches), ["whole"]);
    assert.match(error?.message ?? "", /Truncated event message/);
  });

  it("rejects a frame whose CRC does not match, after the good frames before it", async () => {
    const bad = Buffer.from(chunkFrame("bad"));
    bad[bad.length - 10] ^= 0xff;
    const { batches, error } = await read(bytesOf(Buffer.concat([chunkFrame("good"), bad])));
    assert.deepEqual(texts(batches), ["good"]);
    assert.match(error?.message ?? "", /checksum/);
  });

  it("rejects an impossible length prefix instead of waiting for 4 GB", () => {
    const framer = new EventStreamFramer();
    const { messages, failure } = framer.push(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0));
    assert.deepEqual(messages, []);
    assert.match(failure?.message ?? "", /Corrupt event stream/);
  });
});
