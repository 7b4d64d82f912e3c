import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CostManager } from "../../src/providers/cost-manager.js";
import { resetWarningsForTests } from "../../src/config/warn-once.js";

const SONNET = "anthropic.claude-3-5-sonnet-20240620-v1:0"; // $3 in, $15 out, $0.30 cache read, $3.75 cache write

function close(actual: number, expected: number): void {
  assert.ok(Math.abs(actual - expected) < 1e-12, `${actual} != ${expected}`);
}

describe("CostManager", () => {
  it("prices prompt and completion tokens and reports total_tokens", () => {
    const costs = new CostManager();
    costs.update({ model: SONNET, promptTokens: 1_000_000, completionTokens: 100_000 });
    const snapshot = costs.snapshot();
    close(snapshot.totalPromptCost, 3);
    close(snapshot.totalCompletionCost, 1.5);
    close(snapshot.totalCost, 4.5);
    assert.equal(snapshot.totalPromptTokens, 1_000_000);
    assert.equal(snapshot.totalCompletionTokens, 100_000);
    assert.equal(snapshot.totalTokens, 1_100_000);
  });

  it("prices cache reads and writes separately (they are part of promptTokens)", () => {
    const costs = new CostManager();
    costs.update({ model: SONNET, promptTokens: 1_000_000, completionTokens: 0, cacheReadTokens: 600_000, cacheWriteTokens: 100_000 });
    const snapshot = costs.snapshot();
    // 300k uncached x $3 + 600k x $0.30 + 100k x $3.75
    close(snapshot.totalPromptCost, 0.9 + 0.18 + 0.375);
    assert.equal(snapshot.totalCacheReadTokens, 600_000);
    assert.equal(snapshot.totalCacheWriteTokens, 100_000);
    assert.equal(snapshot.totalPromptTokens, 1_000_000);
  });

  it("normalizes inference profile prefixes and ARNs", () => {
    const costs = new CostManager();
    costs.update({ model: `apac.${SONNET}`, promptTokens: 1_000_000, completionTokens: 0 });
    costs.update({ model: `arn:aws:bedrock:us-east-1::foundation-model/${SONNET}`, promptTokens: 1_000_000, completionTokens: 0 });
    close(costs.snapshot().totalCost, 6);
  });

  it("counts tokens of an unknown model at cost 0 and warns once per model", () => {
    const warnings: string[] = [];
    const costs = new CostManager({ warn: (message) => warnings.push(message) });
    costs.update({ model: "mystery.model-one", promptTokens: 10, completionTokens: 5 });
    costs.update({ model: "mystery.model-one", promptTokens: 10, completionTokens: 5 });
    new CostManager({ warn: (message) => warnings.push(message) }).update({ model: "mystery.model-one", promptTokens: 1, completionTokens: 1 });
    costs.update({ model: "mystery.model-two", promptTokens: 1, completionTokens: 1 });
    assert.equal(warnings.length, 2);
    assert.match(warnings[0]!, /No price is known for model "mystery\.model-one": its tokens are counted, its cost is reported as 0/);
    const snapshot = costs.snapshot();
    assert.equal(snapshot.totalTokens, 32);
    assert.equal(snapshot.totalCost, 0);
  });

  it("emits the unknown-model warning through process.emitWarning by default", async () => {
    const seen: Error[] = [];
    const listener = (warning: Error) => seen.push(warning);
    process.on("warning", listener);
    try {
      const costs = new CostManager();
      costs.update({ model: "mystery.model-three", promptTokens: 1, completionTokens: 1 });
      costs.update({ model: "mystery.model-three", promptTokens: 1, completionTokens: 1 });
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off("warning", listener);
    }
    const ours = seen.filter((warning) => warning.message.includes("mystery.model-three"));
    assert.equal(ours.length, 1);
    assert.equal(ours[0]!.name, "MinionWarning");
  });

  it("reset() returns every total to zero", () => {
    const costs = new CostManager();
    costs.update({ model: SONNET, promptTokens: 100, completionTokens: 100, cacheReadTokens: 10 });
    costs.reset();
    assert.deepEqual(Object.values(costs.snapshot()), new Array(8).fill(0));
  });

  it("sums updates from many concurrent calls exactly", async () => {
    const costs = new CostManager();
    await Promise.all(
      Array.from({ length: 200 }, async (_, index) => {
        await new Promise((resolve) => setImmediate(resolve));
        costs.update({ model: index % 2 ? SONNET : `us.${SONNET}`, promptTokens: 1000, completionTokens: 100 });
      }),
    );
    const snapshot = costs.snapshot();
    assert.equal(snapshot.totalPromptTokens, 200_000);
    assert.equal(snapshot.totalCompletionTokens, 20_000);
    close(snapshot.totalCost, (200_000 * 3 + 20_000 * 15) / 1e6);
    assert.deepEqual(Object.keys(costs.byModel()).sort(), [SONNET, `us.${SONNET}`].sort());
  });

  it("rejects negative, non-finite and absurd counts (0, one warning per process) and caps cache tokens at promptTokens", () => {
    resetWarningsForTests(); // another test file of this process may have had its warning
    const warnings: string[] = [];
    const costs = new CostManager({ warn: (message) => warnings.push(message) });
    costs.update({ model: SONNET, promptTokens: -5, completionTokens: Number.NaN });
    costs.update({ model: SONNET, promptTokens: 1e308, completionTokens: Number.POSITIVE_INFINITY, cacheReadTokens: 1e308 });
    costs.update({ model: SONNET, promptTokens: 10, completionTokens: 0, cacheReadTokens: 50 });
    const snapshot = costs.snapshot();
    assert.equal(snapshot.totalPromptTokens, 10);
    assert.equal(snapshot.totalCompletionTokens, 0);
    assert.equal(snapshot.totalCacheReadTokens, 10);
    assert.ok(Number.isFinite(snapshot.totalCost));
    close(snapshot.totalPromptCost, (10 * 0.3) / 1e6);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /invalid token count for promptTokens \(a negative number\); it is counted as 0/);
  });
});
