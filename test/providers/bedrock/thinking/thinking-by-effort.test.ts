import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { mapEffort } from "../../../../src/providers/bedrock/options/map-effort.js";
import { effortOfThinking } from "../../../../src/providers/bedrock/thinking/thinking-by-effort.js";
import { InvalidRequestError } from "../../../../src/schema/errors.js";

const GPT_OSS = "openai.gpt-oss-120b-1:0";

describe("thinking on models that reason by effort", () => {
  it("thinking: true asks for medium; a given effort wins; off or unset asks for none", () => {
    assert.equal(effortOfThinking(GPT_OSS, true, undefined), "medium");
    assert.equal(effortOfThinking(GPT_OSS, true, "low"), "low");
    assert.equal(effortOfThinking(GPT_OSS, false, "high"), "high");
    assert.equal(effortOfThinking(GPT_OSS, false, undefined), undefined);
    assert.equal(effortOfThinking(GPT_OSS, undefined, undefined), undefined);
  });

  it("refuses a token budget, naming the model", () => {
    assert.throws(
      () => effortOfThinking(GPT_OSS, { budgetTokens: 2048 }, undefined),
      (error: Error) => error instanceof InvalidRequestError && error.message.includes(GPT_OSS) && /not by a token budget/.test(error.message),
    );
  });

  it("lands in each family's field; DeepSeek-R1 always reasons and is sent nothing for thinking: true", () => {
    assert.deepEqual(mapEffort("us.amazon.nova-2-lite-v1:0", undefined, true), { additionalFields: { reasoningConfig: { type: "enabled", maxReasoningEffort: "medium" } } });
    assert.deepEqual(mapEffort(GPT_OSS, undefined, true), { additionalFields: { reasoning_effort: "medium" } });
    assert.deepEqual(mapEffort("us.deepseek.r1-v1:0", undefined, true), {});
    assert.throws(() => mapEffort("us.deepseek.r1-v1:0", undefined, { budgetTokens: 2048 }), /not by a token budget/);
    assert.throws(() => mapEffort("us.deepseek.r1-v1:0", "low", true), /always reasons and takes no effort/);
  });
});
