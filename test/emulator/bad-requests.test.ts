import assert from "node:assert/strict";
import http2 from "node:http2";
import net from "node:net";
import { after, before, describe, it } from "node:test";
import { InvokeModelCommand, ValidationException } from "@aws-sdk/client-bedrock-runtime";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import { rawRequest } from "./support/raw-http.js";
import { CONVERSE_MESSAGES, MODEL_ID, sdkClient } from "./support/sdk-client.js";
import { SwitchablePlanner } from "./support/stand-in-planner.js";

const CONVERSE_PATH = `/model/${encodeURIComponent(MODEL_ID)}/converse`;

function rawSocketExchange(port: number, payload: string, endAfterWrite: boolean): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1", () => {
      socket.write(payload);
      if (endAfterWrite) socket.end();
    });
    let received = "";
    socket.on("data", (chunk) => (received += chunk.toString()));
    socket.on("close", () => resolve(received));
    socket.on("error", () => resolve(received));
  });
}

describe("bad input", () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({ planner: new SwitchablePlanner().planRequest, auth: false, maxBodyBytes: 1000 });
  });
  after(() => emulator.close());

  async function expectServing(): Promise<void> {
    const response = await rawRequest(emulator.url, { path: CONVERSE_PATH, body: JSON.stringify({ messages: CONVERSE_MESSAGES }) });
    assert.equal(response.status, 200);
  }

  it("malformed JSON -> 400 ValidationException saying so", async () => {
    const response = await rawRequest(emulator.url, { path: CONVERSE_PATH, body: '{"messages": [' });
    assert.equal(response.status, 400);
    assert.match(String(response.headers["x-amzn-errortype"]), /^ValidationException:/);
    assert.match(JSON.parse(response.body.toString()).message, /not valid JSON/);
    await expectServing();
  });

  it("empty body -> 400 ValidationException", async () => {
    const response = await rawRequest(emulator.url, { path: CONVERSE_PATH, body: "" });
    assert.equal(response.status, 400);
    assert.match(JSON.parse(response.body.toString()).message, /body is empty/);
  });

  it("oversized body -> 400 ValidationException naming the limit, then keeps serving", async () => {
    const response = await rawRequest(emulator.url, { path: CONVERSE_PATH, body: "x".repeat(5000) });
    assert.equal(response.status, 400);
    assert.match(JSON.parse(response.body.toString()).message, /5000 bytes, over the limit of 1000 bytes/);
    await expectServing();
  });

  it("unknown path -> 404 JSON error", async () => {
    const response = await rawRequest(emulator.url, { path: "/model/x/summon", body: "{}" });
    assert.equal(response.status, 404);
    assert.match(String(response.headers["x-amzn-errortype"]), /^UnknownOperationException:/);
    assert.match(JSON.parse(response.body.toString()).message, /No Bedrock Runtime operation/);
  });

  it("wrong method -> 405 JSON error", async () => {
    const response = await rawRequest(emulator.url, { method: "GET", path: CONVERSE_PATH });
    assert.equal(response.status, 405);
    assert.match(JSON.parse(response.body.toString()).message, /use POST/);
  });

  it("a truncated request (client ends its side mid-body) -> 400 ValidationException, then keeps serving", async () => {
    const port = Number(new URL(emulator.url).port);
    const received = await rawSocketExchange(port, `POST ${CONVERSE_PATH} HTTP/1.1\r\nhost: x\r\ncontent-length: 100\r\n\r\n{"messa`, true);
    assert.match(received, /^HTTP\/1\.1 400/);
    assert.match(received, /x-amzn-errortype: ValidationException/);
    assert.match(received, /truncated/);
    await expectServing();
  });

  it("a client that vanishes mid-body (socket destroyed) leaves nothing behind", async () => {
    const port = Number(new URL(emulator.url).port);
    await new Promise<void>((resolve) => {
      const socket = net.connect(port, "127.0.0.1", () => {
        socket.write(`POST ${CONVERSE_PATH} HTTP/1.1\r\nhost: x\r\ncontent-length: 100\r\n\r\n{"messa`);
        setTimeout(() => {
          socket.destroy();
          resolve();
        }, 20);
      });
      socket.on("error", () => resolve());
    });
    await expectServing();
    assert.equal(emulator.metrics.streamsInFlight, 0);
  });

  it("an HTTP/2 preface followed by garbage is dropped and serving goes on", async () => {
    const port = Number(new URL(emulator.url).port);
    await rawSocketExchange(port, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\nthis is not a frame at all..........", false);
    await expectServing();
  });

  it("bytes that are not HTTP get a JSON 400 and the connection is closed", async () => {
    const port = Number(new URL(emulator.url).port);
    const received = await rawSocketExchange(port, "HELLO THERE\r\n\r\n", false);
    assert.match(received, /^HTTP\/1\.1 400/);
    assert.match(received, /"message"/);
    await expectServing();
  });

  it("malformed JSON over HTTP/2 -> 400", async () => {
    const session = http2.connect(emulator.url);
    try {
      const status = await new Promise<number>((resolve, reject) => {
        const stream = session.request({ ":method": "POST", ":path": CONVERSE_PATH });
        stream.on("response", (headers) => resolve(Number(headers[":status"])));
        stream.on("error", reject);
        stream.end("{oops");
        stream.resume();
      });
      assert.equal(status, 400);
    } finally {
      session.close();
    }
  });
});

describe("bad input through the signed SDK", () => {
  it("an InvokeModel body that is not JSON -> ValidationException 400", async () => {
    const emulator = await startEmulator();
    const client = sdkClient(emulator);
    try {
      await assert.rejects(
        client.send(new InvokeModelCommand({ modelId: MODEL_ID, body: "{not json" })),
        (error: unknown) => error instanceof ValidationException && error.$metadata.httpStatusCode === 400 && /not valid JSON/.test(error.message),
      );
    } finally {
      client.destroy();
      await emulator.close();
    }
  });
});
