import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Emulator } from "../../../../src/emulator/index.js";
import { bedrockErrorHint, profilePrefixesFor } from "../../../../src/providers/bedrock/errors/bedrock-error-hints.js";
import { BedrockServiceError } from "../../../../src/schema/errors.js";
import { emulatorWith, providerFor } from "../emulator-fixture.js";

const ON_DEMAND = "Invocation of model ID anthropic.claude-3-5-sonnet-20241022-v2:0 with on-demand throughput isn’t supported. Retry your request with the ID or ARN of an inference profile that contains this model.";

describe("bedrockErrorHint", () => {
  it("points an invalid model id to the listing commands and model access, in the call's region", () => {
    const hint = bedrockErrorHint({ name: "ValidationException", message: "The provided model identifier is invalid.", modelId: "anthropic.claude-sonet", region: "eu-west-1" });
    assert.match(hint, /"anthropic\.claude-sonet"/);
    assert.match(hint, /aws bedrock list-foundation-models --region eu-west-1/);
    assert.match(hint, /model access/);
  });

  it("names the exact inference profile id to configure, by the region's geography", () => {
    assert.match(bedrockErrorHint({ name: "ValidationException", message: ON_DEMAND, region: "us-west-2" }), /model: "us\.anthropic\.claude-3-5-sonnet-20241022-v2:0"/);
    assert.match(bedrockErrorHint({ name: "ValidationException", message: ON_DEMAND, region: "eu-central-1" }), /model: "eu\.anthropic\.claude-3-5-sonnet-20241022-v2:0"/);
    const tokyo = bedrockErrorHint({ name: "ValidationException", message: ON_DEMAND, region: "ap-northeast-1" });
    assert.match(tokyo, /model: "apac\.anthropic\.claude-3-5-sonnet-20241022-v2:0"/);
    assert.match(tokyo, /"jp\.anthropic\.claude-3-5-sonnet-20241022-v2:0"/);
    assert.match(bedrockErrorHint({ name: "ValidationException", message: ON_DEMAND, region: "us-gov-west-1" }), /model: "us-gov\.anthropic/);
    assert.match(bedrockErrorHint({ name: "ValidationException", message: ON_DEMAND, region: "us-east-1" }), /list-inference-profiles --region us-east-1/);
  });

  it("says nothing for other errors, and nothing region-specific without a region", () => {
    assert.equal(bedrockErrorHint({ name: "ThrottlingException", message: "Too many requests" }), "");
    assert.doesNotMatch(bedrockErrorHint({ name: "ValidationException", message: ON_DEMAND }), /model: "/);
    assert.deepEqual(profilePrefixesFor("eu-west-3")[0], "eu");
  });
});

describe("hints on errors from the service", () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await emulatorWith({
      script: {
        rules: [
          { match: { text: "bad id" }, respond: { error: { name: "ValidationException", message: "The provided model identifier is invalid." } } },
          { match: { text: "on demand" }, respond: { error: { name: "ValidationException", message: ON_DEMAND } } },
        ],
      },
    });
  });
  after(() => emulator.close());

  it("adds them to the BedrockServiceError's message, for plain and streamed calls", async () => {
    const provider = providerFor(emulator, { region: "eu-west-1" });
    try {
      await assert.rejects(provider.generate([{ role: "user", content: "bad id" }]), (error: unknown) => {
        assert.ok(error instanceof BedrockServiceError);
        assert.equal(error.awsName, "ValidationException");
        assert.match(error.message, /list-foundation-models --region eu-west-1/);
        return true;
      });
      await assert.rejects(provider.generateStreamResponse([{ role: "user", content: "on demand" }]), (error: unknown) => {
        assert.ok(error instanceof BedrockServiceError);
        assert.match(error.message, /set model: "eu\.anthropic\.claude-3-5-sonnet-20241022-v2:0" in the config/);
        return true;
      });
    } finally {
      await provider.close();
    }
  });
});
