import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Emulator } from "../../src/emulator/index.js";
import type { GenerateOptions } from "../../src/providers/llm-provider.js";
import { InvalidRequestError } from "../../src/schema/errors.js";
import { bodyOf, emulatorWith, providerFor } from "./bedrock/emulator-fixture.js";

describe("per-call options", () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await emulatorWith();
  });
  after(() => emulator.close());

  it("honours the guide's snake_case spellings on InvokeModel and Converse", async () => {
    const invoke = providerFor(emulator);
    const converse = providerFor(emulator, { api: "converse" });
    try {
      const options: GenerateOptions = { top_p: 0.5, top_k: 7, max_tokens: 123, stop_sequences: ["STOP"] };
      await invoke.generate([{ role: "user", content: "hi" }], options);
      assert.deepEqual(
        (({ top_p, top_k, max_tokens, stop_sequences }) => ({ top_p, top_k, max_tokens, stop_sequences }))(bodyOf(emulator)),
        { top_p: 0.5, top_k: 7, max_tokens: 123, stop_sequences: ["STOP"] },
      );
      await converse.generate([{ role: "user", content: "hi" }], options);
      const body = bodyOf(emulator);
      assert.deepEqual(body.inferenceConfig, { maxTokens: 123, topP: 0.5, stopSequences: ["STOP"] });
      assert.equal(body.additionalModelRequestFields?.top_k, 7);
    } finally {
      await Promise.all([invoke.close(), converse.close()]);
    }
  });

  it("rejects unknown keys before sending, naming the likely intended one", async () => {
    const provider = providerFor(emulator);
    const sent = emulator.requests.length;
    try {
      await assert.rejects(provider.generate([{ role: "user", content: "hi" }], { maxToken: 10 } as GenerateOptions), (error: unknown) => {
        assert.ok(error instanceof InvalidRequestError);
        assert.match(error.message, /Unknown option "maxToken"\. Did you mean "maxTokens"\?/);
        return true;
      });
      await assert.rejects(collectAll(provider.generateStream([{ role: "user", content: "hi" }], { max_completion_tokens: 5 } as GenerateOptions)), /Did you mean "maxTokens"/);
      await assert.rejects(provider.generate([{ role: "user", content: "hi" }], { top_p: 0.2, topP: 0.9 }), /Both topP and top_p are set/);
      assert.equal(emulator.requests.length, sent, "nothing was sent");
      await provider.generate([{ role: "user", content: "hi" }], { top_p: 0.2, topP: 0.2, unused: undefined } as GenerateOptions);
      assert.equal(bodyOf(emulator).top_p, 0.2);
    } finally {
      await provider.close();
    }
  });
});

async function collectAll(iterable: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of iterable);
}
