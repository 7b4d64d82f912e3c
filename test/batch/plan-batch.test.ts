import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { describe, it } from "node:test";
import { planBatch } from "../../src/batch/plan-batch.js";
import { findModelPrice } from "../../src/providers/prices/find-model-price.js";
import { inputLine, MODEL, tempDir } from "./batch-fixture.js";

describe("planBatch (--dry-run)", () => {
  it("counts the requests still to send, estimates tokens at 4 characters each, and prices on-demand and batch", async () => {
    const files = tempDir();
    try {
      const lines = [
        inputLine("a", "x".repeat(400), { max_tokens: 100 }),
        inputLine("b", "y".repeat(40), { maxTokens: 50 }),
        JSON.stringify({ id: "c", messages: [{ role: "user", content: [{ type: "text", text: "z".repeat(8) }] }], max_tokens: 10 }),
      ];
      writeFileSync(files.path("in.jsonl"), lines.join("\n"));
      writeFileSync(files.path("out.jsonl"), '{"id":"c"}\n{"id":"gone","out');
      const plan = await planBatch({ input: files.path("in.jsonl"), output: files.path("out.jsonl"), model: MODEL });
      assert.equal(plan.total, 3);
      assert.equal(plan.skipped, 1);
      assert.equal(plan.requests, 2);
      assert.equal(plan.inputTokens, 110);
      assert.equal(plan.outputTokens, 150);
      assert.equal(plan.outputIsUpperBound, true);
      const price = findModelPrice(MODEL)!.price;
      const onDemand = (110 * price.input + 150 * price.output) / 1e6;
      assert.ok(Math.abs(plan.onDemand!.total - onDemand) < 1e-12);
      assert.ok(Math.abs(plan.bedrockBatch!.total - onDemand / 2) < 1e-12);
    } finally {
      files.cleanup();
    }
  });

  it("leaves output tokens unknown when a request has no max_tokens, unless an expected count is given", async () => {
    const files = tempDir();
    try {
      writeFileSync(files.path("in.jsonl"), [inputLine("a", "hi"), inputLine("b", "hi", { max_tokens: 5 })].join("\n"));
      const base = { input: files.path("in.jsonl"), output: files.path("out.jsonl"), model: MODEL };
      assert.equal((await planBatch(base)).outputTokens, undefined);
      assert.equal((await planBatch({ ...base, defaultMaxTokens: 20 })).outputTokens, 25);
      const expected = await planBatch({ ...base, outputTokensPerRequest: 30 });
      assert.equal(expected.outputTokens, 60);
      assert.equal(expected.outputIsUpperBound, false);
      assert.equal((await planBatch({ ...base, model: "acme.unknown-v1" })).onDemand, undefined);
    } finally {
      files.cleanup();
    }
  });
});
