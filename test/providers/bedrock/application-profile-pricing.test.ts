import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Emulator } from "../../../src/emulator/index.js";
import { LLMConfig } from "../../../src/config/llm-config.js";
import { ConfigError } from "../../../src/schema/errors.js";
import { emulatorWith, providerFor } from "./emulator-fixture.js";

const PROFILE = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/h4cpricing01";
const SONNET = "anthropic.claude-sonnet-4-5-20250929-v1:0"; // $3 / $15 per million

function capturingWarnings(): { warnings: Error[]; stop: () => void } {
  const warnings: Error[] = [];
  const listener = (warning: Error) => warnings.push(warning);
  process.on("warning", listener);
  return { warnings, stop: () => process.off("warning", listener) };
}

describe("application inference profile ARNs are priced by the model they route to", () => {
  let emulator: Emulator;
  before(async () => (emulator = await emulatorWith()));
  after(() => emulator.close());

  it("price_as maps the ARN to a priced model: the cost is that model's, recorded under the ARN", async () => {
    const capture = capturingWarnings();
    const provider = providerFor(emulator, { model: PROFILE, price_as: SONNET });
    try {
      const completion = await provider.generateStreamResponse([{ role: "user", content: "Price this call please." }]);
      assert.equal(emulator.requests.at(-1)!.modelId, PROFILE, "the ARN is what goes on the wire");
      const { prompt_tokens: prompt, completion_tokens: output } = completion.usage;
      assert.ok(prompt > 0 && output > 0);
      const cost = provider.getCost();
      assert.equal(cost.totalCost.toFixed(12), ((prompt * 3 + output * 15) / 1e6).toFixed(12));
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(capture.warnings.filter((w) => w.message.includes("h4cpricing01")), []);
    } finally {
      capture.stop();
      await provider.close();
    }
  });

  it("an ARN without price_as is counted at $0 with one MinionWarning naming the fix", async () => {
    const capture = capturingWarnings();
    const arn = `${PROFILE}-unmapped`;
    const provider = providerFor(emulator, { model: arn });
    try {
      await provider.generate([{ role: "user", content: "one" }]);
      await provider.generate([{ role: "user", content: "two" }]);
      await new Promise((resolve) => setImmediate(resolve));
      const cost = provider.getCost();
      assert.ok(cost.totalTokens > 0);
      assert.equal(cost.totalCost, 0);
      const ours = capture.warnings.filter((w) => w.message.includes("h4cpricing01-unmapped"));
      assert.equal(ours.length, 1, "once per ARN per process");
      assert.equal(ours[0]!.name, "MinionWarning");
      assert.equal((ours[0] as Error & { code?: string }).code, "MINION_UNKNOWN_MODEL_PRICE");
      assert.match(ours[0]!.message, /does not say which model it routes to: its tokens are counted, its cost is reported as 0\. Set price_as/);
    } finally {
      capture.stop();
      await provider.close();
    }
  });

  it("a price_as the table does not know is counted at $0 with a warning naming both ids", async () => {
    const warnings: string[] = [];
    const { CostManager } = await import("../../../src/providers/cost-manager.js");
    const costs = new CostManager({ warn: (message) => warnings.push(message) });
    costs.update({ model: `${PROFILE}-typo`, priceAs: "anthropic.claude-sonet-typo", promptTokens: 100, completionTokens: 10 });
    assert.equal(costs.snapshot().totalCost, 0);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /No price is known for model "anthropic\.claude-sonet-typo" \(price_as of "arn:aws:bedrock:.*-typo"\)/);
  });

  it("price_as is validated and accepted in camelCase too", () => {
    assert.equal(new LLMConfig({ api_type: "bedrock", model: PROFILE, priceAs: SONNET }).priceAs, SONNET);
    assert.throws(() => new LLMConfig({ api_type: "bedrock", model: PROFILE, price_as: 42 } as never), (error: unknown) => error instanceof ConfigError && /price_as must be the model id to price calls by/.test(error.message));
  });
});
