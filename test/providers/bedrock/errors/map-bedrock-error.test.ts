import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { inspect } from "node:util";
import { mapBedrockError } from "../../../../src/providers/bedrock/errors/map-bedrock-error.js";
import { serviceErrorFromResponse } from "../../../../src/providers/bedrock/transport/service-error.js";
import { BedrockServiceError, InvalidRequestError, NetworkError, ProviderError } from "../../../../src/schema/errors.js";

const context = { midStream: false, secrets: [] };

describe("mapBedrockError", () => {
  it("adds the hint for what to check to a service error, keeping its fields", () => {
    const raw = serviceErrorFromResponse(403, { "x-amzn-errortype": "AccessDeniedException", "x-amzn-requestid": "req-1" }, '{"message":"not allowed"}', []);
    const error = mapBedrockError(raw, context);
    assert.ok(error instanceof BedrockServiceError);
    assert.equal(error.awsName, "AccessDeniedException");
    assert.equal(error.status, 403);
    assert.equal(error.requestId, "req-1");
    assert.equal(error.retryable, false);
    assert.match(error.message, /^AccessDeniedException: not allowed \(check the IAM permissions/);
  });

  it("adds the hint once when an already mapped error is mapped again (the retry layer throws mapped errors)", () => {
    const raw = serviceErrorFromResponse(400, { "x-amzn-errortype": "ValidationException" }, '{"message":"Invocation of model ID anthropic.claude-sonnet-4-20250514-v1:0 with on-demand throughput isn\u2019t supported."}', []);
    const once = mapBedrockError(raw, { ...context, region: "us-east-1" });
    const twice = mapBedrockError(once, { ...context, region: "us-east-1" });
    assert.equal(twice.message.match(/Hint:/g)?.length, 1);
    assert.equal(twice.message, once.message);
    const denied = serviceErrorFromResponse(403, { "x-amzn-errortype": "UnrecognizedClientException" }, '{"message":"bad token"}', []);
    const deniedTwice = mapBedrockError(mapBedrockError(denied, context), context);
    assert.equal(deniedTwice.message.match(/check the AWS credentials/g)?.length, 1);
  });

  it("marks a service error that came after part of the answer as mid-stream, keeping its retry facts", () => {
    const raw = serviceErrorFromResponse(429, { "x-amzn-errortype": "ThrottlingException", "retry-after": "2" }, '{"message":"slow down"}', []);
    const error = mapBedrockError(raw, { ...context, midStream: true });
    assert.ok(error instanceof BedrockServiceError);
    assert.equal(error.midStream, true);
    assert.equal(error.throttling, true);
    assert.equal(error.retryAfterMs, 2000);
    assert.equal(error.message, "ThrottlingException: slow down");
  });

  it("keeps the library's typed errors as they are", () => {
    const own = new InvalidRequestError("nope");
    assert.equal(mapBedrockError(own, context), own);
    const network = new NetworkError("cut", true, { networkCode: "ECONNRESET" });
    assert.equal(mapBedrockError(network, context), network);
  });

  it("makes anything untyped a final ProviderError with a scrubbed message and a cause holding only name and message", () => {
    const thrown = Object.assign(new TypeError("Credential=AKIAIOSFODNN7EXAMPLE/2026 secret=hunter2hunter2"), { $response: { body: "x-amz-security-token: hunter2hunter2" } });
    const error = mapBedrockError(thrown, { midStream: false, secrets: ["hunter2hunter2"] });
    assert.ok(error instanceof ProviderError);
    assert.equal(error.retryable, false);
    const everything = inspect(error, { depth: null, showHidden: true }) + JSON.stringify(error);
    assert.ok(!everything.includes("AKIAIOSFODNN7EXAMPLE"));
    assert.ok(!everything.includes("hunter2hunter2"));
    assert.deepEqual(Object.keys(error.cause as object), ["name", "message"]);
  });
});
