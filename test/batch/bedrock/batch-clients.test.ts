/**
 * The batch's SDK clients against endpoints that accept a connection and never answer: every request ends
 * within the config's idle timeout (the control plane and S3 alike) as a typed error, instead of waiting
 * forever: the runtime's idle TimeoutError, not retryable, naming the request. (The upper bound only guards
 * against a hang.)
 */
import assert from "node:assert/strict";
import net, { type AddressInfo, type Socket } from "node:net";
import { after, before, describe, it } from "node:test";
import { createBatchClients, REQUEST_TIMEOUT_MS } from "../../../src/batch/bedrock/batch-clients.js";
import { describeBatchJob } from "../../../src/batch/bedrock/poll-batch-job.js";
import { LLMConfig } from "../../../src/config/llm-config.js";
import { DEFAULT_TOTAL_TIMEOUT_MS } from "../../../src/providers/bedrock/transport/transport-timeouts.js";
import { TimeoutError } from "../../../src/schema/errors.js";
import { EXAMPLE_CREDENTIALS } from "../../../src/emulator/index.js";

/** A batch's model config with the emulator's example keys, plus `extra` (an endpoint, timeouts). */
function configWith(extra: Record<string, unknown>): LLMConfig {
  return new LLMConfig({
    api_type: "bedrock_async",
    model: "anthropic.claude-3-5-haiku-20241022-v1:0",
    region: "us-east-1",
    access_key_id: EXAMPLE_CREDENTIALS.accessKeyId,
    secret_access_key: EXAMPLE_CREDENTIALS.secretAccessKey,
    ...extra,
  });
}

describe("batch clients against servers that never answer", () => {
  let server: net.Server;
  let endpoint: string;
  const sockets = new Set<Socket>();

  before(async () => {
    server = net.createServer((socket) => {
      sockets.add(socket);
      socket.once("close", () => sockets.delete(socket));
      socket.on("error", () => undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  async function clientsWith(timeouts: { idle_timeout?: number }) {
    return createBatchClients(configWith({ endpoint, ...timeouts }), { s3Endpoint: endpoint });
  }

  async function endsWithin<T>(work: Promise<T>, what: string): Promise<T> {
    let guard: NodeJS.Timeout | undefined;
    const hung = new Promise<never>((_, reject) => (guard = setTimeout(() => reject(new Error(`${what} still waiting`)), 30_000)));
    try {
      return await Promise.race([work, hung]);
    } finally {
      clearTimeout(guard);
    }
  }

  it("GetModelInvocationJob and an S3 listing end with an error that says the request timed out", async () => {
    const clients = await clientsWith({ idle_timeout: 200 });
    try {
      const requests: [string, () => Promise<unknown>][] = [
        ["GetModelInvocationJob", () => describeBatchJob(clients, "arn:aws:bedrock:us-east-1:123456789012:model-invocation-job/abc")],
        ["ListObjectsV2", () => clients.s3.send(new clients.s3Sdk.ListObjectsV2Command({ Bucket: "bucket", Prefix: "p/" }))],
      ];
      for (const [what, request] of requests) {
        await assert.rejects(endsWithin(request(), what), (error: unknown) => {
          if (what === "GetModelInvocationJob") {
            assert.ok(error instanceof TimeoutError, String(error));
            assert.equal(error.kind, "idle");
            assert.equal(error.timeoutMs, 200);
            assert.equal(error.retryable, false);
            assert.match(error.message, /^GetModelInvocationJob arn:aws:bedrock:.*the server sent nothing for 200 ms\. Raise the `idleTimeout` option/);
          }
          assert.match(String((error as Error).message), /time/i, what);
          return true;
        });
      }
    } finally {
      clients.destroy();
    }
  });
});

describe("the batch clients' request timeouts", () => {
  async function timeoutsWith(extra: Record<string, unknown>) {
    const clients = await createBatchClients(configWith(extra), {});
    clients.destroy();
    return clients.requestTimeoutMs;
  }

  it("default to 60 s per control-plane request and the runtime's 60 min per S3 transfer", async () => {
    assert.deepEqual(await timeoutsWith({}), { controlPlane: 60_000, s3: 3_600_000 });
    assert.deepEqual(REQUEST_TIMEOUT_MS, { controlPlane: 60_000, s3: DEFAULT_TOTAL_TIMEOUT_MS });
  });

  it("are the config's `timeout` when it is set, and none with 0", async () => {
    assert.deepEqual(await timeoutsWith({ timeout: 5000 }), { controlPlane: 5000, s3: 5000 });
    assert.deepEqual(await timeoutsWith({ timeout: 0 }), { controlPlane: undefined, s3: undefined });
  });
});
