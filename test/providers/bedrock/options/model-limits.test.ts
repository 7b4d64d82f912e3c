import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { modelTokenLimits } from "../../../../src/providers/bedrock/options/model-limits.js";

describe("modelTokenLimits", () => {
  it("knows the output caps of Claude families, with profile prefixes and ARNs", () => {
    const cases: [string, number | undefined, number][] = [
      ["anthropic.claude-3-haiku-20240307-v1:0", 4096, 4096],
      ["us.anthropic.claude-3-5-sonnet-20241022-v2:0", 8192, 4096],
      ["anthropic.claude-3-7-sonnet-20250219-v1:0", 64000, 4096],
      ["global.anthropic.claude-sonnet-4-5-20250929-v1:0", 64000, 4096],
      ["anthropic.claude-opus-4-20250514-v1:0", 32000, 4096],
      ["eu.anthropic.claude-opus-4-1-20250805-v1:0", 32000, 4096],
      ["anthropic.claude-opus-4-5-20251101-v1:0", 64000, 4096],
      ["arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-haiku-4-5-20251001-v1:0", 64000, 4096],
      ["anthropic.claude-future-9", undefined, 4096],
    ];
    for (const [model, cap, fallback] of cases) {
      assert.deepEqual(modelTokenLimits(model), { maxOutputTokens: cap, defaultMaxTokens: fallback }, model);
    }
  });
});

describe("resolveCallOptions", () => {
  it("lowers maxTokens above the model's cap, and sends unknown models' values as given", async () => {
    const { resolveCallOptions } = await import("../../../../src/providers/bedrock/options/resolve-call-options.js");
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => void warnings.push(warning.message);
    process.on("warning", onWarning);
    try {
      assert.equal(resolveCallOptions("anthropic.claude-3-haiku-20240307-v1:0", { maxTokens: 10_000 }, {}).maxTokens, 4096);
      assert.equal(resolveCallOptions("anthropic.claude-future-9", { maxTokens: 10_000 }, {}).maxTokens, 10_000);
      assert.equal(resolveCallOptions("anthropic.claude-3-haiku-20240307-v1:0", {}, { maxTokens: 1234 }).maxTokens, 1234);
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off("warning", onWarning);
    }
    assert.ok(warnings.some((message) => /more than anthropic\.claude-3-haiku/.test(message)));
  });
});
