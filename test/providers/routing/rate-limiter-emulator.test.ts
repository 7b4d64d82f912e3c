import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import { BedrockAsyncProvider } from "../../../src/providers/bedrock/index.js";
import { resetSharedRateLimiters } from "../../../src/providers/routing/shared-rate-limiters.js";
import { EXAMPLE_CREDENTIALS, startEmulator, type Emulator } from "../../../src/emulator/index.js";
import { AbortError, TimeoutError } from "../../../src/schema/errors.js";

function provider(emulator: Emulator, fields: Record<string, unknown>): BedrockAsyncProvider {
  return new BedrockAsyncProvider({
    provider: "bedrock_async", model: "amazon.nova-lite-v1:0", region: "us-east-1", endpoint: emulator.url, max_tokens: 16,
    access_key_id: EXAMPLE_CREDENTIALS.accessKeyId, secret_access_key: EXAMPLE_CREDENTIALS.secretAccessKey, ...fields,
  });
}

describe("a rate-limited call waiting for capacity, against the emulator", () => {
  afterEach(() => resetSharedRateLimiters());

  it("a call waiting for capacity ends with the provider's TimeoutError or the caller's AbortError, and never reaches the service", async () => {
    const emulator = await startEmulator({ recordRequests: false });
    const llm = provider(emulator, { rpm: 1, rate_limit: "fixed" });
    try {
      await llm.generate([{ role: "user", content: "first" }]);
      await assert.rejects(llm.generate([{ role: "user", content: "second" }], { timeout: 50 }), TimeoutError);
      const controller = new AbortController();
      const waiting = llm.generate([{ role: "user", content: "third" }], { signal: controller.signal });
      controller.abort();
      await assert.rejects(waiting, AbortError);
      assert.equal(emulator.metrics.requests, 1, "the two waiting calls sent nothing");
    } finally {
      await llm.close();
      await emulator.close();
    }
  });
});
