import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BEDROCK_CLAUDE_PRICES } from "../../../src/providers/prices/bedrock-claude-prices.js";
import { findModelPrice, modelIdFromArn, registerModelPrice } from "../../../src/providers/prices/find-model-price.js";

describe("findModelPrice", () => {
  it("finds the guide's models, including 3.5 Haiku (missing from minion's table)", () => {
    assert.equal(findModelPrice("anthropic.claude-3-5-sonnet-20240620-v1:0")?.price.input, 3);
    assert.equal(findModelPrice("anthropic.claude-3-5-haiku-20241022-v1:0")?.price.output, 4);
    assert.equal(findModelPrice("anthropic.claude-3-opus-20240229-v1:0")?.price.output, 75);
  });

  it("uses a listed profile row as is", () => {
    const match = findModelPrice("us.anthropic.claude-sonnet-4-5-20250929-v1:0");
    assert.equal(match?.matchedId, "us.anthropic.claude-sonnet-4-5-20250929-v1:0");
    assert.equal(match?.price.input, 3.3);
  });

  it("falls back from an unlisted profile prefix to the base id", () => {
    assert.equal(findModelPrice("apac.anthropic.claude-3-opus-20240229-v1:0")?.matchedId, "anthropic.claude-3-opus-20240229-v1:0");
    assert.equal(findModelPrice("global.anthropic.claude-3-7-sonnet-20250219-v1:0")?.price.input, 3);
    assert.equal(findModelPrice("us-gov.anthropic.claude-3-haiku-20240307-v1:0")?.price.input, 0.25);
  });

  it("adds the 10% geographic premium when deriving a regional price for newer models, not for global.", () => {
    const regional = findModelPrice("apac.anthropic.claude-sonnet-4-6");
    assert.equal(regional?.price.input, 3.3);
    assert.equal(regional?.price.output, 16.5);
    assert.equal(regional?.price.cacheRead, 0.33);
    assert.equal(findModelPrice("global.anthropic.claude-sonnet-4-6")?.price.input, 3);
  });

  it("takes the model part of an ARN", () => {
    assert.equal(modelIdFromArn("arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"), "anthropic.claude-3-haiku-20240307-v1:0");
    assert.equal(findModelPrice("arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0")?.price.input, 0.25);
    assert.equal(findModelPrice("arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.anthropic.claude-haiku-4-5-20251001-v1:0")?.price.input, 1.1);
    assert.equal(findModelPrice("arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3"), undefined);
  });

  it("accepts a -v1 id without its :0 suffix", () => {
    assert.equal(findModelPrice("anthropic.claude-3-haiku-20240307-v1")?.price.input, 0.25);
  });

  it("returns undefined for unknown models and honours registered prices", () => {
    assert.equal(findModelPrice("writer.palmyra-x5-v1:0"), undefined);
    assert.equal(findModelPrice("constructor"), undefined, "no inherited object keys");
    assert.equal(findModelPrice("__proto__"), undefined);
    registerModelPrice("test.custom-model-v1:0", { input: 2, output: 4 });
    assert.equal(findModelPrice("test.custom-model-v1:0")?.price.output, 4);
  });
});

describe("the reviewed price table", () => {
  const rows = Object.entries(BEDROCK_CLAUDE_PRICES);

  it("has no row with output cheaper than input, or impossible values", () => {
    for (const [id, price] of rows) {
      assert.ok(price.input > 0 && price.output > price.input, id);
      if (price.cacheRead !== null) assert.ok(price.cacheRead < price.input, id);
      if (price.cacheWrite !== null) assert.ok(price.cacheWrite > price.input, id);
      assert.ok(price.maxOutputTokens > 0 && price.maxOutputTokens < price.maxInputTokens, id);
    }
  });

  it("only has Bedrock-style ids (no Vertex '@' ids, no 3.7 Sonnet dated 2024-06-20)", () => {
    for (const [id] of rows) {
      assert.match(id, /^((us-gov|us|eu|apac|au|jp|global)\.)?anthropic\.claude-[a-z0-9.:-]+$/, id);
      assert.ok(!id.includes("claude-3-7-sonnet-20240620"), id);
    }
  });

  it("prices every profile row of a model like its base row, or 10% above it for the newer models", () => {
    for (const [id, price] of rows) {
      const match = /^(us-gov|us|eu|apac|au|jp|global)\.(.+)$/.exec(id);
      if (!match) continue;
      const base = BEDROCK_CLAUDE_PRICES[match[2]!];
      assert.ok(base, `${id} has a base row`);
      const ratio = price.input / base.input;
      const allowed = match[1] === "global" ? [1] : match[1] === "us-gov" ? [1, 1.1, 1.2] : [1, 1.1];
      assert.ok(allowed.some((value) => Math.abs(ratio - value) < 1e-9), `${id}: ${ratio}`);
      assert.ok(Math.abs(price.output / base.output - ratio) < 1e-9, `${id}: output scales like input`);
    }
  });
});
