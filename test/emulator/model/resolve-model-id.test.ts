import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { INVALID_MODEL_ID_MESSAGE, MODEL_NOT_FOUND_MESSAGE, resolveModelId } from "../../../src/emulator/model/index.js";
import { anthropicBody, asAnswer, asError, converseBody, planOnce } from "./helpers.js";

const BASE = "anthropic.claude-3-5-haiku-20241022-v1:0";

describe("model ids", () => {
  it("resolves base ids, every inference-profile prefix and ARNs to a family", () => {
    assert.deepEqual(resolveModelId(BASE), { requested: BASE, baseId: BASE, family: "anthropic", embedding: false });
    for (const prefix of ["us", "eu", "apac", "au", "jp", "ca", "us-gov", "global"]) {
      const resolved = resolveModelId(`${prefix}.${BASE}`);
      assert.equal(resolved.baseId, BASE, prefix);
      assert.equal(resolved.family, "anthropic");
    }
    assert.equal(resolveModelId(`arn:aws:bedrock:us-east-1::foundation-model/${BASE}`).baseId, BASE);
    assert.equal(resolveModelId(`arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.${BASE}`).baseId, BASE);
    assert.equal(resolveModelId("arn:aws-us-gov:bedrock:us-gov-west-1:123456789012:inference-profile/us-gov.meta.llama3-8b-instruct-v1:0").family, "meta");
  });

  it("treats opaque ARNs (application profiles, provisioned, custom, imported) as Claude unless they name a family", () => {
    for (const kind of ["application-inference-profile", "provisioned-model", "custom-model", "imported-model"]) {
      const resolved = resolveModelId(`arn:aws:bedrock:us-east-1:123456789012:${kind}/a1b2c3d4e5f6`);
      assert.equal(resolved.family, "anthropic", kind);
      assert.equal(resolved.baseId, null);
    }
    assert.equal(resolveModelId("arn:aws:bedrock:us-east-1:123456789012:custom-model/amazon.nova-lite-v1:0/abc123").family, "amazon-nova");
  });

  it("recognises families by pattern, including ids it has never seen", () => {
    const cases: Array<[string, string]> = [
      ["anthropic.claude-sonnet-9-20300101-v1:0", "anthropic"],
      ["amazon.nova-pro-v1:0", "amazon-nova"],
      ["amazon.titan-text-express-v1", "amazon-titan"],
      ["meta.llama4-maverick-17b-instruct-v1:0", "meta"],
      ["mistral.pixtral-large-2502-v1:0", "mistral"],
      ["cohere.command-r-plus-v1:0", "cohere"],
      ["ai21.jamba-1-5-large-v1:0", "ai21"],
      ["deepseek.r1-v1:0", "deepseek"],
      ["openai.gpt-oss-120b-1:0", "openai"],
      ["qwen.qwen3-32b-v1:0", "qwen"],
    ];
    for (const [id, family] of cases) assert.equal(resolveModelId(id).family, family, id);
  });

  it("answers a malformed id with ValidationException 'The provided model identifier is invalid.'", async () => {
    for (const id of ["", "not a model", "claude", "arn:aws:bedrock:us-east-1:123456789012:knowledge-base/abc", "arn:nonsense"]) {
      const plan = asError(await planOnce("InvokeModel", anthropicBody(), id));
      assert.equal(plan.name, "ValidationException", id);
      assert.equal(plan.status, 400);
      assert.equal(plan.message, INVALID_MODEL_ID_MESSAGE);
    }
  });

  it("answers a well-formed id of no known family with ResourceNotFoundException 404", async () => {
    const plan = asError(await planOnce("Converse", converseBody(), "acme.rocket-v1:0"));
    assert.deepEqual([plan.name, plan.status, plan.message], ["ResourceNotFoundException", 404, MODEL_NOT_FOUND_MESSAGE]);
  });

  it("serves InvokeModel only for Claude, and points other families to Converse", async () => {
    asAnswer(await planOnce("InvokeModelWithResponseStream", anthropicBody(), `global.${BASE}`));
    const plan = asError(await planOnce("InvokeModel", anthropicBody(), "amazon.nova-lite-v1:0"));
    assert.equal(plan.name, "ValidationException");
    assert.match(plan.message, /^Malformed input request: .*use Converse or ConverseStream for amazon\.nova-lite-v1:0/);
  });

  it("rejects chat operations on embedding models", async () => {
    const plan = asError(await planOnce("Converse", converseBody(), "amazon.titan-embed-text-v2:0"));
    assert.equal(plan.message, "This action doesn't support the model that you provided. Try again with a supported text or chat model.");
  });
});
