import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { routeRequest } from "../../src/emulator/route-request.js";

describe("routeRequest", () => {
  it("maps each path suffix to its operation", () => {
    const cases: [string, string][] = [
      ["invoke", "InvokeModel"],
      ["invoke-with-response-stream", "InvokeModelWithResponseStream"],
      ["converse", "Converse"],
      ["converse-stream", "ConverseStream"],
      ["count-tokens", "CountTokens"],
    ];
    for (const [suffix, operation] of cases) {
      const route = routeRequest("POST", `/model/m/${suffix}`);
      assert.equal(route.kind === "operation" && route.operation, operation);
    }
  });

  it("matches the raw path, then decodes: an encoded ARN is one segment", () => {
    const arn = "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-haiku-20241022-v1:0";
    const route = routeRequest("POST", `/model/${encodeURIComponent(arn)}/converse`);
    assert.deepEqual(route, { kind: "operation", operation: "Converse", modelId: arn, rawPath: `/model/${encodeURIComponent(arn)}/converse` });
  });

  it("does not accept an unencoded slash inside the model id", () => {
    assert.equal(routeRequest("POST", "/model/arn:aws:bedrock:us-east-1:1:inference-profile/x/converse").kind, "not_found");
  });

  it("ignores a query string", () => {
    assert.equal(routeRequest("POST", "/model/m/invoke?x=1").kind, "operation");
  });

  it("reports unknown paths, wrong methods and bad percent-encoding", () => {
    assert.equal(routeRequest("POST", "/").kind, "not_found");
    assert.equal(routeRequest("POST", "/model/m/generate").kind, "not_found");
    assert.equal(routeRequest("GET", "/model/m/invoke").kind, "method_not_allowed");
    assert.equal(routeRequest("POST", "/model/%E0%A4%A/invoke").kind, "bad_path");
  });
});
