/**
 * TunnelAgent's destroy() (a provider's close()) against a tunnel that is still being set up: the proxy
 * answers CONNECT just as the pool is destroyed. The tunnel is destroyed rather than handed to the request or
 * pooled, and nothing reaches the endpoint. (Bounds on the waits only guard against hangs.)
 */
import assert from "node:assert/strict";
import http from "node:http";
import https from "node:https";
import net, { type AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { TunnelAgent } from "../../../../src/providers/bedrock/transport/proxy-tunnel-agent.js";

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 300 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.ok(condition(), what);
}

describe("TunnelAgent destroyed as the proxy answers CONNECT", () => {
  let endpointBytes = 0;
  const endpointSockets = new Set<net.Socket>();
  const proxySockets = new Set<net.Socket>();
  let endpoint: net.Server;
  let proxy: net.Server;

  before(async () => {
    endpoint = net.createServer((socket) => {
      endpointSockets.add(socket);
      socket.on("data", (data) => (endpointBytes += data.length));
      socket.on("error", () => undefined);
      socket.on("close", () => endpointSockets.delete(socket));
    });
    // Answers every CONNECT with 200 once its connection to the endpoint is open, then relays both ways.
    proxy = net.createServer((client) => {
      proxySockets.add(client);
      client.on("error", () => undefined);
      client.on("close", () => proxySockets.delete(client));
      client.once("data", () => {
        const upstream = net.connect((endpoint.address() as AddressInfo).port, "127.0.0.1", () => {
          client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
          upstream.pipe(client).pipe(upstream);
        });
        upstream.on("error", () => client.destroy());
        client.on("close", () => upstream.destroy());
      });
    });
    await Promise.all([endpoint, proxy].map((server) => new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))));
  });
  after(async () => {
    for (const socket of [...endpointSockets, ...proxySockets]) socket.destroy();
    await Promise.all([endpoint, proxy].map((server) => new Promise((resolve) => server.close(resolve))));
  });

  for (const [scheme, request] of [["http", http.request], ["https", https.request]] as const) {
    it(`${scheme} endpoint: the request fails, the tunnel is closed, and nothing reaches the endpoint`, async () => {
      endpointBytes = 0;
      const agent = new TunnelAgent(`http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, { keepAlive: true }, undefined, undefined);
      const sent = request({ host: "127.0.0.1", port: (endpoint.address() as AddressInfo).port, method: "POST", path: "/model/m/invoke", agent });
      // Emitted by https-proxy-agent once the proxy's 200 is read, before the tunnel is returned to the pool.
      sent.once("proxyConnect", () => agent.destroy());
      let outcome: string | undefined;
      sent.on("error", (error) => (outcome = `error: ${error.message}`));
      sent.on("response", () => (outcome = "response"));
      sent.end("a request body that must not reach the endpoint");
      await until(() => outcome !== undefined, "the request ended");
      assert.match(outcome!, /^error: The connection pool was closed/);
      await until(() => proxySockets.size === 0, "the proxy saw the tunnel closed");
      await until(() => endpointSockets.size === 0, "the endpoint saw the relayed connection closed");
      assert.equal(endpointBytes, 0, "nothing reached the endpoint");
      assert.equal(Object.keys(agent.freeSockets).length, 0, "no socket was pooled");
    });
  }
});
