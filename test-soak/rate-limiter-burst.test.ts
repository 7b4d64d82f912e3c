/**
 * A load test (hence here, not under npm test): 160 calls at concurrency 100 against an emulator answering 20
 * requests per second, with and without the adaptive limiter. How many 429s the run without the limiter gets
 * depends on how fast the machine retries, so on a loaded machine the two counts can meet; the limiter's own
 * logic is tested with a fake clock in test/providers/routing/rate-limiter.test.ts.
 */
import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import pMap from "p-map";
import { BedrockAsyncProvider } from "../src/providers/bedrock/index.js";
import { resetSharedRateLimiters } from "../src/providers/routing/shared-rate-limiters.js";
import { EXAMPLE_CREDENTIALS, startEmulator } from "../src/emulator/index.js";

const QUOTA = 20;
const CALLS = 160;
const CONCURRENCY = 100;

/** CALLS calls at CONCURRENCY against an emulator answering QUOTA requests per second; what the emulator counted. */
async function burst(rateLimit: "off" | "adaptive"): Promise<{ succeeded: number; requests: number; throttled: number }> {
  resetSharedRateLimiters();
  const emulator = await startEmulator({ maxRequestsPerSecond: QUOTA, recordRequests: false });
  const llm = new BedrockAsyncProvider({
    provider: "bedrock_async", model: "amazon.nova-lite-v1:0", region: "us-east-1", endpoint: emulator.url, max_tokens: 16,
    access_key_id: EXAMPLE_CREDENTIALS.accessKeyId, secret_access_key: EXAMPLE_CREDENTIALS.secretAccessKey,
    rate_limit: rateLimit, max_concurrency: CONCURRENCY,
  });
  let succeeded = 0;
  await pMap(Array.from({ length: CALLS }, (_, i) => i), async (i) => {
    await llm.generate([{ role: "user", content: `call ${i}` }]).then(() => succeeded++, () => undefined);
  }, { concurrency: CONCURRENCY });
  const { requests, errors } = emulator.metrics;
  await llm.close();
  await emulator.close();
  return { succeeded, requests, throttled: errors };
}

describe("the adaptive rate limiter in a burst against the emulator's quota", () => {
  afterEach(() => resetSharedRateLimiters());

  it("ends with every call successful, and fewer 429s than without it", async () => {
    const without = await burst("off");
    const limited = await burst("adaptive");
    // The target is at least 99%: the first burst is sent before any 429 has taught the limiter the quota.
    assert.ok(limited.succeeded >= CALLS * 0.99, `with the limiter: ${JSON.stringify(limited)}`);
    assert.equal(limited.requests - limited.throttled, limited.succeeded, "every request the emulator did not throttle was a call's answer");
    assert.ok(limited.throttled < without.throttled, `429s with the limiter ${limited.throttled}, without ${without.throttled}`);
  });
});
