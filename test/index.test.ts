import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as minion from "../src/index.js";

describe("public API (src/index.ts)", () => {
  it("exports what DESIGN.md's example and the guide use", () => {
    for (const name of ["loadConfig", "getModelConfig", "createLlmProvider", "registerProvider", "assertResolved", "registerModelPrice", "findModelPrice"] as const) {
      assert.equal(typeof minion[name], "function", name);
    }
    for (const name of ["Message", "LLMConfig", "CostManager", "BedrockAsyncProvider", "BedrockProvider", "BaseProvider", "ConfigError", "MinionError", "Brain"] as const) {
      assert.equal(typeof (minion as Record<string, unknown>)[name], "function", name);
    }
  });

  it("builds a provider the way the guide does, from a config written for minion", () => {
    const config = new minion.LLMConfig({ provider: "bedrock_async", model: "anthropic.claude-3-5-sonnet-20240620-v1:0", region: "us-east-1", temperature: 0.7 });
    const provider = minion.createLlmProvider(config);
    assert.ok(provider instanceof minion.BedrockAsyncProvider);
    assert.equal(provider.model, "anthropic.claude-3-5-sonnet-20240620-v1:0");
    assert.equal(provider.getCost().totalTokens, 0);
    return provider.close();
  });
});
