import assert from "node:assert/strict";
import http from "node:http";
import net, { type AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { EMULATOR_API_KEY, EXAMPLE_CREDENTIALS, type Emulator } from "../../../../src/emulator/index.js";
import { CallSlots } from "../../../../src/providers/bedrock/transport/call-slots.js";
import { BedrockTransport, type TransportAuth, type TransportResponse } from "../../../../src/providers/bedrock/transport/bedrock-transport.js";
import { BedrockServiceError, NetworkError } from "../../../../src/schema/errors.js";
import { readEventStream } from "../../../../src/providers/bedrock/transport/read-event-stream.js";
import { emulatorWith, MODEL } from "../emulator-fixture.js";

/** No max_concurrency limit: these tests are about the transport itself. */
const unlimited = (): CallSlots => new CallSlots(Number.POSITIVE_INFINITY);

const BODY = JSON.stringify({ anthropic_version: "bedrock-2023-05-31", max_tokens: 50, messages: [{ role: "user", content: "Hello there" }] });
const PATH = `/model/${encodeURIComponent(MODEL)}/invoke-with-response-stream`;
const SIGV4: TransportAuth = { kind: "sigv4", credentials: async () => ({ ...EXAMPLE_CREDENTIALS }) };

async function drain(response: TransportResponse): Promise<number> {
  let messages = 0;
  for await (const batch of await readEventStream(response, (messages, into) => into.push(...messages))) messages += batch.length;
  return messages;
}

async function waitUntil(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.ok(check(), what);
}

describe("BedrockTransport against the emulator", () => {
  let emulator: Emulator;
  let agent: http.Agent;
  const transport = (auth: TransportAuth = SIGV4) => new BedrockTransport({ endpoint: new URL(emulator.url), region: "us-east-1", slots: unlimited(), auth, agent });

  before(async () => {
    emulator = await emulatorWith({ script: { rules: [{ match: { text: "slow start" }, respond: { text: "Late.", firstByteLatencyMs: 2000 } }, { match: { text: "slow chunks" }, respond: { text: "a b c d e f", chunksPerAnswer: 6, chunkDelayMs: 200 } }] } });
    agent = new http.Agent({ keepAlive: true, maxSockets: 10 });
  });
  after(async () => {
    agent.destroy();
    await emulator.close();
  });

  it("sends a SigV4-signed InvokeModelWithResponseStream the emulator accepts, with Bedrock's headers", async () => {
    const response = await transport().open(PATH, BODY, { "x-amzn-bedrock-accept": "application/json", "x-amzn-bedrock-trace": "ENABLED" }, { signal: new AbortController().signal, headersAreIdle: true });
    assert.equal(response.headers["content-type"], "application/vnd.amazon.eventstream");
    assert.ok((await drain(response)) > 3);
    const received = emulator.requests.at(-1)!;
    assert.equal(received.operation, "InvokeModelWithResponseStream");
    assert.equal(received.modelId, MODEL);
    assert.equal(received.authType, "sigv4");
    assert.equal(received.headers["x-amzn-bedrock-accept"], "application/json");
    assert.equal(received.headers["x-amzn-bedrock-trace"], "ENABLED");
    assert.match(received.headers["authorization"] ?? "", /SignedHeaders=content-length;content-type;host;x-amz-content-sha256;x-amz-date;x-amzn-bedrock-accept;x-amzn-bedrock-trace,/);
    assert.deepEqual(received.body, JSON.parse(BODY));
  });

  it("invokeWithHeaders resolves with the whole body and the response headers (the token counts Bedrock sends there)", async () => {
    const path = `/model/${encodeURIComponent(MODEL)}/invoke`;
    const answer = await transport().invokeWithHeaders(path, BODY, { accept: "application/json" }, { signal: new AbortController().signal });
    const parsed = JSON.parse(answer.body.toString("utf8")) as { usage: { input_tokens: number } };
    assert.equal(answer.headers["x-amzn-bedrock-input-token-count"], String(parsed.usage.input_tokens));
    assert.equal(emulator.requests.at(-1)!.operation, "InvokeModel");
  });

  it("sends a Bedrock API key as a bearer token", async () => {
    await drain(await transport({ kind: "bearer", token: EMULATOR_API_KEY }).open(PATH, BODY, {}, { signal: new AbortController().signal, headersAreIdle: true }));
    assert.equal(emulator.requests.at(-1)!.authType, "bearer");
  });

  it("rejects a non-200 answer with the service error it carries (name, status, request id)", async () => {
    const wrongKey: TransportAuth = { kind: "sigv4", credentials: async () => ({ ...EXAMPLE_CREDENTIALS, secretAccessKey: "not-the-right-secret-key-000000000000000" }) };
    await assert.rejects(transport(wrongKey).open(PATH, BODY, {}, { signal: new AbortController().signal, headersAreIdle: true }), (error: unknown) => {
      assert.ok(error instanceof BedrockServiceError);
      assert.equal(error.awsName, "InvalidSignatureException");
      assert.equal(error.status, 403);
      assert.ok(error.requestId);
      return true;
    });
  });

  it("an abort before the response starts fails with the signal's reason and frees the socket", async () => {
    const controller = new AbortController();
    const reason = new Error("caller gave up");
    setTimeout(() => controller.abort(reason), 50);
    const slow = JSON.stringify({ ...JSON.parse(BODY), messages: [{ role: "user", content: "slow start" }] });
    await assert.rejects(transport().open(PATH, slow, {}, { signal: controller.signal, headersAreIdle: true }), (error) => error === reason);
    await waitUntil(() => emulator.metrics.streamsInFlight === 0 && Object.keys(agent.sockets).length === 0, "no stream or socket left");
  });

  it("an abort in the same tick as the call (before the request is even written) fails with the signal's reason", async () => {
    const controller = new AbortController();
    const reason = new Error("changed my mind");
    // Static keys sign synchronously, so the request is created and ended before open() returns.
    const opening = transport({ kind: "sigv4", credentials: () => ({ ...EXAMPLE_CREDENTIALS }) }).open(PATH, BODY, {}, { signal: controller.signal, headersAreIdle: true });
    controller.abort(reason);
    await assert.rejects(opening, (error) => error === reason);
    await waitUntil(() => emulator.metrics.streamsInFlight === 0 && Object.keys(agent.sockets).length === 0, "no stream or socket left");
  });

  it("an abort after the response started destroys it without an uncaught error", async () => {
    const controller = new AbortController();
    const slow = JSON.stringify({ ...JSON.parse(BODY), messages: [{ role: "user", content: "slow chunks" }] });
    const response = await transport().open(PATH, slow, {}, { signal: controller.signal, headersAreIdle: true });
    const reading = drain(response);
    setTimeout(() => controller.abort(new Error("stop")), 100);
    await assert.rejects(reading);
    assert.ok(response.destroyed);
    await waitUntil(() => emulator.metrics.streamsInFlight === 0, "the emulator saw the stream end");
  });

  it("an abort while the request waits for a pool socket fails at once and never sends it", async () => {
    const single = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const oneSocket = new BedrockTransport({ endpoint: new URL(emulator.url), region: "us-east-1", slots: unlimited(), auth: SIGV4, agent: single });
    try {
      const slow = JSON.stringify({ ...JSON.parse(BODY), messages: [{ role: "user", content: "slow chunks" }] });
      const holding = await oneSocket.open(PATH, slow, {}, { signal: new AbortController().signal, headersAreIdle: true });
      const draining = drain(holding);
      const received = emulator.requests.length;
      const controller = new AbortController();
      const reason = new Error("tired of waiting");
      const queued = oneSocket.open(PATH, BODY, {}, { signal: controller.signal, headersAreIdle: true });
      setTimeout(() => controller.abort(reason), 50);
      await assert.rejects(queued, (error) => error === reason);
      assert.equal(emulator.metrics.streamsInFlight, 1, "rejected while the first stream still held the socket");
      assert.ok((await draining) > 0);
      const after = await oneSocket.open(PATH, BODY, {}, { signal: new AbortController().signal, headersAreIdle: true });
      assert.ok((await drain(after)) > 0, "the pool still serves the next request");
      assert.equal(emulator.requests.length, received + 1, "the aborted request was never sent");
    } finally {
      single.destroy();
    }
  });
});

describe("BedrockTransport endpoint handling", () => {
  it("keeps a path prefix of the endpoint and reads a JSON error body by its __type", async () => {
    const seen: string[] = [];
    const server = http.createServer((request, response) => {
      seen.push(request.url ?? "");
      request.resume();
      response.writeHead(400, { "content-type": "application/json", "x-amzn-requestid": "req-1" });
      response.end(JSON.stringify({ __type: "com.amazon.bedrock#ValidationException", message: "bad input" }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const agent = new http.Agent({ keepAlive: true });
    try {
      const { port } = server.address() as AddressInfo;
      const transport = new BedrockTransport({ endpoint: new URL(`http://127.0.0.1:${port}/gateway/`), region: "us-east-1", slots: unlimited(), auth: SIGV4, agent });
      await assert.rejects(transport.open(PATH, BODY, {}, { signal: new AbortController().signal, headersAreIdle: true }), { awsName: "ValidationException", message: "ValidationException: bad input" });
      assert.deepEqual(seen, [`/gateway${PATH}`]);
    } finally {
      agent.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("a 101 Switching Protocols answer (an upgrade nobody asked for) fails at once as a NetworkError that says so", async () => {
    const server = net.createServer((socket) => {
      socket.on("error", () => undefined);
      socket.once("data", () => socket.write("HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: upgrade\r\n\r\nhello"));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const agent = new http.Agent({ keepAlive: true });
    const slots = new CallSlots(1);
    const call = new AbortController();
    const guard = setTimeout(() => call.abort(new Error("still waiting")), 10_000);
    try {
      const { port } = server.address() as AddressInfo;
      const transport = new BedrockTransport({ endpoint: new URL(`http://127.0.0.1:${port}`), region: "us-east-1", slots, auth: SIGV4, agent });
      for (const headersAreIdle of [true, false]) {
        await assert.rejects(transport.open(PATH, BODY, {}, { signal: call.signal, headersAreIdle }), (error: unknown) => {
          assert.ok(error instanceof NetworkError, String(error));
          assert.match(error.message, /101/);
          return true;
        });
      }
      await waitUntil(() => slots.taken === 0, "the slot was freed");
    } finally {
      clearTimeout(guard);
      agent.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("removes its own credentials from an echoed plain-text error body before cutting it short", async () => {
    // A proxy or wrong endpoint that repeats the request's headers; the token is longer than the excerpt kept.
    const sessionToken = `IQoJb3JpZ2luX2VjE${"TOKENTOKEN".repeat(70)}`;
    const server = http.createServer((request, response) => {
      request.resume();
      response.writeHead(403, { "content-type": "text/plain" });
      response.end(`Forbidden: ${request.url} with token ${String(request.headers["x-amz-security-token"])}`);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const agent = new http.Agent({ keepAlive: true });
    try {
      const { port } = server.address() as AddressInfo;
      const auth: TransportAuth = { kind: "sigv4", credentials: () => ({ ...EXAMPLE_CREDENTIALS, sessionToken }) };
      const transport = new BedrockTransport({ endpoint: new URL(`http://127.0.0.1:${port}`), region: "us-east-1", slots: unlimited(), auth, agent });
      await assert.rejects(transport.open(PATH, BODY, {}, { signal: new AbortController().signal, headersAreIdle: true }), (error: Error) => {
        assert.match(error.message, /HTTP 403 from Bedrock: Forbidden: .* with token \[redacted\]/);
        assert.ok(!error.message.includes("IQoJb3JpZ2lu") && !error.message.includes("TOKENTOKEN"), error.message);
        return true;
      });
    } finally {
      agent.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("a JSON error body that echoes the credentials keeps its error name and message, scrubbed", async () => {
    const token = "ABSKbedrockapikey0123456789";
    const server = http.createServer((request, response) => {
      request.resume();
      response.writeHead(401, { "content-type": "application/json" });
      response.end(JSON.stringify({ __type: "UnrecognizedClientException", message: `Header "${String(request.headers["authorization"])}" is not valid` }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const agent = new http.Agent({ keepAlive: true });
    try {
      const { port } = server.address() as AddressInfo;
      const transport = new BedrockTransport({ endpoint: new URL(`http://127.0.0.1:${port}`), region: "us-east-1", slots: unlimited(), auth: { kind: "bearer", token }, agent });
      await assert.rejects(transport.open(PATH, BODY, {}, { signal: new AbortController().signal, headersAreIdle: true }), { awsName: "UnrecognizedClientException", message: 'UnrecognizedClientException: Header "Bearer [redacted]" is not valid' });
    } finally {
      agent.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("re-signs once with the server's time when a 403 shows the local clock is off, and keeps the offset", async () => {
    const serverNow = () => Date.now() + 60 * 60 * 1000; // the server's clock is an hour ahead of ours
    const dates: string[] = [];
    const server = http.createServer((request, response) => {
      request.resume();
      const amzDate = String(request.headers["x-amz-date"]);
      dates.push(amzDate);
      const sent = Date.parse(`${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`);
      if (Math.abs(sent - serverNow()) > 15 * 60 * 1000) {
        response.writeHead(403, { "x-amzn-errortype": "InvalidSignatureException", date: new Date(serverNow()).toUTCString(), "content-type": "application/json" });
        return void response.end(JSON.stringify({ message: "Signature expired" }));
      }
      response.writeHead(200, { "content-type": "application/vnd.amazon.eventstream" });
      response.end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const agent = new http.Agent({ keepAlive: true });
    try {
      const { port } = server.address() as AddressInfo;
      const transport = new BedrockTransport({ endpoint: new URL(`http://127.0.0.1:${port}`), region: "us-east-1", slots: unlimited(), auth: SIGV4, agent });
      assert.equal((await transport.open(PATH, BODY, {}, { signal: new AbortController().signal, headersAreIdle: true })).headers["content-type"], "application/vnd.amazon.eventstream");
      assert.equal(dates.length, 2, "refused once, then accepted");
      assert.equal((await transport.open(PATH, BODY, {}, { signal: new AbortController().signal, headersAreIdle: true })).headers["content-type"], "application/vnd.amazon.eventstream");
      assert.equal(dates.length, 3, "the next request is signed with the learnt offset straight away");
    } finally {
      agent.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
