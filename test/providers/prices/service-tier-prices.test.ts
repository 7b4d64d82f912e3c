import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CostManager } from "../../../src/providers/cost-manager.js";
import { registerModelPrice } from "../../../src/providers/prices/find-model-price.js";
import { StreamAccumulator } from "../../../src/providers/bedrock/output/stream-accumulator.js";

// claude-3-5-haiku on Bedrock: input $0.8, output $4, cache read $0.08, 5m cache write $1 per million tokens.
const HAIKU = "anthropic.claude-3-5-haiku-20241022-v1:0";
const USAGE = { model: HAIKU, promptTokens: 1_000_000, completionTokens: 1_000_000 };

function costOf(update: Partial<Parameters<CostManager["update"]>[0]>, warn?: (message: string) => void): number {
  const manager = new CostManager(warn ? { warn } : {});
  manager.update({ ...USAGE, ...update });
  return manager.snapshot().totalCost;
}

describe("service tier prices", () => {
  it("prices the tier the service reported: default 1x, priority 1.75x, flex 0.5x, reserved 0 (capacity is billed monthly)", () => {
    assert.equal(costOf({}), 4.8);
    assert.equal(costOf({ serviceTier: "default" }), 4.8);
    assert.ok(Math.abs(costOf({ serviceTier: "priority" }) - 8.4) < 1e-9);
    assert.ok(Math.abs(costOf({ serviceTier: "flex" }) - 2.4) < 1e-9);
    assert.equal(costOf({ serviceTier: "reserved" }), 0);
  });

  it("a tier with no known factor is priced as standard, with one warning naming it and the fix", () => {
    const warnings: string[] = [];
    assert.equal(costOf({ serviceTier: "turbo-2027" }, (message) => warnings.push(message)), 4.8);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /service tier "turbo-2027".*registerModelPrice/);
  });

  it("a model's own tier factors and 1h write price win over the defaults", () => {
    registerModelPrice("example.tiered-model-v1:0", { input: 2, output: 10, cacheRead: 0.2, cacheWrite: 2.5, cacheWrite1h: 3, tierFactors: { priority: 2 } });
    const manager = new CostManager();
    manager.update({ model: "example.tiered-model-v1:0", promptTokens: 1_000_000, completionTokens: 0, cacheWriteTokens: 1_000_000, cacheWrite1hTokens: 1_000_000, serviceTier: "priority" });
    assert.equal(manager.snapshot().totalCost, 6);
  });
});

describe("1-hour cache write prices", () => {
  it("1h writes cost 2x input, 5m writes the table's write price (1.25x), tier factor on top", () => {
    const update = { promptTokens: 3_000_000, completionTokens: 0, cacheWriteTokens: 2_000_000, cacheWrite1hTokens: 1_000_000 };
    // 1M uncached x 0.8 + 1M 5m writes x 1 + 1M 1h writes x 1.6
    assert.ok(Math.abs(costOf(update) - 3.4) < 1e-9);
    assert.ok(Math.abs(costOf({ ...update, serviceTier: "flex" }) - 1.7) < 1e-9);
  });

  it("a reported 1h count above the writes is capped at the writes", () => {
    assert.ok(Math.abs(costOf({ promptTokens: 1_000_000, completionTokens: 0, cacheWriteTokens: 1_000_000, cacheWrite1hTokens: 5_000_000 }) - 1.6) < 1e-9);
  });
});

describe("the reported tier reaches the cost", () => {
  it("the accumulator's final usage carries the tier the response reported, not the one asked for", () => {
    const accumulator = new StreamAccumulator(HAIKU, []);
    accumulator.push({ type: "service_tier", tier: "default" });
    accumulator.push({ type: "usage", usage: { inputTokens: 10, outputTokens: 5, cacheWriteTokens: 4, cacheWrite1hTokens: 4 } });
    accumulator.push({ type: "finish", stopReason: "end_turn", stopSequence: null });
    assert.equal(accumulator.finalUsage().serviceTier, "default");
    assert.equal(accumulator.completion().service_tier, "default");
    assert.deepEqual(accumulator.completion().usage.cache_creation, { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 4 });
  });
});
