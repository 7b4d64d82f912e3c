import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { isAnthropicModel, selectBedrockApi } from "../../../src/providers/bedrock/select-bedrock-api.js";
import { ConfigError } from "../../../src/schema/errors.js";

describe("selectBedrockApi", () => {
  it("routes the Anthropic family to InvokeModel: base ids, inference profiles and ARNs", () => {
    for (const id of [
      "anthropic.claude-3-5-sonnet-20240620-v1:0",
      "us.anthropic.claude-3-5-haiku-20241022-v1:0",
      "global.anthropic.claude-sonnet-4-5-20250929-v1:0",
      "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-7-sonnet-20250219-v1:0",
      "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0",
    ]) {
      assert.equal(isAnthropicModel(id), true, id);
      assert.equal(selectBedrockApi(id), "invoke", id);
    }
  });

  it("routes everything else, including ids it has never seen, to Converse", () => {
    for (const id of ["amazon.nova-pro-v1:0", "us.meta.llama3-2-90b-instruct-v1:0", "mistral.mistral-large-2407-v1:0", "vendor.brand-new-model-v9:0", "my-anthropic.claudette"]) {
      assert.equal(selectBedrockApi(id), "converse", id);
    }
  });

  it("lets the config choose: api converse opts Claude in, invoke forces the Anthropic body, bad values are ConfigErrors", () => {
    assert.equal(selectBedrockApi("anthropic.claude-3-haiku-20240307-v1:0", "converse"), "converse");
    assert.equal(selectBedrockApi("arn:aws:bedrock:us-east-1:1:application-inference-profile/abc", "invoke"), "invoke");
    assert.equal(selectBedrockApi("amazon.nova-lite-v1:0", "auto"), "converse");
    assert.throws(() => selectBedrockApi("amazon.nova-lite-v1:0", "rest"), ConfigError);
  });
});
