import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BedrockAsyncProvider } from "../../../../src/providers/bedrock/index.js";
import { ConfigError } from "../../../../src/schema/errors.js";

const base = { apiType: "bedrock_async", model: "anthropic.claude-3-5-sonnet-20240620-v1:0", accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" };

describe("Bedrock region check", () => {
  it("rejects a region without Bedrock when the provider is created, naming the region and the fix", () => {
    assert.throws(
      () => new BedrockAsyncProvider({ ...base, region: "cn-north-1" }),
      (error: unknown) => error instanceof ConfigError && /"cn-north-1"/.test(error.message) && /us-east-1/.test(error.message) && /endpoint/.test(error.message),
    );
  });

  it("accepts Bedrock regions, and any region when an endpoint is given", async () => {
    const inRegion = new BedrockAsyncProvider({ ...base, region: "eu-central-1" });
    assert.equal(inRegion.region, "eu-central-1");
    const withEndpoint = new BedrockAsyncProvider({ ...base, region: "cn-north-1", endpoint: "http://127.0.0.1:9" });
    assert.equal(withEndpoint.region, "cn-north-1");
    await Promise.all([inRegion.close(), withEndpoint.close()]);
  });
});

describe("Bedrock region check in China", () => {
  it("names the China partition's endpoint suffix", () => {
    assert.throws(() => new BedrockAsyncProvider({ ...base, region: "cn-northwest-1" }), /https:\/\/bedrock-runtime\.cn-northwest-1\.amazonaws\.com\.cn\b/);
    assert.throws(() => new BedrockAsyncProvider({ ...base, region: "il-central-2" }), /https:\/\/bedrock-runtime\.il-central-2\.amazonaws\.com\.(?!cn)/);
  });
});
