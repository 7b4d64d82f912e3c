import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { EventStreamCodec } from "@smithy/core/event-streams";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";
import { BedrockServiceError, NetworkError } from "../../../../src/schema/errors.js";
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
    assert.ok(error instanceof BedrockServiceError);
    assert.equal(error.awsName, "ThrottlingException");
    assert.equal(error.message, "ThrottlingException: Too many tokens");
    assert.equal(error.retryable, true);
    assert.equal(error.throttling, true);
  });

  it("throws an error frame with its code and message", async () => {
    const frame = codec.encode({ headers: { ":message-type": str("error"), ":error-code": str("InternalFailure"), ":error-message": str("boom") }, body: new Uint8Array() });
    const { error } = await read(bytesOf(frame));
    assert.ok(error instanceof BedrockServiceError);
    assert.equal(error.awsName, "InternalFailure");
    assert.equal(error.message, "InternalFailure: boom");
    assert.equal(error.retryable, true);
  });

  it("reports a stream cut inside a frame as truncated", async () => {
    const frame = chunkFrame("cut");
    const { batches, error } = await read(bytesOf(chunkFrame("whole"), frame.subarray(0, frame.length - 5)));
    assert.deepEqual(texts(batches), ["whole"]);
    assert.ok(error instanceof NetworkError);
    assert.equal(error.networkCode, "truncated_response");
    assert.equal(error.retryable, true);
  });

  it("rejects a frame whose CRC does not match, after the good frames before it", async () => {
    const bad = Buffer.from(chunkFrame("bad"));
    bad[bad.length - 10] ^= 0xff;
    const { batches, error } = await read(bytesOf(Buffer.concat([chunkFrame("good"), bad])));
    assert.deepEqual(texts(batches), ["good"]);
    assert.ok(error instanceof NetworkError);
    assert.equal(error.networkCode, "corrupt_response");
    assert.match(error.message, /checksum/);
  });

  it("types a connection lost while reading as a retryable NetworkError with its code", async () => {
    async function* resetAfterOne(): AsyncGenerator<Uint8Array> {
      yield chunkFrame("first");
      throw Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" });
    }
    const { batches, error } = await read(resetAfterOne());
    assert.deepEqual(texts(batches), ["first"]);
    assert.ok(error instanceof NetworkError);
    assert.equal(error.networkCode, "ECONNRESET");
    assert.equal(error.retryable, true);
  });

  it("types an event the decoder cannot read as a corrupt response, with echoed secrets scrubbed from the parser's quote", async () => {
    const secret = "SECRETSECRETSECRET1234";
    const body = async function* (): AsyncGenerator<Uint8Array> {
      yield chunkFrame("x");
    };
    let error: unknown;
    try {
      for await (const _ of readEventStream(body(), () => JSON.parse(`{bad ${secret}`) as never[], [secret])) void _;
    } catch (thrown) {
      error = thrown;
    }
    assert.ok(error instanceof NetworkError);
    assert.equal(error.networkCode, "corrupt_response");
    assert.ok(!error.message.includes(secret), error.message);
  });

  it("rejects an impossible length prefix instead of waiting for 4 GB", () => {
    const framer = new EventStreamFramer();
    const { messages, failure } = framer.push(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0));
    assert.deepEqual(messages, []);
    assert.equal(failure?.networkCode, "corrupt_response");
    assert.match(failure?.message ?? "", /corrupt event stream: a frame claims a length of 4294967295 bytes/);
  });
});
