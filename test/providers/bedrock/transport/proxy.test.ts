/**
 * HTTPS_PROXY / HTTP_PROXY / NO_PROXY: calls go through a local CONNECT proxy (on 127.0.0.1) that counts its
 * tunnels; pooled connections are reused through the tunnel; TLS to the endpoint runs inside it.
 */
import assert from "node:assert/strict";
import http from "node:http";
import net, { type AddressInfo } from "node:net";
import { inspect } from "node:util";
import { after, afterEach, before, describe, it } from "node:test";
import { EXAMPLE_CREDENTIALS, type Emulator } from "../../../../src/emulator/index.js";
import { BedrockAsyncProvider } from "../../../../src/providers/bedrock/index.js";
import { ProviderError } from "../../../../src/schema/errors.js";
import { MODEL, collect, emulatorWith, providerFor } from "../emulator-fixture.js";

const keys = { access_key_id: EXAMPLE_CREDENTIALS.accessKeyId, secret_access_key: EXAMPLE_CREDENTIALS.secretAccessKey };
const PROXY_VARIABLES = ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "all_proxy", "no_proxy"];

describe("CONNECT proxies from the environment", () => {
  let proxy: http.Server;
  let proxyUrl: string;
  const tunnels: string[] = [];
  const saved: Record<string, string | undefined> = {};
  let plain: Emulator;
  let secure: Emulator;

  before(async () => {
    for (const name of PROXY_VARIABLES) saved[name] = process.env[name];
    proxy = http.createServer((_request, response) => response.writeHead(405).end());
    proxy.on("connect", (request: http.IncomingMessage, client: net.Socket, head: Buffer) => {
      tunnels.push(request.url ?? "");
      const [host, port] = (request.url ?? "").split(":");
      const upstream = net.connect(Number(port), host, () => {
        client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
        upstream.write(head);
        upstream.pipe(client).pipe(upstream);
      });
      upstream.on("error", () => client.destroy());
      client.on("error", () => upstream.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    [plain, secure] = await Promise.all([emulatorWith(), emulatorWith({ tls: true })]);
  });
  afterEach(() => {
    tunnels.length = 0;
    for (const name of PROXY_VARIABLES) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });
  after(async () => {
    proxy.closeAllConnections();
    await Promise.all([new Promise((resolve) => proxy.close(resolve)), plain.close(), secure.close()]);
  });

  function useProxy(variables: Record<string, string>): void {
    for (const name of PROXY_VARIABLES) delete process.env[name];
    Object.assign(process.env, variables);
  }

  it("HTTP_PROXY: every method goes through one tunnel to the endpoint, reused by the pool", async () => {
    useProxy({ HTTP_PROXY: proxyUrl });
    const provider = providerFor(plain);
    const before = plain.requests.length;
    assert.match(await provider.generate([{ role: "user", content: "through the proxy" }]), /through the proxy/);
    assert.match((await collect(provider.generateStream([{ role: "user", content: "streamed through" }]))).join(""), /streamed through/);
    assert.match(await provider.generate([{ role: "user", content: "again" }]), /again/);
    assert.equal(plain.requests.length - before, 3);
    assert.deepEqual(tunnels, [new URL(plain.url).host], "one tunnel, to the emulator, kept alive for the next calls");
    await provider.close();
  });

  it("HTTPS_PROXY with a TLS endpoint: TLS (with the configured ca) inside the tunnel", async () => {
    useProxy({ HTTPS_PROXY: proxyUrl });
    const provider = providerFor(secure);
    assert.match(await provider.generate([{ role: "user", content: "tls in a tunnel" }]), /tls in a tunnel/);
    const completion = await provider.generateStreamResponse([{ role: "user", content: "streamed tls" }]);
    assert.match(completion.choices[0]!.message.content ?? "", /streamed tls/);
    assert.deepEqual(tunnels, [new URL(secure.url).host]);
    await provider.close();
  });

  it("max_concurrency through the tunnel: calls wait for a slot, in order; close() refuses the waiting ones and opens no tunnel after", async () => {
    useProxy({ HTTP_PROXY: proxyUrl });
    const slow = await emulatorWith({ chunkDelayMs: 40 });
    const provider = providerFor(slow, { max_concurrency: 2, max_attempts: 1 });
    try {
      const prompts = Array.from({ length: 5 }, (_, i) => `tunnelled ${i}`);
      const answers = await Promise.all(prompts.map((prompt) => collect(provider.generateStream([{ role: "user", content: prompt }]))));
      prompts.forEach((prompt, i) => assert.match(answers[i]!.join(""), new RegExp(prompt)));
      assert.deepEqual(slow.requests.map((request) => /tunnelled \d/.exec(JSON.stringify(request.body))?.[0]), prompts, "sent in call order");
      assert.ok(tunnels.length <= 2, `at most 2 tunnels, opened ${tunnels.length}`);

      const holders = [0, 1].map(() => collect(provider.generateStream([{ role: "user", content: "holding a slot" }])).catch((error: unknown) => error));
      for (let i = 0; i < 200 && slow.metrics.streamsInFlight < 2; i++) await new Promise((resolve) => setTimeout(resolve, 5));
      const waiting = provider.generate([{ role: "user", content: "waiting" }]);
      await new Promise((resolve) => setTimeout(resolve, 20)); // it reaches the transport and waits there
      const opened = tunnels.length;
      await provider.close();
      await assert.rejects(waiting, (error: unknown) => error instanceof ProviderError && error.code === "provider_closed");
      for (const holder of holders) assert.ok((await holder) instanceof Error, "the open streams fail with their tunnel");
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(tunnels.length, opened, "no tunnel opened after close()");
      assert.equal(slow.requests.length, prompts.length + 2);
    } finally {
      await provider.close();
      await slow.close();
    }
  });

  it("NO_PROXY excludes the endpoint's host: no tunnel", async () => {
    useProxy({ HTTP_PROXY: proxyUrl, NO_PROXY: "127.0.0.1" });
    const provider = providerFor(plain);
    assert.match(await provider.generate([{ role: "user", content: "direct" }]), /direct/);
    assert.deepEqual(tunnels, []);
    await provider.close();
  });

  it("a proxy that never answers CONNECT: TimeoutError kind connect, retried", async () => {
    let connections = 0;
    const silent = net.createServer((socket) => {
      connections++;
      socket.on("error", () => undefined);
    });
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    useProxy({ HTTP_PROXY: `http://127.0.0.1:${(silent.address() as AddressInfo).port}` });
    const provider = providerFor(plain, { max_attempts: 2, connect_timeout: 150 });
    await assert.rejects(provider.generate([{ role: "user", content: "x" }]), { name: "TimeoutError", kind: "connect", retryable: true });
    assert.equal(connections, 2);
    await provider.close();
    silent.close();
  });

  it("a TLS handshake inside the tunnel that never finishes: TimeoutError kind connect, not the total timeout", async () => {
    const endpointSockets: net.Socket[] = [];
    const silent = net.createServer((socket) => {
      endpointSockets.push(socket);
      socket.on("error", () => undefined);
    });
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    useProxy({ HTTPS_PROXY: proxyUrl });
    const endpoint = `https://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    const provider = new BedrockAsyncProvider({ api_type: "bedrock_async", model: MODEL, region: "us-east-1", ...keys, endpoint, max_attempts: 1, connect_timeout: 150, timeout: 20_000 });
    try {
      await assert.rejects(provider.generate([{ role: "user", content: "x" }]), { name: "TimeoutError", kind: "connect" });
      assert.equal(endpointSockets.length, 1, "the tunnel reached the endpoint");
    } finally {
      await provider.close();
      for (const socket of endpointSockets) socket.destroy();
      silent.close();
    }
  });

  it("a proxy that is down is a retryable NetworkError", async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, "127.0.0.1", () => {
        const { port: free } = probe.address() as AddressInfo;
        probe.close(() => resolve(free));
      });
    });
    useProxy({ HTTP_PROXY: `http://127.0.0.1:${port}` });
    const provider = providerFor(plain, { max_attempts: 2 });
    await assert.rejects(provider.generate([{ role: "user", content: "x" }]), { name: "NetworkError", networkCode: "ECONNREFUSED", retryable: true });
    await provider.close();
  });

  it("a proxy that refuses the tunnel and echoes its credentials: the error shows neither the password nor Proxy-Authorization", async () => {
    const password = "pr0xyPassw0rdXYZ";
    const refusing = http.createServer((_request, response) => response.writeHead(405).end());
    refusing.on("connect", (request: http.IncomingMessage, client: net.Socket) => {
      const basic = String(request.headers["proxy-authorization"]);
      const decoded = Buffer.from(basic.replace(/^Basic /, ""), "base64").toString("utf8");
      const body = JSON.stringify({ message: `denied: Proxy-Authorization: ${basic} (${decoded}) ${encodeURIComponent(decoded)}` });
      client.end(`HTTP/1.1 407 Proxy Authentication Required\r\ncontent-type: application/json\r\nx-amzn-echo: ${basic}\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    });
    await new Promise<void>((resolve) => refusing.listen(0, "127.0.0.1", resolve));
    useProxy({ HTTPS_PROXY: `http://proxyuser:${password}@127.0.0.1:${(refusing.address() as AddressInfo).port}` });
    const provider = providerFor(secure, { max_attempts: 1 });
    try {
      for (const call of [() => provider.generate([{ role: "user", content: "x" }]), () => collect(provider.generateStream([{ role: "user", content: "x" }]))]) {
        await assert.rejects(call(), (error: Error) => {
          assert.match(error.message, /407|[Pp]roxy/);
          const shown = [error.message, JSON.stringify(error), inspect(error, { showHidden: true, depth: null }), String(error.stack)].join("\n");
          for (const secret of [password, Buffer.from(`proxyuser:${password}`).toString("base64")]) assert.ok(!shown.includes(secret), `${secret} shown:\n${shown}`);
          return true;
        });
      }
    } finally {
      await provider.close();
      refusing.closeAllConnections();
      refusing.close();
    }
  });
});
