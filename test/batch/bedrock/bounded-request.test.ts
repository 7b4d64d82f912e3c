/**
 * Every SDK request of a Bedrock batch is bounded by a total timeout that covers the response's body, and
 * cut by the caller's signal: against a server that sends its headers and then drips the body a byte at a
 * time (so no idle timeout fires), a request ends as the library's TimeoutError (retryable, as the runtime's
 * total timeout is) or AbortError, naming the request and never a secret, and its connection is closed.
 */
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { createBatchClients, type BatchClients } from "../../../src/batch/bedrock/batch-clients.js";
import { sendBounded } from "../../../src/batch/bedrock/bounded-request.js";
import { describeBatchJob } from "../../../src/batch/bedrock/poll-batch-job.js";
import { LLMConfig } from "../../../src/config/llm-config.js";
import { EXAMPLE_CREDENTIALS } from "../../../src/emulator/index.js";
import { AbortError, TimeoutError } from "../../../src/schema/errors.js";
import { drip, startHostileServer, within, type HostileServer } from "../../support/hostile-server.js";

const ARN = "arn:aws:bedrock:us-east-1:123456789012:model-invocation-job/abc";
/** The config's timeout: long enough for a request to reach the server on a busy machine, short for a test. */
const LIMIT_MS = 1_000;

describe("bounded batch requests against a server that drips its answers", () => {
  let server: HostileServer;
  let clients: BatchClients;

  const clientsWith = (timeout: number): Promise<BatchClients> =>
    createBatchClients(
      new LLMConfig({
        api_type: "bedrock_async",
        model: "anthropic.claude-3-5-haiku-20241022-v1:0",
        region: "us-east-1",
        access_key_id: EXAMPLE_CREDENTIALS.accessKeyId,
        secret_access_key: EXAMPLE_CREDENTIALS.secretAccessKey,
        endpoint: server.url,
        timeout,
      }),
      { s3Endpoint: server.url },
    );

  before(async () => {
    server = await startHostileServer();
    clients = await clientsWith(LIMIT_MS);
  });
  after(async () => {
    clients.destroy();
    await server.close();
  });
  beforeEach(() => {
    server.requests.length = 0;
    server.handle((_request, response) => drip(response, { "content-type": "application/json" }, `{"jobArn":"${ARN}","status":"InProgress"`));
  });

  it("GetModelInvocationJob ends at the config's timeout as a retryable TimeoutError naming the request; the connection is closed", async () => {
    await assert.rejects(within(describeBatchJob(clients, ARN), "GetModelInvocationJob"), (error: unknown) => {
      assert.ok(error instanceof TimeoutError, String(error));
      assert.equal(error.kind, "total");
      assert.equal(error.timeoutMs, LIMIT_MS);
      assert.equal(error.retryable, true);
      assert.equal(error.code, "timeout_total");
      assert.equal(error.message, `GetModelInvocationJob ${ARN}: the request did not finish within ${LIMIT_MS} ms. Raise the \`timeout\` option (0 turns it off) if this is expected.`);
      return true;
    });
    assert.ok(server.requests.length >= 1);
    assert.equal(await server.allClosed(), true, "the client closed the dripping connection");
  });

  it("an S3 listing ends the same way", async () => {
    server.handle((_request, response) => drip(response, { "content-type": "application/xml" }, `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>bucket</Name>`));
    const listing = sendBounded(clients, "s3", "Listing s3://bucket/runs/", undefined, (abortSignal) =>
      clients.s3.send(new clients.s3Sdk.ListObjectsV2Command({ Bucket: "bucket", Prefix: "runs/" }), { abortSignal }),
    );
    await assert.rejects(within(listing, "ListObjectsV2"), (error: unknown) => {
      assert.ok(error instanceof TimeoutError, String(error));
      assert.equal(error.kind, "total");
      assert.match(error.message, new RegExp(`^Listing s3://bucket/runs/: the request did not finish within ${LIMIT_MS} ms`));
      return true;
    });
    assert.equal(server.requests[0]?.method, "GET");
    assert.equal(await server.allClosed(), true);
  });

  it("the caller's signal cuts a dripping answer as an AbortError, and the connection is closed", async () => {
    // A timeout far beyond the wait below: on a busy machine the request may take a while to reach the server.
    const patient = await clientsWith(60_000);
    try {
      const caller = new AbortController();
      const request = sendBounded(patient, "controlPlane", `GetModelInvocationJob ${ARN}`, caller.signal, (abortSignal) =>
        patient.bedrock.send(new patient.bedrockSdk.GetModelInvocationJobCommand({ jobIdentifier: ARN }), { abortSignal }),
      );
      const outcome = within(request, "the aborted request").catch((error: unknown) => error);
      for (let i = 0; i < 500 && server.requests.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 5));
      caller.abort();
      const error = await outcome;
      assert.ok(error instanceof AbortError, String(error));
      assert.equal(await server.allClosed(), true);
    } finally {
      patient.destroy();
    }
  });

  it("keeps the credentials out of the timeout's message when the request's name holds them", async () => {
    const action = `GetModelInvocationJob ${ARN}/${EXAMPLE_CREDENTIALS.secretAccessKey}`;
    const request = sendBounded(clients, "controlPlane", action, undefined, (abortSignal) =>
      clients.bedrock.send(new clients.bedrockSdk.GetModelInvocationJobCommand({ jobIdentifier: ARN }), { abortSignal }),
    );
    await assert.rejects(within(request, "GetModelInvocationJob"), (error: unknown) => {
      assert.ok(error instanceof TimeoutError, String(error));
      assert.ok(!error.message.includes(EXAMPLE_CREDENTIALS.secretAccessKey), error.message);
      assert.match(error.message, /^GetModelInvocationJob arn:aws:bedrock:/);
      return true;
    });
  });
});
