import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ChatCompletion } from "../../../src/schema/chat-completion.js";
import { bodyOf, emulatorWith, providerFor } from "./emulator-fixture.js";

describe("concurrency, cost and transports", () => {
  it("20 concurrent calls on one provider: every answer right, cost is the sum of their usage", async () => {
    const emulator = await emulatorWith({ chunkDelayMs: 2 });
    const provider = providerFor(emulator, { max_concurrency: 8 });
    try {
      const completions: ChatCompletion[] = await Promise.all(
        Array.from({ length: 20 }, (_, i) => provider.generateStreamResponse([{ role: "user", content: `question number ${i}` }])),
      );
      completions.forEach((completion, i) => assert.match(completion.choices[0]!.message.content!, new RegExp(`You said: question number ${i}$`)));
      const prompt = completions.reduce((sum, c) => sum + c.usage.prompt_tokens, 0);
      const output = completions.reduce((sum, c) => sum + c.usage.completion_tokens, 0);
      const cost = provider.getCost();
      assert.equal(cost.totalPromptTokens, prompt);
      assert.equal(cost.totalCompletionTokens, output);
      assert.equal(cost.totalTokens, prompt + output);
      assert.ok(cost.totalCost > 0);
      assert.equal(emulator.metrics.streamsInFlight, 0);
    } finally {
      await provider.close();
      await emulator.close();
    }
  });

  it("works over HTTPS with the emulator's self-signed certificate given as ca", async () => {
    const emulator = await emulatorWith({ tls: true });
    assert.ok(emulator.url.startsWith("https://"));
    for (const transport of ["http2", "http1"] as const) {
      const provider = providerFor(emulator, {}, { transport });
      try {
        assert.match(await provider.generate([{ role: "user", content: `over tls ${transport}` }]), new RegExp(`You said: over tls ${transport}`));
        const completion = await provider.generateStreamResponse([{ role: "user", content: "streamed over tls" }]);
        assert.match(completion.choices[0]!.message.content!, /streamed over tls/);
      } finally {
        await provider.close();
      }
    }
    await emulator.close();
  });

  it("the default http2 transport works over plain h2c too", async () => {
    const emulator = await emulatorWith();
    const provider = providerFor(emulator);
    try {
      const results = await Promise.all(Array.from({ length: 5 }, (_, i) => provider.generate([{ role: "user", content: `h2 ${i}` }])));
      results.forEach((text, i) => assert.match(text, new RegExp(`You said: h2 ${i}$`)));
      assert.equal(bodyOf(emulator).anthropic_version, "bedrock-2023-05-31");
    } finally {
      await provider.close();
      await emulator.close();
    }
  });
});
