import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ModelErrorException, ThrottlingException, ValidationException } from "@aws-sdk/client-bedrock-runtime";
import { inspect } from "node:util";
import { mapBedrockError, retryFactsOf } from "../../../src/providers/bedrock/map-bedrock-error.js";
import { BedrockServiceError, InvalidRequestError, NetworkError, ProviderError } from "../../../src/schema/errors.js";

function sdkError<T extends Error>(error: T, status: number, headers: Record<string, string> = {}): T {
  Object.assign(error, { $metadata: { httpStatusCode: status, requestId: "req-1" }, $response: { statusCode: status, headers } });
  return error;
}

describe("mapBedrockError", () => {
  it("keeps the AWS name, status and request id, and reads the retry-after hint", () => {
    const thrown = sdkError(new ThrottlingException({ message: "Too many requests", $metadata: {} }), 429, { "retry-after": "2" });
    const error = mapBedrockError(thrown, { midStream: false, secrets: [] });
    assert.ok(error instanceof BedrockServiceError);
    assert.equal(error.awsName, "ThrottlingException");
    assert.equal(error.status, 429);
    assert.equal(error.requestId, "req-1");
    assert.equal(error.retryable, true);
    assert.deepEqual(retryFactsOf(error), { retryable: true, throttling: true, retryAfterMs: 2000 });
    const amz = mapBedrockError(sdkError(new ThrottlingException({ message: "x", $metadata: {} }), 429, { "x-amz-retry-after": "1500" }), { midStream: false, secrets: [] });
    assert.equal(retryFactsOf(amz).retryAfterMs, 1500);
  });

  it("marks client errors final and mid-stream errors as such", () => {
    const error = mapBedrockError(sdkError(new ValidationException({ message: "bad body", $metadata: {} }), 400), { midStream: true, secrets: [] });
    assert.ok(error instanceof BedrockServiceError);
    assert.equal(error.retryable, false);
    assert.equal(error.midStream, true);
  });

  it("turns socket failures into retryable NetworkErrors and keeps library errors as they are", () => {
    const reset = Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" });
    const error = mapBedrockError(reset, { midStream: false, secrets: [] });
    assert.ok(error instanceof NetworkError);
    assert.equal(error.retryable, true);
    const own = new InvalidRequestError("nope");
    assert.equal(mapBedrockError(own, { midStream: false, secrets: [] }), own);
    assert.ok(mapBedrockError(new TypeError("something else"), { midStream: false, secrets: [] }) instanceof ProviderError);
  });

  it("scrubs known secrets and access-key-shaped strings, also from the original error", () => {
    const thrown = sdkError(new ValidationException({ message: "Credential=AKIAIOSFODNN7EXAMPLE/2026 secret=hunter2hunter2", $metadata: {} }), 400);
    const error = mapBedrockError(thrown, { midStream: false, secrets: ["hunter2hunter2"] });
    assert.ok(!error.message.includes("AKIAIOSFODNN7EXAMPLE"));
    assert.ok(!error.message.includes("hunter2hunter2"));
    assert.ok(!thrown.message.includes("hunter2hunter2"));
  });

  it("keeps no raw response in the cause: the SDK's read-only $response (its request holds the signed headers) becomes status and headers", () => {
    const token = "IQoJb3JpZ2luX2VjSESSIONTOKENSESSIONTOKEN";
    const thrown = new ValidationException({ message: "bad input", $metadata: { httpStatusCode: 400, requestId: "req-9" } });
    const raw = { statusCode: 400, headers: { "x-amzn-requestid": "req-9" }, body: { req: { _header: `POST /model/m/invoke HTTP/1.1\r\nx-amz-security-token: ${token}\r\n` } } };
    Object.defineProperty(thrown, "$response", { value: raw, enumerable: false, writable: false, configurable: false });
    const error = mapBedrockError(thrown, { midStream: false, secrets: [] });
    assert.ok(error instanceof BedrockServiceError);
    assert.equal(error.awsName, "ValidationException");
    assert.equal(error.requestId, "req-9");
    assert.ok(!inspect(error, { depth: Infinity, showHidden: true }).includes(token), "session token reachable from the error");
    assert.deepEqual((error.cause as { $response: unknown }).$response, { statusCode: 400, headers: { "x-amzn-requestid": "req-9" } });
    const modelError = new ModelErrorException({ message: "model failed", originalStatusCode: 500, resourceName: "arn:res", $metadata: { httpStatusCode: 424 } });
    Object.defineProperty(modelError, "$response", { value: raw, enumerable: false, writable: false, configurable: false });
    const cause = mapBedrockError(modelError, { midStream: false, secrets: [] }).cause as ModelErrorException;
    assert.equal(cause.originalStatusCode, 500);
    assert.equal(cause.resourceName, "arn:res");
    assert.equal(cause.name, "ModelErrorException");
  });
});
