/**
 * close() while a connection is still being set up: a CONNECT the proxy never answers, a TLS handshake the
 * server never finishes (inside a tunnel, or direct on either transport). The call ends with provider_closed,
 * and the server sees the connection closed; nothing reaches the endpoint afterwards. A call aborted while its
 * tunnel waits for the proxy closes that tunnel the same way. The connect timeout is
 * off in every test, so close() is the only thing that can end these connections. (Bounds on the waits below
 * only guard against hangs.)
 */
import assert from "node:assert/strict";
import net, { type AddressInfo } from "node:net";
import { afterEach, before, describe, it } from "node:test";
import { EXAMPLE_CREDENTIALS } from "../../../../src/emulator/index.js";
import { BedrockAsyncProvider } from "../../../../src/providers/bedrock/index.js";
import { BedrockEmbeddingProvider } from "../../../../src/providers/bedrock/embeddings/bedrock-embedding-provider.js";
import { AbortError, ProviderError } from "../../../../src/schema/errors.js";
import { MODEL, collect } from "../emulator-fixture.js";

const PROXY_VARIABLES = ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "all_proxy", "no_proxy"];

/** A TCP server that accepts and never answers; it records what it receives and when its sockets close. */
class SilentServer {
  readonly server = net.createServer((socket) => {
    this.sockets.add(socket);
    this.opened++;
    socket.on("data", (data) => this.received.push(data));
    socket.on("error", () => undefined);
    socket.on("close", () => this.sockets.delete(socket));
  });
  readonly sockets = new Set<net.Socket>();
  readonly received: Buffer[] = [];
  opened = 0;

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return this;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get bytes(): number {
    return this.received.reduce((sum, chunk) => sum + chunk.length, 0);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 300 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.ok(condition(), what);
}

const credentials = { region: "us-east-1", access_key_id: EXAMPLE_CREDENTIALS.accessKeyId, secret_access_key: EXAMPLE_CREDENTIALS.secretAccessKey };
const settings = { max_attempts: 1, connect_timeout: 0 };

/** One call of each kind a provider makes, and the provider to close. */
interface Caller {
  name: string;
  start(endpoint: string, transport: "http1" | "http2"): { call: Promise<unknown>; close(): Promise<void> };
}

const CALLERS: Caller[] = [
  {
    name: "generate",
    start(endpoint, transport) {
      const provider = new BedrockAsyncProvider({ api_type: "bedrock_async", model: MODEL, endpoint, transport, ...credentials, ...settings });
      return { call: provider.generate([{ role: "user", content: "x" }]), close: () => provider.close() };
    },
  },
  {
    name: "generateStream",
    start(endpoint, transport) {
      const provider = new BedrockAsyncProvider({ api_type: "bedrock_async", model: MODEL, endpoint, transport, ...credentials, ...settings });
      return { call: collect(provider.generateStream([{ role: "user", content: "x" }])), close: () => provider.close() };
    },
  },
  {
    name: "embed",
    start(endpoint, transport) {
      const provider = new BedrockEmbeddingProvider({ api_type: "bedrock_embedding", model: "amazon.titan-embed-text-v2:0", endpoint, transport, ...credentials, ...settings });
      return { call: provider.embed(["x"]), close: () => provider.close() };
    },
  },
];

function isProviderClosed(error: unknown): boolean {
  assert.ok(error instanceof ProviderError && error.code === "provider_closed", String(error));
  return true;
}

describe("close() while a connection is being set up", () => {
  const saved: Record<string, string | undefined> = {};
  before(() => {
    for (const name of PROXY_VARIABLES) saved[name] = process.env[name];
  });
  afterEach(() => {
    for (const name of PROXY_VARIABLES) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });

  function useProxy(port: number | undefined): void {
    for (const name of PROXY_VARIABLES) delete process.env[name];
    if (port !== undefined) process.env["HTTPS_PROXY"] = `http://127.0.0.1:${port}`;
  }

  for (const caller of CALLERS) {
    it(`${caller.name}: a proxy that never answers CONNECT: provider_closed, and the proxy sees the tunnel's socket closed`, async () => {
      const [proxy, target] = await Promise.all([new SilentServer().listen(), new SilentServer().listen()]);
      useProxy(proxy.port);
      const { call, close } = caller.start(`https://127.0.0.1:${target.port}`, "http1");
      const outcome = call.catch((error: unknown) => error);
      try {
        await until(() => /^CONNECT /.test(Buffer.concat(proxy.received).toString("latin1")), "the CONNECT reached the proxy");
        await close();
        assert.ok(isProviderClosed(await outcome));
        await until(() => proxy.sockets.size === 0, "the proxy saw the tunnel's socket closed");
        assert.equal(proxy.opened, 1, "no other tunnel was opened");
        assert.equal(target.opened, 0);
      } finally {
        await close();
        await Promise.all([proxy.close(), target.close()]);
      }
    });
  }

  it("a call aborted while the proxy has not answered CONNECT: AbortError, and the proxy sees the tunnel's socket closed (the provider stays open)", async () => {
    const [proxy, target] = await Promise.all([new SilentServer().listen(), new SilentServer().listen()]);
    useProxy(proxy.port);
    const provider = new BedrockAsyncProvider({ api_type: "bedrock_async", model: MODEL, endpoint: `https://127.0.0.1:${target.port}`, ...credentials, ...settings });
    const controller = new AbortController();
    const outcome = provider.generate([{ role: "user", content: "x" }], { signal: controller.signal }).catch((error: unknown) => error);
    try {
      await until(() => /^CONNECT /.test(Buffer.concat(proxy.received).toString("latin1")), "the CONNECT reached the proxy");
      controller.abort();
      const error = await outcome;
      assert.ok(error instanceof AbortError, String(error));
      await until(() => proxy.sockets.size === 0, "the proxy saw the tunnel's socket closed");
      assert.equal(target.opened, 0);
    } finally {
      await provider.close();
      await Promise.all([proxy.close(), target.close()]);
    }
  });

  it("a TLS handshake inside the tunnel that never finishes: provider_closed, and both the proxy and the endpoint see the connection closed", async () => {
    const target = await new SilentServer().listen();
    let tunnels = 0;
    const open = new Set<net.Socket>();
    const proxy = net.createServer((client) => {
      open.add(client);
      client.on("close", () => open.delete(client));
      client.on("error", () => undefined);
      client.once("data", () => {
        const upstream = net.connect(target.port, "127.0.0.1", () => {
          tunnels++;
          client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
          upstream.pipe(client).pipe(upstream);
        });
        upstream.on("error", () => client.destroy());
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    useProxy((proxy.address() as AddressInfo).port);
    const { call, close } = CALLERS[0]!.start(`https://127.0.0.1:${target.port}`, "http1");
    const outcome = call.catch((error: unknown) => error);
    try {
      await until(() => target.bytes > 0, "the ClientHello reached the endpoint through the tunnel");
      const sent = target.bytes;
      await close();
      assert.ok(isProviderClosed(await outcome));
      await until(() => open.size === 0, "the proxy saw the tunnel closed");
      await until(() => target.sockets.size === 0, "the endpoint saw the connection closed");
      assert.equal(tunnels, 1);
      assert.equal(target.bytes, sent, "nothing more reached the endpoint after close()");
    } finally {
      await close();
      for (const socket of open) socket.destroy();
      await Promise.all([new Promise((resolve) => proxy.close(resolve)), target.close()]);
    }
  });

  for (const transport of ["http1", "http2"] as const) {
    for (const caller of CALLERS) {
      it(`${caller.name} over ${transport}: a direct TLS handshake that never finishes: provider_closed, and the server sees the connection closed`, async () => {
        useProxy(undefined);
        const server = await new SilentServer().listen();
        const { call, close } = caller.start(`https://127.0.0.1:${server.port}`, transport);
        const outcome = call.catch((error: unknown) => error);
        try {
          await until(() => server.bytes > 0, "the ClientHello reached the server");
          const opened = server.opened;
          const sent = server.bytes;
          await close();
          assert.ok(isProviderClosed(await outcome));
          await until(() => server.sockets.size === 0, "the server saw the connection closed");
          await new Promise((resolve) => setTimeout(resolve, 50));
          assert.equal(server.opened, opened, "no connection opened after close()");
          assert.equal(server.bytes, sent, "nothing more reached the server after close()");
        } finally {
          await close();
          await server.close();
        }
      });
    }
  }
});
