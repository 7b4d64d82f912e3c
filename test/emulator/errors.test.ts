import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as runtime from "@aws-sdk/client-bedrock-runtime";
import { ConverseCommand, InvokeModelCommand } from "@aws-sdk/client-bedrock-runtime";
import type { ErrorName } from "../../src/emulator/answer-plan.js";
import { startEmulator } from "../../src/emulator/index.js";
import { useEmulatorWithSwitchablePlanner } from "./support/emulator-with-sdk-client.js";
import { rawRequest } from "./support/raw-http.js";
import { anthropicBody, CONVERSE_MESSAGES, MODEL_ID, sdkClient } from "./support/sdk-client.js";

const ERRORS: [ErrorName, number][] = [
  ["ValidationException", 400],
  ["AccessDeniedException", 403],
  ["ResourceNotFoundException", 404],
  ["ThrottlingException", 429],
  ["ServiceUnavailableException", 503],
  ["InternalServerException", 500],
  ["ModelTimeoutException", 408],
  ["ModelNotReadyException", 429],
  ["ModelErrorException", 424],
  ["ServiceQuotaExceededException", 400],
];

describe("error plans through the official SDK", () => {
  const sdk = useEmulatorWithSwitchablePlanner();
  const { planner } = sdk;

  for (const [name, status] of ERRORS) {
    it(`${name} (${status}) becomes the SDK's ${name} class`, async () => {
      planner.plan = { kind: "error", name, status, message: `planned ${name}` };
      const ExceptionClass = (runtime as unknown as Record<string, new (...args: never[]) => Error>)[name]!;
      for (const command of [
        new ConverseCommand({ modelId: MODEL_ID, messages: CONVERSE_MESSAGES }),
        new InvokeModelCommand({ modelId: MODEL_ID, body: anthropicBody() }),
      ]) {
        await assert.rejects(sdk.client.send(command as ConverseCommand), (error: unknown) => {
          assert.ok(error instanceof ExceptionClass, `expected ${name}, got ${String(error)}`);
          const typed = error as Error & { $metadata: { httpStatusCode?: number; requestId?: string } };
          assert.equal(typed.name, name);
          assert.equal(typed.message, `planned ${name}`);
          assert.equal(typed.$metadata.httpStatusCode, status);
          assert.match(typed.$metadata.requestId ?? "", /^[0-9a-f-]{36}$/);
          return true;
        });
      }
    });
  }

  it("sends x-amzn-ErrorType, a JSON body, Retry-After and an accurate Date", async () => {
    planner.plan = { kind: "error", name: "ThrottlingException", status: 429, message: "Too many requests, please wait before trying again.", retryAfterSeconds: 2 };
    const response = await rawRequest(sdk.emulator.url, {
      path: `/model/${encodeURIComponent(MODEL_ID)}/converse`,
      body: JSON.stringify({ messages: CONVERSE_MESSAGES }),
      headers: { "content-type": "application/json" },
    });
    // No signature: the emulator answers 403 before planning, so check that first, then the planned error with auth off.
    assert.equal(response.status, 403);
    const open = await startEmulator({ planner: planner.planRequest, auth: false });
    try {
      const planned = await rawRequest(open.url, {
        path: `/model/${encodeURIComponent(MODEL_ID)}/converse`,
        body: JSON.stringify({ messages: CONVERSE_MESSAGES }),
      });
      assert.equal(planned.status, 429);
      assert.match(String(planned.headers["x-amzn-errortype"]), /^ThrottlingException:/);
      assert.equal(planned.headers["content-type"], "application/json");
      assert.equal(planned.headers["retry-after"], "2");
      assert.deepEqual(JSON.parse(planned.body.toString()), { message: "Too many requests, please wait before trying again." });
      const skew = Math.abs(Date.parse(String(planned.headers.date)) - Date.now());
      assert.ok(skew < 60_000, `Date header is ${skew} ms off`);
    } finally {
      await open.close();
    }
  });

  it("a planner that throws gives InternalServerException 500 without its message, and serving goes on", async () => {
    const broken = await startEmulator({
      planner: () => {
        throw new Error("internal detail that must not leak");
      },
    });
    const brokenClient = sdkClient(broken);
    try {
      await assert.rejects(brokenClient.send(new ConverseCommand({ modelId: MODEL_ID, messages: CONVERSE_MESSAGES })), (error: unknown) => {
        assert.ok(error instanceof runtime.InternalServerException);
        assert.equal(error.$metadata.httpStatusCode, 500);
        assert.ok(!error.message.includes("internal detail"));
        return true;
      });
      assert.equal(broken.metrics.errors, 1);
    } finally {
      brokenClient.destroy();
      await broken.close();
    }
  });

  it("retries a retryable error when the client allows it", async () => {
    let calls = 0;
    const flaky = await startEmulator({
      planner: () => {
        calls += 1;
        return calls === 1
          ? { kind: "error", name: "ServiceUnavailableException", status: 503, message: "try again" }
          : { ...planner.plan, kind: "answer", blocks: [{ type: "text", text: "ok" }], stopReason: "end_turn", stopSequence: null, usage: { inputTokens: 1, outputTokens: 1, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 }, timing: { firstByteLatencyMs: 0, chunkDelayMs: 0, chunksPerAnswer: 1 } };
      },
    });
    const retrying = sdkClient(flaky, { maxAttempts: 2 });
    try {
      const output = await retrying.send(new ConverseCommand({ modelId: MODEL_ID, messages: CONVERSE_MESSAGES }));
      assert.deepEqual(output.output?.message?.content, [{ text: "ok" }]);
      assert.equal(calls, 2);
      assert.equal(flaky.requests[1]?.headers["amz-sdk-request"], "attempt=2; max=2");
    } finally {
      retrying.destroy();
      await flaky.close();
    }
  });
});
