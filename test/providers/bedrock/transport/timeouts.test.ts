/**
 * Servers that hang: every wait is bounded. (Upper bounds in these tests only guard against hangs.)
 */
import assert from "node:assert/strict";
import http, { type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { after, before, describe, it } from "node:test";
import { EXAMPLE_CREDENTIALS } from "../../../../src/emulator/index.js";
import { BedrockAsyncProvider } from "../../../../src/providers/bedrock/index.js";
import { DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_IDLE_TIMEOUT_MS, DEFAULT_TOTAL_TIMEOUT_MS, timeoutOption } from "../../../../src/providers/bedrock/transport/transport-timeouts.js";
import { BedrockServiceError, InvalidRequestError, TimeoutError } from "../../../../src/schema/errors.js";
import { MODEL } from "../emulator-fixture.js";

type Behaviour = (response: ServerResponse, socket: Socket) => void;

describe("timeouts against servers that hang", () => {
  let server: http.Server;
  let base: string;
  let behaviour: Behaviour = () => undefined;
  const sockets = new Set<Socket>();
  let requests = 0;

  before(async () => {
    server = http.createServer((request, response) => {
      requests++;
      request.resume();
      behaviour(response, request.socket);
    });
    server.on("connection", (socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  function provider(extra: Record<string, unknown> = {}): BedrockAsyncProvider {
    return new BedrockAsyncProvider(
      { api_type: "bedrock_async", model: MODEL, region: "us-east-1", access_key_id: EXAMPLE_CREDENTIALS.accessKeyId, secret_access_key: EXAMPLE_CREDENTIALS.secretAccessKey, endpoint: base, ...extra },
      { retry: { baseDelayMs: 1, maxDelayMs: 5 } },
    );
  }

  async function connectionsGone(): Promise<void> {
    for (let i = 0; i < 200 && sockets.size > 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(sockets.size, 0, "the client closed its connection");
  }

  it("accepts and never answers: generate ends with TimeoutError total, and the connection is closed", async () => {
    behaviour = () => undefined;
    const llm = provider({ timeout: 300 });
    await assert.rejects(llm.generate([{ role: "user", content: "hi" }]), (error: unknown) => {
      assert.ok(error instanceof TimeoutError, String(error));
      assert.equal(error.kind, "total");
      return true;
    });
    await connectionsGone();
    await llm.close();
  });

  it("accepts and never answers: generateStreamResponse ends with TimeoutError idle (the idle timeout covers the wait for headers)", async () => {
    behaviour = () => undefined;
    const llm = provider({ idle_timeout: 200 });
    await assert.rejects(llm.generateStreamResponse([{ role: "user", content: "hi" }]), (error: unknown) => {
      assert.ok(error instanceof TimeoutError, String(error));
      assert.equal(error.kind, "idle");
      assert.equal(error.timeoutMs, 200);
      return true;
    });
    await connectionsGone();
    await llm.close();
  });

  it("a 200 whose body stops half-way: generate ends with TimeoutError idle", async () => {
    behaviour = (response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.write('{"content":[{"type":"te');
    };
    const llm = provider({ idle_timeout: 200 });
    await assert.rejects(llm.generate([{ role: "user", content: "hi" }]), (error: unknown) => error instanceof TimeoutError && error.kind === "idle");
    await connectionsGone();
    await llm.close();
  });

  it("a 500 whose body never ends is read only up to a cap, then retried, and ends as the service error", async () => {
    let written = 0;
    behaviour = (response, socket) => {
      response.writeHead(500, { "content-type": "text/plain", "x-amzn-errortype": "InternalServerException" });
      const chunk = Buffer.alloc(16 * 1024, "x");
      const pump = (): void => {
        while (!socket.destroyed && written < 512 * 1024 * 1024) {
          written += chunk.length;
          if (!response.write(chunk)) return void response.once("drain", pump);
        }
      };
      response.on("error", () => undefined);
      pump();
    };
    const before = requests;
    const llm = provider({ max_attempts: 2 });
    await assert.rejects(llm.generate([{ role: "user", content: "hi" }]), (error: unknown) => {
      assert.ok(error instanceof BedrockServiceError, String(error));
      assert.equal(error.status, 500);
      assert.equal(error.awsName, "InternalServerException");
      return true;
    });
    assert.equal(requests - before, 2, "retried once");
    await connectionsGone();
    // The server could write as fast as the client read: what it managed to send is bounded by socket buffers.
    assert.ok(written < 64 * 1024 * 1024, `the client stopped reading (server wrote ${written} bytes)`);
    await llm.close();
  });

  it("a 500 whose body starts and then goes silent ends within the idle timeout", async () => {
    behaviour = (response) => {
      response.writeHead(500, { "content-type": "application/json" });
      response.write('{"message":"half');
    };
    const llm = provider({ idle_timeout: 200, max_attempts: 1 });
    await assert.rejects(llm.generateStreamResponse([{ role: "user", content: "hi" }]), (error: unknown) => error instanceof BedrockServiceError && error.status === 500);
    await connectionsGone();
    await llm.close();
  });

  it("0 turns a timeout off, and a silent server is then cut only by the caller's signal", async () => {
    behaviour = () => undefined;
    const llm = provider({ idle_timeout: 0, timeout: 0 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    await assert.rejects(llm.generateStreamResponse([{ role: "user", content: "hi" }], { signal: controller.signal }), { name: "AbortError" });
    await llm.close();
  });
});

describe("timeout defaults", () => {
  it("are finite and long enough for long generations (Bedrock's own 60 min limit per call)", () => {
    assert.equal(DEFAULT_TOTAL_TIMEOUT_MS, 60 * 60 * 1000);
    assert.equal(DEFAULT_IDLE_TIMEOUT_MS, 5 * 60 * 1000);
    assert.equal(DEFAULT_CONNECT_TIMEOUT_MS, 10 * 1000);
    assert.equal(timeoutOption("timeout", undefined, DEFAULT_TOTAL_TIMEOUT_MS), DEFAULT_TOTAL_TIMEOUT_MS);
    assert.equal(timeoutOption("timeout", 0, DEFAULT_TOTAL_TIMEOUT_MS), undefined);
    assert.equal(timeoutOption("timeout", 1500, DEFAULT_TOTAL_TIMEOUT_MS), 1500);
    assert.throws(() => timeoutOption("idleTimeout", -1, 1), (error: unknown) => error instanceof InvalidRequestError && /idleTimeout must be a number of milliseconds \(0 turns it off\), got -1/.test(error.message));
  });
});
