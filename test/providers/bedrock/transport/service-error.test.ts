import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { serviceErrorFromErrorFrame, serviceErrorFromException, serviceErrorFromResponse } from "../../../../src/providers/bedrock/transport/service-error.js";
import { BedrockServiceError } from "../../../../src/schema/errors.js";

describe("service errors read from Bedrock's payloads", () => {
  it("an HTTP 429 with x-amzn-errortype and retry-after is a retryable, throttled BedrockServiceError", () => {
    const error = serviceErrorFromResponse(429, { "x-amzn-errortype": "ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/", "x-amzn-requestid": "r-42", "retry-after": "2" }, '{"message":"Too many requests, please wait before trying again."}', []);
    assert.ok(error instanceof BedrockServiceError);
    assert.equal(error.awsName, "ThrottlingException");
    assert.equal(error.status, 429);
    assert.equal(error.requestId, "r-42");
    assert.equal(error.retryable, true);
    assert.equal(error.throttling, true);
    assert.equal(error.retryAfterMs, 2000);
    assert.match(error.message, /Too many requests/);
    assert.equal(serviceErrorFromResponse(429, { "x-amz-retry-after": "1500" }, "{}", []).retryAfterMs, 1500);
  });

  it("a 5xx is a server fault and retryable; a body that is not JSON still gives a useful message", () => {
    const error = serviceErrorFromResponse(503, {}, "<html>Service Unavailable</html>", []);
    assert.equal(error.retryable, true);
    assert.equal((error.cause as { fault: string }).fault, "server");
    assert.match(error.message, /HTTP 503 from Bedrock: <html>Service Unavailable/);
  });

  it("a client error is final; `__type` and `code` name it when the header does not", () => {
    const error = serviceErrorFromResponse(400, {}, '{"__type":"com.amazon.bedrock#ValidationException","message":"bad"}', []);
    assert.equal(error.awsName, "ValidationException");
    assert.equal(error.retryable, false);
    assert.equal(serviceErrorFromResponse(400, {}, '{"code":"ValidationException"}', []).awsName, "ValidationException");
  });

  it("the cause holds only the allow-listed facts: name, fault, status, request id, x-amzn-* and retry-after headers", () => {
    const error = serviceErrorFromResponse(500, { "x-amzn-requestid": "r-1", "x-amzn-errortype": "InternalServerException", "retry-after": "1", "set-cookie": ["a=b"], server: "x" }, '{"message":"m","extra":"e"}', []);
    assert.deepEqual(error.cause, {
      name: "InternalServerException",
      fault: "server",
      status: 500,
      requestId: "r-1",
      headers: { "x-amzn-requestid": "r-1", "x-amzn-errortype": "InternalServerException", "retry-after": "1" },
    });
  });

  it("a name that is not an identifier, or that holds a credential, is not shown", () => {
    assert.equal(serviceErrorFromResponse(400, {}, '{"__type":"Bad <script> name","message":"m"}', []).awsName, "UnknownError");
    assert.equal(serviceErrorFromResponse(400, {}, '{"__type":"ValidationExceptionSECRETSECRET","message":"m"}', ["SECRETSECRET"]).awsName, "UnknownError");
  });

  it("an exception frame keeps its class name; a retryable one is marked so; an error frame too", () => {
    const error = serviceErrorFromException("modelStreamErrorException", '{"message":"model failed","originalStatusCode":500}', []);
    assert.equal(error.awsName, "ModelStreamErrorException");
    assert.equal(error.retryable, true);
    assert.equal(error.status, undefined);
    assert.equal((error.cause as { fault: string }).fault, "server");
    const frame = serviceErrorFromErrorFrame("ThrottlingException", "slow", []);
    assert.equal(frame.awsName, "ThrottlingException");
    assert.equal(frame.throttling, true);
  });

  it("a huge exception message is cut short, with a token straddling the cut removed whole", () => {
    const token = `FwoGZXIvYXdzEJr${"0123456789abcdef".repeat(40)}`;
    const message = `${"x".repeat(990)}${token}${"y".repeat(16 * 1024 * 1024)}`;
    const error = serviceErrorFromException("validationException", JSON.stringify({ message }), [token]);
    assert.ok(error.message.includes("[redacted]"), error.message.slice(-80));
    for (let at = 0; at + 16 <= token.length; at++) assert.ok(!error.message.includes(token.slice(at, at + 16)));
    assert.ok(error.message.length < 1200);
  });
});
