import assert from "node:assert/strict";
import http from "node:http";
import http2 from "node:http2";
import { after, before, describe, it } from "node:test";
import { Hash } from "@smithy/hash-node";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import { EMULATOR_API_KEY, EXAMPLE_CREDENTIALS, startEmulator, type Emulator } from "../../src/emulator/index.js";
import { MODEL_ID } from "./support/sdk-client.js";
import { SwitchablePlanner } from "./support/stand-in-planner.js";

const PATH = `/model/${encodeURIComponent(MODEL_ID)}/converse`;
const TWENTY_MB = Buffer.alloc(20_000_000, 0x61);
/** What "read only a small amount" means: well under a tenth of the upload. */
const SMALL = 2_000_000;
const HANG_GUARD_MS = 20_000;

interface Outcome {
  status?: number;
  errorType?: string;
  message?: string;
}

/** Sends `body` over HTTP/1.1 and resolves with the response (if one came) once the connection is closed. */
function uploadHttp1(url: string, headers: Record<string, string>, body: Buffer, chunked = false): Promise<Outcome> {
  return new Promise((resolve) => {
    const outcome: Outcome = {};
    const req = http.request(new URL(PATH, url), { method: "POST", headers: chunked ? headers : { ...headers, "content-length": String(body.length) }, agent: false }, (res) => {
      outcome.status = res.statusCode;
      outcome.errorType = String(res.headers["x-amzn-errortype"] ?? "").split(":")[0];
      let text = "";
      res.on("data", (chunk: Buffer) => (text += chunk.toString()));
      res.on("end", () => (outcome.message = JSON.parse(text).message));
      res.on("error", () => undefined);
    });
    req.on("error", () => undefined);
    req.on("close", () => setImmediate(() => resolve(outcome)));
    const guard = setTimeout(() => req.destroy(new Error("hang guard")), HANG_GUARD_MS);
    req.on("close", () => clearTimeout(guard));
    if (chunked) {
      for (let offset = 0; offset < body.length; offset += 1_000_000) req.write(body.subarray(offset, offset + 1_000_000));
      req.end();
    } else {
      req.end(body);
    }
  });
}

/** With `declareLength` false the body goes without content-length, as a stream the server must cut off. */
function uploadHttp2(url: string, headers: Record<string, string>, body: Buffer, declareLength = true): Promise<Outcome & { rstCode?: number }> {
  return new Promise((resolve) => {
    const session = http2.connect(url);
    session.on("error", () => undefined);
    const outcome: Outcome & { rstCode?: number } = {};
    const stream = session.request({ ":method": "POST", ":path": PATH, ...(declareLength ? { "content-length": String(body.length) } : {}), ...headers });
    stream.on("response", (responseHeaders) => {
      outcome.status = Number(responseHeaders[":status"]);
      outcome.errorType = String(responseHeaders["x-amzn-errortype"] ?? "").split(":")[0];
    });
    let text = "";
    stream.on("data", (chunk: Buffer) => (text += chunk.toString()));
    stream.on("error", () => undefined);
    const guard = setTimeout(() => stream.close(http2.constants.NGHTTP2_CANCEL), HANG_GUARD_MS);
    let settled = false;
    const settle = (): void => {
      if (settled) return;
      settled = true;
      clearTimeout(guard);
      outcome.rstCode = stream.rstCode;
      if (text) outcome.message = JSON.parse(text).message;
      stream.destroy();
      session.close();
      resolve(outcome);
    };
    stream.on("close", settle);
    // Node's client emits no "close" for a stream the server reset while its own writes were still queued,
    // though the reset has come (rstCode is set) and the response has ended.
    stream.on("end", () => setImmediate(() => stream.rstCode !== undefined && settle()));
    // Written with backpressure: a client that queues 20 MB at once trips its own session memory limit.
    let offset = 0;
    const pump = (): void => {
      while (offset < body.length) {
        const more = stream.write(body.subarray(offset, offset + 65_536));
        offset += 65_536;
        if (!more) {
          stream.once("drain", pump);
          return;
        }
      }
      stream.end();
    };
    pump();
  });
}

async function signedHeaders(url: string, secretAccessKey: string, body: Buffer): Promise<Record<string, string>> {
  const signer = new SignatureV4({
    service: "bedrock",
    region: "us-east-1",
    credentials: { accessKeyId: EXAMPLE_CREDENTIALS.accessKeyId, secretAccessKey },
    sha256: Hash.bind(null, "sha256"),
  });
  const { host } = new URL(url);
  const request = new HttpRequest({ method: "POST", protocol: "http:", hostname: "127.0.0.1", path: PATH, headers: { host, "content-type": "application/json" }, body });
  const signed = await signer.sign(request);
  return signed.headers as Record<string, string>;
}

describe("refusing a request before reading its body", () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({ planner: new SwitchablePlanner().planRequest });
  });
  after(() => emulator.close());

  async function received<T>(send: () => Promise<T>): Promise<{ outcome: T; bytes: number }> {
    const start = emulator.metrics.bytesReceived;
    const outcome = await send();
    return { outcome, bytes: emulator.metrics.bytesReceived - start };
  }

  it("HTTP/1.1, no Authorization: 403 MissingAuthenticationToken after reading a small part of a 20 MB upload", async () => {
    const { outcome, bytes } = await received(() => uploadHttp1(emulator.url, { "content-type": "application/json" }, TWENTY_MB));
    assert.equal(outcome.status, 403);
    assert.equal(outcome.errorType, "MissingAuthenticationTokenException");
    assert.ok(bytes < SMALL, `the server read ${bytes} bytes of a 20 MB upload`);
    assert.equal(emulator.metrics.bytesIn, 0, "no body byte reached the handler");
  });

  it("HTTP/1.1, a wrong bearer key: 403 UnrecognizedClientException, body not read", async () => {
    const { outcome, bytes } = await received(() => uploadHttp1(emulator.url, { authorization: "Bearer not-the-key" }, TWENTY_MB));
    assert.equal(outcome.status, 403);
    assert.equal(outcome.errorType, "UnrecognizedClientException");
    assert.ok(bytes < SMALL, `the server read ${bytes} bytes`);
  });

  it("SigV4 with an unknown access key, or a wrong secret over a signed x-amz-content-sha256: refused before the body", async () => {
    const unknownKey = `AWS4-HMAC-SHA256 Credential=AKIDUNKNOWN/20260101/us-east-1/bedrock/aws4_request, SignedHeaders=host;x-amz-date, Signature=${"0".repeat(64)}`;
    const first = await received(() => uploadHttp1(emulator.url, { authorization: unknownKey, "x-amz-date": "20260101T000000Z" }, TWENTY_MB));
    assert.equal(first.outcome.errorType, "UnrecognizedClientException");
    assert.ok(first.bytes < SMALL, `the server read ${first.bytes} bytes`);

    const headers = await signedHeaders(emulator.url, "not-the-secret", TWENTY_MB);
    assert.ok(headers["x-amz-content-sha256"], "the signer sends the payload hash");
    const second = await received(() => uploadHttp1(emulator.url, headers, TWENTY_MB));
    assert.equal(second.outcome.errorType, "InvalidSignatureException");
    assert.ok(second.bytes < SMALL, `the server read ${second.bytes} bytes`);
  });

  it("a correctly signed 20 MB body is read whole and its hash checked (over the 25 MB default it would be refused)", async () => {
    const body = Buffer.from(JSON.stringify({ messages: [{ role: "user", content: [{ text: "x".repeat(1_000_000) }] }] }));
    const headers = await signedHeaders(emulator.url, EXAMPLE_CREDENTIALS.secretAccessKey, body);
    const ok = await uploadHttp1(emulator.url, headers, body);
    assert.equal(ok.status, 200);
    const tampered = Buffer.from(body.toString().replace("xxxx", "yyyy"));
    const refused = await uploadHttp1(emulator.url, headers, tampered);
    assert.equal(refused.errorType, "InvalidSignatureException");
    assert.match(refused.message ?? "", /x-amz-content-sha256 header does not match/);
  });

  it("HTTP/2, no Authorization: 403, then RST_STREAM(NO_ERROR) to stop the upload; the server read little", async () => {
    const { outcome, bytes } = await received(() => uploadHttp2(emulator.url, {}, TWENTY_MB));
    assert.equal(outcome.status, 403);
    assert.equal(outcome.errorType, "MissingAuthenticationTokenException");
    assert.equal(outcome.rstCode, http2.constants.NGHTTP2_NO_ERROR);
    assert.ok(bytes < SMALL, `the server read ${bytes} bytes`);
  });
});

describe("refusing an oversized body before reading it all", () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({ planner: new SwitchablePlanner().planRequest, maxBodyBytes: 100_000 });
  });
  after(() => emulator.close());

  it("a declared content-length over the limit is refused without reading the body", async () => {
    const start = emulator.metrics.bytesReceived;
    const outcome = await uploadHttp1(emulator.url, { authorization: `Bearer ${EMULATOR_API_KEY}` }, TWENTY_MB);
    assert.equal(outcome.status, 400);
    assert.equal(outcome.message, "The request body is 20000000 bytes, over the limit of 100000 bytes. Send a smaller body (Bedrock accepts at most 25,000,000 bytes).");
    assert.ok(emulator.metrics.bytesReceived - start < SMALL);
  });

  it("a chunked body is cut off once it passes the limit", async () => {
    const start = emulator.metrics.bytesReceived;
    const outcome = await uploadHttp1(emulator.url, { authorization: `Bearer ${EMULATOR_API_KEY}` }, TWENTY_MB, true);
    assert.equal(outcome.status, 400);
    assert.match(outcome.message ?? "", /^The request body is more than 100000 bytes, over the limit of 100000 bytes/);
    assert.ok(emulator.metrics.bytesReceived - start < SMALL, `read ${emulator.metrics.bytesReceived - start} bytes`);
  });

  it("HTTP/2, a body without content-length: 400 once it passes the limit, then RST_STREAM(NO_ERROR) stops the upload", async () => {
    const start = emulator.metrics.bytesReceived;
    const outcome = await uploadHttp2(emulator.url, { authorization: `Bearer ${EMULATOR_API_KEY}` }, TWENTY_MB, false);
    assert.equal(outcome.status, 400);
    assert.match(outcome.message ?? "", /^The request body is more than 100000 bytes/);
    assert.equal(outcome.rstCode, http2.constants.NGHTTP2_NO_ERROR);
    assert.ok(emulator.metrics.bytesReceived - start < SMALL, `read ${emulator.metrics.bytesReceived - start} bytes`);
  });
});
