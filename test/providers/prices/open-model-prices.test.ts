import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CostManager } from "../../../src/providers/cost-manager.js";
import { BEDROCK_OPEN_MODEL_PRICES } from "../../../src/providers/prices/bedrock-open-model-prices.js";
import { findModelPrice } from "../../../src/providers/prices/find-model-price.js";

describe("prices of non-Claude models (Nova, Llama, Mistral, DeepSeek, gpt-oss)", () => {
  it("prices each family's flagship ids, per million tokens", () => {
    const expected: Array<[string, number, number]> = [
      ["amazon.nova-micro-v1:0", 0.035, 0.14],
      ["amazon.nova-lite-v1:0", 0.06, 0.24],
      ["amazon.nova-pro-v1:0", 0.8, 3.2],
      ["amazon.nova-premier-v1:0", 2.5, 12.5],
      ["amazon.nova-2-lite-v1:0", 0.3, 2.5],
      ["meta.llama3-3-70b-instruct-v1:0", 0.72, 0.72],
      ["meta.llama4-maverick-17b-instruct-v1:0", 0.24, 0.97],
      ["mistral.pixtral-large-2502-v1:0", 2, 6],
      ["mistral.mistral-large-2407-v1:0", 3, 9],
      ["deepseek.r1-v1:0", 1.35, 5.4],
      ["deepseek.v3-v1:0", 0.58, 1.68],
      ["openai.gpt-oss-20b-1:0", 0.07, 0.3],
      ["openai.gpt-oss-120b-1:0", 0.15, 0.6],
    ];
    for (const [id, input, output] of expected) {
      const match = findModelPrice(id);
      assert.equal(match?.price.input, input, id);
      assert.equal(match?.price.output, output, id);
    }
  });

  it("resolves region-prefixed profile ids: listed rows as listed, others to the base id", () => {
    assert.equal(findModelPrice("eu.amazon.nova-pro-v1:0")?.price.input, 1.05);
    assert.equal(findModelPrice("us.amazon.nova-pro-v1:0")?.matchedId, "amazon.nova-pro-v1:0");
    assert.equal(findModelPrice("us.amazon.nova-premier-v1:0")?.price.output, 12.5);
    assert.equal(findModelPrice("us.meta.llama4-scout-17b-instruct-v1:0")?.matchedId, "meta.llama4-scout-17b-instruct-v1:0");
    assert.equal(findModelPrice("us.deepseek.r1-v1:0")?.price.input, 1.35);
    assert.equal(findModelPrice("eu.mistral.pixtral-large-2502-v1:0")?.price.output, 6);
    assert.equal(findModelPrice("arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.meta.llama3-3-70b-instruct-v1:0")?.price.input, 0.72);
  });

  it("adds Nova 2 Lite's 10% geographic premium, not for global.", () => {
    const regional = findModelPrice("us.amazon.nova-2-lite-v1:0");
    assert.equal(regional?.price.input, 0.33);
    assert.equal(regional?.price.output, 2.75);
    assert.equal(regional?.price.cacheRead, 0.0825);
    assert.equal(findModelPrice("jp.amazon.nova-2-lite-v1:0")?.price.input, 0.33);
    assert.equal(findModelPrice("global.amazon.nova-2-lite-v1:0")?.price.input, 0.3);
    assert.equal(findModelPrice("us.amazon.nova-pro-v1:0")?.price.input, 0.8, "first-generation Nova: no premium");
  });

  it("a Nova call with cache reads costs 25% of input for the read part; no unknown-model warning", () => {
    const warnings: string[] = [];
    const costs = new CostManager({ warn: (message) => warnings.push(message) });
    costs.update({ model: "us.amazon.nova-pro-v1:0", promptTokens: 1_000_000, completionTokens: 1_000_000, cacheReadTokens: 400_000 });
    const cost = costs.snapshot();
    assert.equal(Number(cost.totalPromptCost.toFixed(9)), Number((0.6 * 0.8 + 0.4 * 0.2).toFixed(9)));
    assert.equal(Number(cost.totalCompletionCost.toFixed(9)), 3.2);
    costs.update({ model: "openai.gpt-oss-120b-1:0", promptTokens: 2_000, completionTokens: 1_000 });
    assert.equal(Number(costs.byModel()["openai.gpt-oss-120b-1:0"]!.totalCost.toFixed(12)), Number((0.0003 + 0.0006).toFixed(12)));
    assert.deepEqual(warnings, []);
  });

  it("has sane rows: positive prices, output >= input, cache read below input, limits set", () => {
    for (const [id, price] of Object.entries(BEDROCK_OPEN_MODEL_PRICES)) {
      assert.ok(price.input > 0 && price.output >= price.input, id);
      if (price.cacheRead !== null) assert.ok(price.cacheRead < price.input, id);
      assert.ok(price.maxInputTokens > 0 && price.maxOutputTokens > 0 && price.maxOutputTokens <= price.maxInputTokens, id);
      assert.match(id, /^((us|eu|apac|global)\.)?(amazon\.nova|meta\.llama|mistral\.|deepseek\.|openai\.gpt-oss)/, id);
    }
  });
});
