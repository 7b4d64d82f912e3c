/**
 * Watching a job against hostile control planes. One that does not answer: the caller's signal ends the watch
 * at once, with the pending request's connection closed. One that keeps failing (500, 503, throttling, a
 * dripped answer): the watch gives up after maxFailedPolls failures in a row, typed. (The upper bounds only
 * guard against a hang.)
 */
import assert from "node:assert/strict";
import type { ServerResponse } from "node:http";
import net, { type AddressInfo, type Socket } from "node:net";
import { after, before, beforeEach, describe, it } from "node:test";
import * as bedrockSdk from "@aws-sdk/client-bedrock";
import { pollBatchJob } from "../../../src/batch/bedrock/poll-batch-job.js";
import type { BatchClients } from "../../../src/batch/bedrock/batch-clients.js";
import { BedrockBatchWatchError } from "../../../src/batch/bedrock/bedrock-batch-errors.js";
import { EXAMPLE_CREDENTIALS } from "../../../src/emulator/index.js";
import { BedrockServiceError, TimeoutError } from "../../../src/schema/errors.js";
import { awsError, drip, startHostileServer, within, type HostileServer } from "../../support/hostile-server.js";

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

describe("pollBatchJob against a control plane that keeps failing", () => {
  const ARN = "arn:aws:bedrock:us-east-1:123456789012:model-invocation-job/abc";
  let server: HostileServer;
  let bedrock: bedrockSdk.BedrockClient;

  before(async () => {
    server = await startHostileServer();
    // One HTTP request per poll (the SDK's own retries off), so the server's count is the poll count.
    bedrock = new bedrockSdk.BedrockClient({ region: "us-east-1", credentials: { ...EXAMPLE_CREDENTIALS }, endpoint: server.url, maxAttempts: 1 });
  });
  after(async () => {
    bedrock.destroy();
    await server.close();
  });
  beforeEach(() => {
    server.requests.length = 0;
  });

  function clients(controlPlaneTimeoutMs?: number): BatchClients {
    return { bedrock, bedrockSdk, secrets: [], requestTimeoutMs: { controlPlane: controlPlaneTimeoutMs, s3: undefined } } as unknown as BatchClients;
  }

  function job(response: ServerResponse, status: string): void {
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({ jobArn: ARN, jobName: "j", status }));
  }

  const failures: [string, (response: ServerResponse) => void][] = [
    ["500 InternalServerException", (response) => awsError(response, 500, "InternalServerException", "internal failure")],
    ["503 ServiceUnavailableException", (response) => awsError(response, 503, "ServiceUnavailableException", "try later")],
    ["429 ThrottlingException", (response) => awsError(response, 429, "ThrottlingException", "slow down")],
  ];

  for (const [what, answer] of failures) {
    it(`gives up after maxFailedPolls ${what} answers in a row, with a typed error naming the request, the count and the option`, async () => {
      server.handle((_request, response) => answer(response));
      const updates: string[] = [];
      const watch = pollBatchJob(clients(), ARN, { intervalMs: 1, maxFailedPolls: 3 }, (described) => updates.push(String(described.status)));
      await assert.rejects(within(watch, "the watch"), (error: unknown) => {
        assert.ok(error instanceof BedrockBatchWatchError, String(error));
        assert.equal(error.code, "bedrock_batch_watch_failed");
        assert.equal(error.jobArn, ARN);
        assert.equal(error.failedPolls, 3);
        assert.ok(error.cause instanceof BedrockServiceError);
        assert.equal(error.cause.awsName, what.split(" ")[1]);
        assert.equal(error.cause.retryable, true);
        assert.match(error.message, new RegExp(`GetModelInvocationJob failed 3 times in a row \\(last: ${what.split(" ")[1]}: GetModelInvocationJob ${ARN} failed`));
        assert.match(error.message, /The job keeps running: run the same command again to resume watching, or raise maxFailedPolls \(--max-failed-polls; 0 = no limit\)/);
        return true;
      });
      assert.equal(server.requests.length, 3, "one request per failed poll, none after giving up");
      assert.deepEqual(updates, []);
    });
  }

  it("counts failures in a row only: a successful poll resets the count", async () => {
    const script = ["fail", "fail", "InProgress", "fail", "fail", "InProgress", "fail", "fail", "Completed"];
    server.handle((_request, response, index) => (script[index] === "fail" ? awsError(response, 503, "ServiceUnavailableException", "try later") : job(response, script[index]!)));
    const updates: string[] = [];
    const finished = await within(pollBatchJob(clients(), ARN, { intervalMs: 1, maxFailedPolls: 3 }, (described) => updates.push(String(described.status))), "the watch");
    assert.equal(finished?.status, "Completed");
    assert.deepEqual(updates, ["InProgress", "InProgress", "Completed"]);
    assert.equal(server.requests.length, script.length);
  });

  it("maxFailedPolls 0 waits through any number of retryable failures", async () => {
    server.handle((_request, response, index) => (index < 12 ? awsError(response, 500, "InternalServerException", "internal failure") : job(response, "Completed")));
    const finished = await within(pollBatchJob(clients(), ARN, { intervalMs: 1, maxFailedPolls: 0 }, () => undefined), "the watch");
    assert.equal(finished?.status, "Completed");
    assert.equal(server.requests.length, 13);
  });

  it("a non-retryable answer (403 AccessDeniedException) ends the watch at the first poll, as the service error", async () => {
    server.handle((_request, response) => awsError(response, 403, "AccessDeniedException", "not allowed"));
    await assert.rejects(within(pollBatchJob(clients(), ARN, { intervalMs: 1, maxFailedPolls: 3 }, () => undefined), "the watch"), (error: unknown) => {
      assert.ok(error instanceof BedrockServiceError, String(error));
      assert.equal(error.awsName, "AccessDeniedException");
      assert.equal(error.retryable, false);
      return true;
    });
    assert.equal(server.requests.length, 1);
  });

  it("a control plane that drips its answers: each poll ends at the request timeout, the watch gives up, no connection is left open", async () => {
    server.handle((_request, response) => drip(response, { "content-type": "application/json" }, `{"jobArn":"${ARN}","status":"InProgress"`));
    await assert.rejects(within(pollBatchJob(clients(150), ARN, { intervalMs: 1, maxFailedPolls: 2 }, () => undefined), "the watch"), (error: unknown) => {
      assert.ok(error instanceof BedrockBatchWatchError, String(error));
      assert.equal(error.failedPolls, 2);
      assert.ok(error.cause instanceof TimeoutError);
      assert.equal(error.cause.kind, "total");
      assert.equal(error.cause.timeoutMs, 150);
      assert.equal(error.cause.retryable, true);
      return true;
    });
    assert.equal(server.requests.length, 2);
    assert.equal(await server.allClosed(), true, "the client closed the dripping connections");
  });
});
