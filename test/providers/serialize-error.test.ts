/**
 * Errors cross from the generateSync worker as plain data (serializeError) and are rebuilt on the calling
 * thread (deserializeError): the rebuilt error has the same class, code, message and fields.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { deserializeError, serializeError } from "../../src/providers/serialize-error.js";
import { AbortError, BedrockServiceError, NetworkError, TimeoutError } from "../../src/schema/errors.js";

const roundTrip = (error: Error): Error => deserializeError(structuredClone(serializeError(error)));

describe("serializeError / deserializeError", () => {
  it("rebuild a timeout with its kind, limit and message, what timed out included", () => {
    for (const original of [new TimeoutError("total", 300), new TimeoutError("idle", 200), new TimeoutError("total", 300, "GetModelInvocationJob arn:aws:bedrock:us-east-1:123456789012:model-invocation-job/abc")]) {
      const rebuilt = roundTrip(original);
      assert.ok(rebuilt instanceof TimeoutError);
      assert.equal(rebuilt.message, original.message);
      assert.equal(rebuilt.kind, original.kind);
      assert.equal(rebuilt.timeoutMs, original.timeoutMs);
      assert.equal(rebuilt.subject, original.subject);
      assert.equal(rebuilt.code, original.code);
      assert.equal(rebuilt.retryable, original.retryable);
    }
  });

  it("rebuild service, network and abort errors with their fields", () => {
    const service = new BedrockServiceError({ awsName: "ThrottlingException", message: "Too many requests", status: 429, requestId: "r-1", retryable: true, throttling: true, retryAfterMs: 1000, midStream: false });
    const rebuiltService = roundTrip(service);
    assert.ok(rebuiltService instanceof BedrockServiceError);
    assert.equal(rebuiltService.message, service.message);
    assert.deepEqual([rebuiltService.status, rebuiltService.requestId, rebuiltService.throttling, rebuiltService.retryAfterMs], [429, "r-1", true, 1000]);
    const network = roundTrip(new NetworkError("The connection was reset.", true, { networkCode: "ECONNRESET" }));
    assert.ok(network instanceof NetworkError && network.networkCode === "ECONNRESET" && network.retryable);
    assert.ok(roundTrip(new AbortError()) instanceof AbortError);
  });
});
