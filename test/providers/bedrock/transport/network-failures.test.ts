/**
 * Connection failures on every method, the non-streaming `generate` included: typed, retryable, retried.
 * Attempts are counted with Node's `http.client.request.start` diagnostics channel (a refused connection or a
 * name that does not resolve reaches no server that could count them).
 */
import assert from "node:assert/strict";
import diagnostics from "node:diagnostics_channel";
import type { ClientRequest } from "node:http";
import net, { type AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { EXAMPLE_CREDENTIALS, type Emulator } from "../../../../src/emulator/index.js";
import { BedrockAsyncProvider } from "../../../../src/providers/bedrock/index.js";
import { NetworkError, TimeoutError } from "../../../../src/schema/errors.js";
import { collect, emulatorWith, MODEL } from "../emulator-fixture.js";

const started: string[] = [];
const onStart = (message: unknown): void => {
  const request = (message as { request: ClientRequest }).request;
  started.push(`${request.host}${request.path}`);
};

function providerAt(endpoint: string, extra: Record<string, unknown> = {}): BedrockAsyncProvider {
  return new BedrockAsyncProvider(
    { api_type: "bedrock_async", model: MODEL, region: "us-east-1", access_key_id: EXAMPLE_CREDENTIALS.accessKeyId, secret_access_key: EXAMPLE_CREDENTIALS.secretAccessKey, endpoint, max_attempts: 3, ...extra },
    { retry: { baseDelayMs: 1, maxDelayMs: 5 } },
  );
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function expectRetriedNetworkError(provider: BedrockAsyncProvider, host: string, code: RegExp | string): Promise<void> {
  const calls: [string, () => Promise<unknown>][] = [
    ["generate", () => provider.generate([{ role: "user", content: "hi" }])],
    ["generateStreamResponse", () => provider.generateStreamResponse([{ role: "user", content: "hi" }])],
    ["generateStream", () => collect(provider.generateStream([{ role: "user", content: "hi" }]))],
  ];
  for (const [method, call] of calls) {
    const before = started.filter((s) => s.startsWith(host)).length;
    await assert.rejects(call(), (error: unknown) => {
      assert.ok(error instanceof NetworkError, `${method}: ${String(error)}`);
      assert.equal(error.retryable, true, method);
      if (typeof code === "string") assert.equal(error.networkCode, code, method);
      else assert.match(error.networkCode ?? "", code, method);
      return true;
    });
    assert.equal(started.filter((s) => s.startsWith(host)).length - before, 3, `${method}: three attempts`);
  }
}

describe("connection failures are typed NetworkErrors, retried, on every method", () => {
  let tlsEmulator: Emulator;
  before(async () => {
    diagnostics.subscribe("http.client.request.start", onStart);
    tlsEmulator = await emulatorWith({ tls: true });
  });
  after(async () => {
    diagnostics.unsubscribe("http.client.request.start", onStart);
    await tlsEmulator.close();
  });

  it("a refused connection", async () => {
    const port = await freePort();
    const provider = providerAt(`http://127.0.0.1:${port}`);
    await expectRetriedNetworkError(provider, "127.0.0.1", "ECONNREFUSED");
    await provider.close();
  });

  it("a name that resolves nowhere (.invalid never resolves; no traffic leaves the machine)", async () => {
    const provider = providerAt("http://nonexistent.invalid:1");
    await expectRetriedNetworkError(provider, "nonexistent.invalid", /^(ENOTFOUND|EAI_AGAIN)$/);
    await provider.close();
  });

  it("a TLS certificate that is not trusted (the emulator's self-signed one, without its ca)", async () => {
    const provider = providerAt(tlsEmulator.url);
    const before = tlsEmulator.requests.length;
    await expectRetriedNetworkError(provider, "127.0.0.1", /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/);
    assert.equal(tlsEmulator.requests.length, before, "no request got past the handshake");
    await provider.close();
  });

  it("a server that accepts TCP but never completes TLS: TimeoutError kind connect, retried", async () => {
    let connections = 0;
    const silent = net.createServer((socket) => {
      connections++;
      socket.on("error", () => undefined);
    });
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as AddressInfo;
    const provider = providerAt(`https://127.0.0.1:${port}`, { connect_timeout: 150 });
    await assert.rejects(provider.generate([{ role: "user", content: "hi" }]), (error: unknown) => {
      assert.ok(error instanceof TimeoutError, String(error));
      assert.equal(error.kind, "connect");
      assert.equal(error.timeoutMs, 150);
      assert.equal(error.retryable, true);
      return true;
    });
    assert.equal(connections, 3);
    await provider.close();
    silent.close();
  });
});
