import assert from "node:assert/strict";
import https from "node:https";
import net from "node:net";
import { after, before, describe, it } from "node:test";
import { ConverseCommand, ConverseStreamCommand, InvokeModelWithResponseStreamCommand } from "@aws-sdk/client-bedrock-runtime";
import { NodeHttp2Handler, NodeHttpHandler } from "@smithy/node-http-handler";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import { anthropicBody, CONVERSE_MESSAGES, MODEL_ID, sdkClient } from "./support/sdk-client.js";

describe("HTTP/1.1 on the same port", () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator();
  });
  after(() => emulator.close());

  it("serves the SDK with NodeHttpHandler (signed with host instead of :authority)", async () => {
    const client = sdkClient(emulator, { requestHandler: new NodeHttpHandler() });
    try {
      const output = await client.send(new ConverseCommand({ modelId: MODEL_ID, messages: CONVERSE_MESSAGES }));
      assert.ok(output.output?.message?.content?.length);
      const stream = await client.send(new InvokeModelWithResponseStreamCommand({ modelId: MODEL_ID, body: anthropicBody() }));
      const types: string[] = [];
      for await (const event of stream.body!) types.push(JSON.parse(Buffer.from(event.chunk!.bytes!).toString()).type);
      assert.equal(types.at(-1), "message_stop");
    } finally {
      client.destroy();
    }
    assert.deepEqual(emulator.requests.map((request) => request.protocol), ["http/1.1", "http/1.1"]);
    assert.match(emulator.requests[0]!.headers["authorization"]!, /SignedHeaders=[^,]*\bhost\b/);
  });

  it("serves HTTP/2 and HTTP/1.1 clients side by side", async () => {
    emulator.clearRequests();
    const h1 = sdkClient(emulator, { requestHandler: new NodeHttpHandler() });
    const h2 = sdkClient(emulator);
    try {
      await Promise.all([h1, h2, h1, h2].map((client) => client.send(new ConverseCommand({ modelId: MODEL_ID, messages: CONVERSE_MESSAGES }))));
    } finally {
      h1.destroy();
      h2.destroy();
    }
    assert.deepEqual(emulator.requests.map((request) => request.protocol).sort(), ["h2", "h2", "http/1.1", "http/1.1"]);
  });

  it("counts the connections it accepts, closed ones included (metrics.connectionsAccepted)", async () => {
    await waitFor(() => emulator.metrics.openConnections === 0); // the clients above are gone
    const before = emulator.metrics.connectionsAccepted;
    const { port } = new URL(emulator.url);
    const sockets = await Promise.all([1, 2].map(() => new Promise<net.Socket>((resolve, reject) => {
      const socket = net.connect(Number(port), "127.0.0.1", () => resolve(socket)).once("error", reject);
    })));
    await waitFor(() => emulator.metrics.openConnections === 2);
    assert.equal(emulator.metrics.connectionsAccepted, before + 2);
    for (const socket of sockets) socket.destroy();
    await waitFor(() => emulator.metrics.openConnections === 0);
    assert.equal(emulator.metrics.connectionsAccepted, before + 2, "closing them does not lower the count");
  });
});

async function waitFor(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  assert.ok(check());
}

describe("TLS", () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({ tls: true });
  });
  after(() => emulator.close());

  it("serves https with a certificate the client can trust through emulator.ca", () => {
    assert.match(emulator.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.match(emulator.ca ?? "", /-----BEGIN CERTIFICATE-----/);
  });

  it("serves the SDK over h2 (ALPN) trusting emulator.ca", async () => {
    const client = sdkClient(emulator, { requestHandler: new NodeHttp2Handler({ nodeHttp2ConnectOptions: { ca: emulator.ca } }) });
    try {
      const output = await client.send(new ConverseStreamCommand({ modelId: MODEL_ID, messages: CONVERSE_MESSAGES }));
      let stop: string | undefined;
      for await (const event of output.stream!) stop ??= event.messageStop?.stopReason;
      assert.equal(stop, "end_turn");
    } finally {
      client.destroy();
    }
    assert.equal(emulator.requests.at(-1)?.protocol, "h2");
  });

  it("serves the SDK over HTTPS/1.1 with an https Agent trusting emulator.ca", async () => {
    const agent = new https.Agent({ ca: emulator.ca });
    const client = sdkClient(emulator, { requestHandler: new NodeHttpHandler({ httpsAgent: agent }) });
    try {
      const output = await client.send(new ConverseCommand({ modelId: MODEL_ID, messages: CONVERSE_MESSAGES }));
      assert.equal(typeof output.stopReason, "string");
    } finally {
      client.destroy();
      agent.destroy();
    }
    assert.equal(emulator.requests.at(-1)?.protocol, "http/1.1");
  });

  it("is refused by a client that does not trust the certificate", async () => {
    const client = sdkClient(emulator);
    try {
      await assert.rejects(client.send(new ConverseCommand({ modelId: MODEL_ID, messages: CONVERSE_MESSAGES })), /certificate/i);
    } finally {
      client.destroy();
    }
  });
});
