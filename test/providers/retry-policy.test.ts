import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RetryPolicy, sleep } from "../../src/providers/retry-policy.js";
import { AbortError, TimeoutError } from "../../src/schema/errors.js";

describe("RetryPolicy", () => {
  it("bounds attempts (default 3) and retries only retryable failures", () => {
    const policy = new RetryPolicy();
    assert.equal(policy.maxAttempts, 3);
    assert.equal(policy.shouldRetry({ retryable: true }, 1), true);
    assert.equal(policy.shouldRetry({ retryable: true }, 2), true);
    assert.equal(policy.shouldRetry({ retryable: true }, 3), false);
    assert.equal(policy.shouldRetry({ retryable: false }, 1), false);
    assert.equal(new RetryPolicy({ maxAttempts: 1 }).shouldRetry({ retryable: true }, 1), false);
  });

  it("uses full jitter over an exponential ceiling, longer for throttling, capped", () => {
    const top = new RetryPolicy({ baseDelayMs: 100, throttlingBaseDelayMs: 500, maxDelayMs: 1000, random: () => 0.999999 });
    assert.equal(top.delayMs({ retryable: true }, 1), 99);
    assert.equal(top.delayMs({ retryable: true }, 3), 399);
    assert.equal(top.delayMs({ retryable: true, throttling: true }, 1), 499);
    assert.equal(top.delayMs({ retryable: true }, 10), 999);
    const bottom = new RetryPolicy({ random: () => 0 });
    assert.equal(bottom.delayMs({ retryable: true }, 3), 0);
  });

  it("honours a longer retry-after hint, within the cap", () => {
    const policy = new RetryPolicy({ baseDelayMs: 100, maxDelayMs: 5000, random: () => 0.5 });
    assert.equal(policy.delayMs({ retryable: true, retryAfterMs: 2000 }, 1), 2000);
    assert.equal(policy.delayMs({ retryable: true, retryAfterMs: 10 }, 1), 50);
    assert.equal(policy.delayMs({ retryable: true, retryAfterMs: 60_000 }, 1), 5000);
  });

  it("run() retries until success and counts attempts", async () => {
    const policy = new RetryPolicy({ baseDelayMs: 1, random: () => 0 });
    let attempts = 0;
    const value = await policy.run(
      async () => {
        attempts++;
        if (attempts < 3) throw new Error("transient");
        return "done";
      },
      (error) => ({ error: error as Error, facts: { retryable: true } }),
    );
    assert.equal(value, "done");
    assert.equal(attempts, 3);
  });

  it("run() throws the mapped error when attempts run out or the failure is final", async () => {
    const policy = new RetryPolicy({ maxAttempts: 2, baseDelayMs: 1 });
    let attempts = 0;
    await assert.rejects(
      policy.run(
        async () => {
          attempts++;
          throw new Error("boom");
        },
        () => ({ error: new Error("mapped"), facts: { retryable: true } }),
      ),
      /mapped/,
    );
    assert.equal(attempts, 2);
  });

  it("stream() retries a failure before anything was yielded, and yields the good attempt's items once", async () => {
    const policy = new RetryPolicy({ baseDelayMs: 1, random: () => 0 });
    const seen: { attempt: number; yielded: boolean }[] = [];
    async function* attempt(n: number): AsyncGenerator<string> {
      if (n === 1) throw new Error("refused before the answer");
      yield `a${n}`;
      yield `b${n}`;
    }
    const items: string[] = [];
    const stream = policy.stream(attempt, (error, yielded) => {
      seen.push({ attempt: seen.length + 1, yielded });
      return { error: error as Error, facts: { retryable: true } };
    });
    for await (const item of stream) items.push(item);
    assert.deepEqual(items, ["a2", "b2"]);
    assert.deepEqual(seen, [{ attempt: 1, yielded: false }]);
  });

  it("stream() never retries once an item was yielded, even a retryable failure", async () => {
    const policy = new RetryPolicy({ maxAttempts: 5, baseDelayMs: 1 });
    let attempts = 0;
    const reported: boolean[] = [];
    async function* attempt(): AsyncGenerator<string> {
      attempts++;
      yield "partial";
      throw new Error("cut mid-stream");
    }
    const items: string[] = [];
    await assert.rejects(
      (async () => {
        for await (const item of policy.stream(attempt, (_error, yielded) => (reported.push(yielded), { error: new Error("mapped mid-stream"), facts: { retryable: true } }))) items.push(item);
      })(),
      /mapped mid-stream/,
    );
    assert.equal(attempts, 1);
    assert.deepEqual(items, ["partial"]);
    assert.deepEqual(reported, [true]);
  });

  it("stream() closes the running attempt when the caller stops early", async () => {
    const policy = new RetryPolicy();
    let closed = false;
    async function* attempt(): AsyncGenerator<number> {
      try {
        yield 1;
        yield 2;
      } finally {
        closed = true;
      }
    }
    for await (const item of policy.stream(attempt, (error) => ({ error: error as Error, facts: { retryable: false } }))) {
      assert.equal(item, 1);
      break;
    }
    assert.equal(closed, true);
  });

  it("sleep() stops early with the signal's library error, or an AbortError", async () => {
    const controller = new AbortController();
    const pending = sleep(60_000, controller.signal);
    controller.abort(new TimeoutError("total", 5));
    await assert.rejects(pending, TimeoutError);
    await assert.rejects(sleep(10, AbortSignal.abort()), AbortError);
  });
});
