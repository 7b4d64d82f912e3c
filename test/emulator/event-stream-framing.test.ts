import assert from "node:assert/strict";
import http2 from "node:http2";
import { crc32 } from "node:zlib";
import { after, before, describe, it } from "node:test";
import { EventStreamCodec } from "@smithy/core/event-streams";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import { answerPlan, SwitchablePlanner } from "./support/stand-in-planner.js";
import { anthropicBody, MODEL_ID } from "./support/sdk-client.js";

const codec = new EventStreamCodec(toUtf8, fromUtf8);

function fetchRaw(url: string, path: string, body: string): Promise<{ headers: http2.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(url);
    const stream = session.request({ ":method": "POST", ":path": path, "content-type": "application/json" });
    const chunks: Buffer[] = [];
    let headers: http2.IncomingHttpHeaders = {};
    stream.on("response", (received) => (headers = received));
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("end", () => {
      session.close();
      resolve({ headers, body: Buffer.concat(chunks) });
    });
    stream.on("error", reject);
    stream.end(body);
  });
}

/** Splits a body into frames, checking each prelude CRC and message CRC by hand. */
function splitFrames(body: Buffer): Buffer[] {
  const frames: Buffer[] = [];
  let offset = 0;
  while (offset < body.length) {
    const total = body.readUInt32BE(offset);
    const headersLength = body.readUInt32BE(offset + 4);
    assert.ok(total >= 16 + headersLength && offset + total <= body.length, "frame length fits the body");
    assert.equal(body.readUInt32BE(offset + 8), crc32(body.subarray(offset, offset + 8)), "prelude CRC");
    assert.equal(body.readUInt32BE(offset + total - 4), crc32(body.subarray(offset, offset + total - 4)), "message CRC");
    frames.push(body.subarray(offset, offset + total));
    offset += total;
  }
  return frames;
}

describe("event-stream framing on the wire", () => {
  const planner = new SwitchablePlanner();
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({ planner: planner.planRequest, auth: false });
  });
  after(() => emulator.close());

  it("InvokeModelWithResponseStream frames: CRCs, chunk headers, {bytes, p} payloads", async () => {
    planner.plan = answerPlan();
    const response = await fetchRaw(emulator.url, `/model/${encodeURIComponent(MODEL_ID)}/invoke-with-response-stream`, anthropicBody());
    assert.equal(response.headers[":status"], 200);
    assert.equal(response.headers["content-type"], "application/vnd.amazon.eventstream");
    assert.equal(response.headers["x-amzn-bedrock-content-type"], "application/json");
    assert.ok(response.headers["x-amzn-requestid"]);
    const frames = splitFrames(response.body);
    assert.equal(frames.length, 9);
    const types = frames.map((frame) => {
      const message = codec.decode(frame);
      assert.deepEqual(Object.keys(message.headers), [":event-type", ":content-type", ":message-type"]);
      assert.deepEqual(message.headers[":event-type"], { type: "string", value: "chunk" });
      assert.deepEqual(message.headers[":content-type"], { type: "string", value: "application/json" });
      assert.deepEqual(message.headers[":message-type"], { type: "string", value: "event" });
      const payload = JSON.parse(toUtf8(message.body));
      assert.deepEqual(Object.keys(payload), ["bytes", "p"]);
      assert.match(payload.p, /^[a-zA-Z0-9]+$/);
      return JSON.parse(Buffer.from(payload.bytes, "base64").toString()).type;
    });
    assert.equal(types[0], "message_start");
    assert.equal(types.at(-1), "message_stop");
  });

  it("ConverseStream frames carry the member name as :event-type", async () => {
    planner.plan = answerPlan({ timing: { firstByteLatencyMs: 0, chunkDelayMs: 0, chunksPerAnswer: 2 } });
    const response = await fetchRaw(emulator.url, `/model/${encodeURIComponent(MODEL_ID)}/converse-stream`, JSON.stringify({ messages: [] }));
    const eventTypes = splitFrames(response.body).map((frame) => codec.decode(frame).headers[":event-type"]?.value);
    assert.deepEqual(eventTypes, ["messageStart", "contentBlockDelta", "contentBlockDelta", "contentBlockStop", "messageStop", "metadata"]);
  });

  it("an exception frame has :message-type exception and the lowerCamel :exception-type", async () => {
    planner.plan = answerPlan({ fault: { type: "exception", afterChunks: 1, name: "throttlingException", message: "slow down" } });
    const response = await fetchRaw(emulator.url, `/model/${encodeURIComponent(MODEL_ID)}/invoke-with-response-stream`, anthropicBody());
    const last = codec.decode(splitFrames(response.body).at(-1)!);
    assert.deepEqual(last.headers[":message-type"], { type: "string", value: "exception" });
    assert.deepEqual(last.headers[":exception-type"], { type: "string", value: "throttlingException" });
    assert.deepEqual(JSON.parse(toUtf8(last.body)), { message: "slow down" });
  });

  it("InvokeModel sends Bedrock's token-count, latency and request-id headers", async () => {
    planner.plan = answerPlan({ usage: { inputTokens: 30, outputTokens: 9, cacheReadInputTokens: 4, cacheWriteInputTokens: 2 } });
    const response = await fetchRaw(emulator.url, `/model/${encodeURIComponent(MODEL_ID)}/invoke`, anthropicBody());
    assert.equal(response.headers[":status"], 200);
    assert.equal(response.headers["content-type"], "application/json");
    assert.equal(response.headers["x-amzn-bedrock-input-token-count"], "30");
    assert.equal(response.headers["x-amzn-bedrock-output-token-count"], "9");
    assert.equal(response.headers["x-amzn-bedrock-cache-read-input-token-count"], "4");
    assert.equal(response.headers["x-amzn-bedrock-cache-write-input-token-count"], "2");
    assert.match(String(response.headers["x-amzn-bedrock-invocation-latency"]), /^\d+$/);
    assert.match(String(response.headers["x-amzn-requestid"]), /^[0-9a-f-]{36}$/);
    assert.ok(Math.abs(Date.parse(String(response.headers["date"])) - Date.now()) < 60_000);
    assert.equal(JSON.parse(response.body.toString()).usage.input_tokens, 30);
  });

  it("a corrupt frame fails its message CRC", async () => {
    planner.plan = answerPlan({ fault: { type: "corrupt_frame", afterChunks: 0 } });
    const response = await fetchRaw(emulator.url, `/model/${encodeURIComponent(MODEL_ID)}/invoke-with-response-stream`, anthropicBody());
    assert.throws(() => splitFrames(response.body), /message CRC/);
  });
});
