import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { serviceErrorFromException, serviceErrorFromResponse } from "../../../../src/providers/bedrock/event-stream/service-error.js";
import { mapBedrockError, retryFactsOf } from "../../../../src/providers/bedrock/map-bedrock-error.js";
import { BedrockServiceError } from "../../../../src/schema/errors.js";

const map = (error: Error, midStream = false) => mapBedrockError(error, { midStream, secrets: [] });

describe("service errors read from Bedrock's payloads", () => {
  it("an HTTP 429 with x-amzn-errortype and retry-after becomes a retryable, throttled BedrockServiceError", () => {
    const raw = serviceErrorFromResponse(429, { "x-amzn-errortype": "ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/", "x-amzn-requestid": "r-42", "retry-after": "2" }, '{"message":"Too many requests, please wait before trying again."}');
    const mapped = map(raw);
    assert.ok(mapped instanceof BedrockServiceError);
    assert.equal(mapped.awsName, "ThrottlingException");
    assert.equal(mapped.status, 429);
    assert.equal(mapped.requestId, "r-42");
    assert.equal(mapped.retryable, true);
    assert.match(mapped.message, /Too many requests/);
    assert.deepEqual(retryFactsOf(mapped), { retryable: true, throttling: true, retryAfterMs: 2000 });
  });

  it("a 5xx is a server fault and retryable; a body that is not JSON still gives a useful message", () => {
    const raw = serviceErrorFromResponse(503, {}, "<html>Service Unavailable</html>");
    assert.equal(raw.$fault, "server");
    const mapped = map(raw);
    assert.ok(mapped instanceof BedrockServiceError);
    assert.equal(mapped.retryable, true);
    assert.match(mapped.message, /HTTP 503 from Bedrock: <html>Service Unavailable/);
  });

  it("an access error names the fix and is not retried", () => {
    const mapped = map(serviceErrorFromResponse(403, { "x-amzn-errortype": "AccessDeniedException" }, '{"Message":"not authorized"}'));
    assert.ok(mapped instanceof BedrockServiceError);
    assert.equal(mapped.awsName, "AccessDeniedException");
    assert.equal(mapped.retryable, false);
    assert.match(mapped.message, /not authorized.*IAM permissions/);
  });

  it("an exception frame mid-stream keeps its name and is marked mid-stream", () => {
    const mapped = map(serviceErrorFromException("ModelStreamErrorException", '{"message":"model failed","originalStatusCode":500}'), true);
    assert.ok(mapped instanceof BedrockServiceError);
    assert.equal(mapped.awsName, "ModelStreamErrorException");
    assert.equal(mapped.midStream, true);
    assert.equal(mapped.status, undefined);
  });
});
