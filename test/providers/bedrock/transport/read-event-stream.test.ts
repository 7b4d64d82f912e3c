import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { describe, it } from "node:test";
import { EventStreamCodec } from "@smithy/core/event-streams";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";
import { AbortError, BedrockServiceError, NetworkError, TimeoutError } from "../../../../src/schema/errors.js";
import { EventStreamFramer, headerString, readEventStream, type Message, type ReadEventStreamOptions } from "../../../../src/providers/bedrock/transport/read-event-stream.js";

const codec = new EventStreamCodec(toUtf8, fromUtf8);
const str = (value: string) => ({ type: "string" as const, value });

function chunkFrame(text: string): Uint8Array {
  const bytes = Buffer.from(JSON.stringify({ type: "content_block_delta", delta: { type: "text_delta", text } })).toString("base64");
  return codec.encode({ headers: { ":message-type": str("event"), ":event-type": str("chunk"), ":content-type": str("application/json") }, body: fromUtf8(JSON.stringify({ bytes })) });
}

function exceptionFrame(member: string, message: string): Uint8Array {
  return codec.encode({ headers: { ":message-type": str("exception"), ":exception-type": str(member), ":content-type": str("application/json") }, body: fromUtf8(JSON.stringify({ message })) });
}

function bytesOf(...pieces: Uint8Array[]): Readable {
  return Readable.from(pieces.map((piece) => Buffer.from(piece)));
}

async function read(body: Readable, options: ReadEventStreamOptions<Message> = {}): Promise<{ batches: Message[][]; error?: Error }> {
  const batches: Message[][] = [];
  try {
    for await (const batch of await readEventStream(body, (messages: Message[], into: Message[]) => into.push(...messages), options)) batches.push(batch);
    return { batches };
  } catch (error) {
    return { batches, error: error as Error };
  }
}

const texts = (batches: Message[][]) => batches.flat().map((m) => JSON.parse(Buffer.from(JSON.parse(toUtf8(m.body)).bytes, "base64").toString()).delta.text);

describe("readEventStream", () => {
  it("reassembles frames cut at every byte boundary and batches what the caller has not taken yet", async () => {
    const all = Buffer.concat([chunkFrame("Hel"), chunkFrame("lo"), chunkFrame("!")]);
    const oneByteAtATime = [...all].map((byte) => Uint8Array.of(byte));
    const { batches, error } = await read(bytesOf(...oneByteAtATime));
    assert.equal(error, undefined);
    assert.deepEqual(texts(batches), ["Hel", "lo", "!"]);
    assert.equal(batches.flat().length, 3);

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
    async function* resetAfterOne(): AsyncGenerator<Buffer> {
      yield Buffer.from(chunkFrame("first"));
      throw Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" });
    }
    const { batches, error } = await read(Readable.from(resetAfterOne()));
    assert.deepEqual(texts(batches), ["first"]);
    assert.ok(error instanceof NetworkError);
    assert.equal(error.networkCode, "ECONNRESET");
    assert.equal(error.retryable, true);
  });

  it("types an event the decoder cannot read as a corrupt response, with echoed secrets scrubbed from the parser's quote", async () => {
    const secret = "SECRETSECRETSECRET1234";
    let error: unknown;
    try {
      for await (const _ of await readEventStream(bytesOf(chunkFrame("x")), () => JSON.parse(`{bad ${secret}`), { secrets: [secret] })) void _;
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

  it("checks a frame's prelude as soon as it arrives: a bad prelude CRC fails without waiting for the length it claims", () => {
    const prelude = Buffer.alloc(12);
    prelude.writeUInt32BE(16 * 1024 * 1024, 0);
    prelude.writeUInt32BE(0x12345678, 8);
    const framer = new EventStreamFramer();
    assert.equal(framer.push(prelude.subarray(0, 6)).failure, undefined, "not enough bytes to check yet");
    const { messages, failure } = framer.push(prelude.subarray(6));
    assert.deepEqual(messages, []);
    assert.equal(failure?.networkCode, "corrupt_response");
    assert.match(failure?.message ?? "", /prelude/);
  });

  it("copies a large frame that arrives in small pieces about once, not once per piece", async () => {
    await read(bytesOf(chunkFrame("load the codec")));
    const frame = Buffer.from(chunkFrame("x".repeat(1024 * 1024)));
    const framer = new EventStreamFramer();
    const concat = Buffer.concat;
    let copied = 0;
    Buffer.concat = (list: readonly Uint8Array[], length?: number) => {
      const joined = concat(list, length);
      copied += joined.length;
      return joined;
    };
    const messages: Message[] = [];
    try {
      for (let at = 0; at < frame.length; at += 1024) messages.push(...framer.push(frame.subarray(at, at + 1024)).messages);
    } finally {
      Buffer.concat = concat;
    }
    assert.equal(messages.length, 1);
    assert.ok(copied <= 2 * frame.length, `${copied} bytes copied to frame ${frame.length}`);
  });

  it("types a body closed before its end (no error, no end) as a retryable NetworkError", async () => {
    const body = stalling(chunkFrame("first"));
    const reading = read(body);
    setTimeout(() => body.destroy(), 20);
    const { batches, error } = await reading;
    assert.deepEqual(texts(batches), ["first"]);
    assert.ok(error instanceof NetworkError, String(error));
    assert.equal(error.networkCode, "ERR_STREAM_PREMATURE_CLOSE");
    assert.equal(error.retryable, true);
  });

  it("holds the parts held back by the decoder until the end, then hands them over last", async () => {
    const reader = await readEventStream(bytesOf(chunkFrame("a")), (messages: Message[], into: string[]) => messages.forEach(() => into.push("event")), { leading: ["head"], end: () => ["tail"] });
    const seen: string[][] = [];
    for await (const batch of reader) seen.push(batch);
    assert.deepEqual(seen.flat(), ["head", "event", "tail"]);
  });
});

/** A body that sends `frames`, then stays silent (a stalled connection) until destroyed. */
function stalling(...frames: Uint8Array[]): Readable {
  const body = new Readable({ read() {} });
  for (const frame of frames) body.push(Buffer.from(frame));
  return body;
}

describe("readEventStream timeouts and cancellation", () => {
  it("raises TimeoutError kind idle when the body goes silent, tells onIdle once and destroys the body", async () => {
    const body = stalling(chunkFrame("first"));
    const cut: TimeoutError[] = [];
    const { batches, error } = await read(body, { idleMs: 30, onIdle: (e) => cut.push(e) });
    assert.deepEqual(texts(batches), ["first"]);
    assert.ok(error instanceof TimeoutError, String(error));
    assert.equal(error.kind, "idle");
    assert.equal(error.timeoutMs, 30);
    assert.deepEqual(cut, [error]);
    assert.equal(body.destroyed, true);
  });

  it("does not count the time the caller spends on a batch as silence", async () => {
    const body = stalling(chunkFrame("a"));
    const reader = await readEventStream(body, (messages: Message[], into: Message[]) => into.push(...messages), { idleMs: 40 });
    assert.equal((await reader.next()).done, false);
    await new Promise((resolve) => setTimeout(resolve, 120)); // the caller is busy three idle periods
    setTimeout(() => body.push(Buffer.from(chunkFrame("b"))), 10);
    const next = await reader.next();
    assert.equal(next.done, false);
    body.push(null);
    assert.equal((await reader.next()).done, true);
  });

  it("throws the signal's reason (total timeout, abort) while waiting, and destroys the body", async () => {
    for (const reason of [new TimeoutError("total", 50), new AbortError("user")]) {
      const body = stalling(chunkFrame("x"));
      const controller = new AbortController();
      const reading = read(body, { signal: controller.signal });
      setTimeout(() => controller.abort(reason), 20);
      const { batches, error } = await reading;
      assert.deepEqual(texts(batches), ["x"]);
      assert.equal(error, reason);
      assert.equal(body.destroyed, true);
    }
  });

  it("an already-aborted signal stops reading before anything is handed over", async () => {
    const controller = new AbortController();
    controller.abort(new AbortError("before"));
    const { batches, error } = await read(bytesOf(chunkFrame("never")), { signal: controller.signal });
    assert.deepEqual(batches, []);
    assert.ok(error instanceof AbortError);
  });

  it("return() destroys a body that has not ended, and reading is then over", async () => {
    const body = stalling(chunkFrame("a"));
    const reader = await readEventStream(body, (messages: Message[], into: Message[]) => into.push(...messages), { idleMs: 10_000 });
    await reader.next();
    await reader.return();
    assert.equal(body.destroyed, true);
    assert.equal((await reader.next()).done, true);
  });

  it("pauses a body whose events the caller does not take (backpressure), and resumes when it does", async () => {
    const body = new Readable({ read() {} });
    const reader = await readEventStream(body, (messages: Message[], into: Message[]) => into.push(...messages));
    const frame = Buffer.from(chunkFrame("x".repeat(4096)));
    for (let i = 0; i < 40; i++) body.push(frame);
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(body.isPaused(), true, "over 64 KB decoded and not taken");
    const batch = await reader.next();
    assert.equal(batch.done, false);
    assert.equal(body.isPaused(), false);
    await reader.return();
  });
});
