/**
 * Watching a job against a control plane that does not answer: the caller's signal ends the watch at once,
 * with the pending request's connection closed. (The upper bound only guards against a hang.)
 */
import assert from "node:assert/strict";
import net, { type AddressInfo, type Socket } from "node:net";
import { after, before, describe, it } from "node:test";
import * as bedrockSdk from "@aws-sdk/client-bedrock";
import { pollBatchJob } from "../../../src/batch/bedrock/poll-batch-job.js";
import type { BatchClients } from "../../../src/batch/bedrock/batch-clients.js";
import { EXAMPLE_CREDENTIALS } from "../../../src/emulator/index.js";

describe("pollBatchJob against a control plane that never answers", () => {
  let server: net.Server;
  let endpoint: string;
  const sockets = new Set<Socket>();
  let requests = 0;

  before(async () => {
    server = net.createServer((socket) => {
      sockets.add(socket);
      socket.once("close", () => sockets.delete(socket));
      socket.on("error", () => undefined);
      socket.once("data", () => requests++);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it("an abort while GetModelInvocationJob is pending ends the watch, and the request's connection is closed", async () => {
    const bedrock = new bedrockSdk.BedrockClient({ region: "us-east-1", credentials: { ...EXAMPLE_CREDENTIALS }, endpoint });
    const clients = { bedrock, bedrockSdk, secrets: [], requestTimeoutMs: { controlPlane: undefined, s3: undefined } } as unknown as BatchClients;
    const watch = new AbortController();
    const polled = pollBatchJob(clients, "arn:aws:bedrock:us-east-1:123456789012:model-invocation-job/abc", { intervalMs: 10, signal: watch.signal }, () => undefined);
    for (let i = 0; i < 500 && requests === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(requests, 1, "the request was sent");
    watch.abort();
    let guard: NodeJS.Timeout | undefined;
    const hung = new Promise((_, reject) => (guard = setTimeout(() => reject(new Error("the watch did not end after the abort")), 10_000)));
    try {
      assert.equal(await Promise.race([polled, hung]), undefined);
    } finally {
      clearTimeout(guard);
      bedrock.destroy();
    }
    for (let i = 0; i < 200 && sockets.size > 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(sockets.size, 0, "the client closed its connection");
  });
});
