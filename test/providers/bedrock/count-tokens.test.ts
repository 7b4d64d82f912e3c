import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Emulator } from "../../../src/emulator/index.js";
import { BedrockServiceError } from "../../../src/schema/errors.js";
import { emulatorWith, providerFor } from "./emulator-fixture.js";

const MESSAGES = [
  { role: "system" as const, content: "You are terse." },
  { role: "user" as const, content: "How many tokens is this question, with its system prompt?" },
];

describe("countTokens: CountTokens on the same transport, signed, for both APIs", () => {
  let emulator: Emulator;
  before(async () => (emulator = await emulatorWith()));
  after(() => emulator.close());

  for (const api of ["invoke", "converse"] as const) {
    it(`${api}: the count equals the input tokens a call of the same messages is billed for`, async () => {
      const provider = providerFor(emulator, { api });
      const counted = await provider.countTokens(MESSAGES);
      const request = emulator.requests.at(-1)!;
      assert.equal(request.operation, "CountTokens");
      assert.equal(request.authType, "sigv4");
      const completion = await provider.generateStreamResponse(MESSAGES);
      assert.ok(counted > 0);
      assert.equal(counted, completion.usage.prompt_tokens);
      await provider.close();
    });
  }

  it("a model that cannot count tokens is the service's ValidationException", async () => {
    const provider = providerFor(emulator, { model: "amazon.nova-lite-v1:0" });
    await assert.rejects(provider.countTokens(MESSAGES), (error: unknown) => error instanceof BedrockServiceError && error.awsName === "ValidationException" && error.retryable === false);
    await provider.close();
  });
});
