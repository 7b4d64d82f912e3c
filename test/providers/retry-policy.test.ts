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

  it("stream() ends for good after a final failure, a mid-stream failure or an abort of the wait: no attempt starts after", async () => {
    const policy = new RetryPolicy({ maxAttempts: 5, baseDelayMs: 60_000, random: () => 0.99 });
    let attempts = 0;
    async function* refused(): AsyncGenerator<string> {
      attempts++;
      throw new Error("throttled");
    }
    const controller = new AbortController();
    const stream = policy.stream(refused, (error) => ({ error: error as Error, facts: { retryable: true } }), controller.signal);
    const first = stream.next();
    setTimeout(() => controller.abort(new TimeoutError("total", 5)), 10);
    await assert.rejects(first, TimeoutError);
    assert.deepEqual(await stream.next(), { done: true, value: undefined });
    assert.equal(attempts, 1, "the abort during the backoff wait ended the stream");

    async function* cut(): AsyncGenerator<string> {
      attempts++;
      yield "partial";
      throw new Error("reset");
    }
    attempts = 0;
    const midStream = policy.stream(cut, (_error, yielded) => ({ error: new Error(yielded ? "mid-stream" : "before"), facts: { retryable: true } }));
    assert.deepEqual(await midStream.next(), { done: false, value: "partial" });
    await assert.rejects(midStream.next(), /mid-stream/);
    assert.deepEqual(await midStream.next(), { done: true, value: undefined });
    assert.equal(attempts, 1);

    attempts = 0;
    const final = policy.stream(refused, (error) => ({ error: error as Error, facts: { retryable: false } }));
    await assert.rejects(final.next(), /throttled/);
    assert.deepEqual(await final.next(), { done: true, value: undefined });
    assert.equal(attempts, 1);
  });

  it("stream() closed by the caller during a backoff wait or a pending first read starts no attempt and yields nothing", async () => {
    const policy = new RetryPolicy({ maxAttempts: 5, baseDelayMs: 20, random: () => 0.99 });
    let attempts = 0;
    async function* failsThenAnswers(): AsyncGenerator<string> {
      attempts++;
      if (attempts === 1) throw new Error("throttled");
      yield "item";
    }
    const retryable = (error: unknown) => ({ error: error as Error, facts: { retryable: true } });
    const waiting = new RetryPolicy({ maxAttempts: 5, baseDelayMs: 60_000, random: () => 0.99 }).stream(failsThenAnswers, retryable);
    const pending = waiting.next();
    await new Promise((resolve) => setTimeout(resolve, 1)); // the first attempt failed; a wait of ~60 s runs
    const closedAt = performance.now();
    await waiting.return!();
    assert.deepEqual(await pending, { done: true, value: undefined });
    assert.ok(performance.now() - closedAt < 1000, "return() ends the backoff wait, not the wait's own end");
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.equal(attempts, 1, "no attempt after return()");

    let release: () => void = () => undefined;
    let closed = false;
    async function* slowFirstRead(): AsyncGenerator<string> {
      try {
        await new Promise<void>((resolve) => (release = resolve));
        yield "late";
      } finally {
        closed = true;
      }
    }
    const reading = policy.stream(slowFirstRead, retryable);
    const first = reading.next();
    await new Promise((resolve) => setTimeout(resolve, 1));
    const returned = reading.return!();
    release();
    await returned;
    assert.deepEqual(await first, { done: true, value: undefined }, "an item read after return() is not handed on");
    assert.equal(closed, true);

    const thrower = policy.stream(() => {
      throw new Error("synchronous");
    }, (error) => ({ error: new Error(`mapped: ${(error as Error).message}`), facts: { retryable: false } }));
    await assert.rejects(thrower.next(), /mapped: synchronous/);
  });

  it("stream() of an attempt that ends without items ends, and does not hand on the attempt's return value", async () => {
    const policy = new RetryPolicy();
    let attempts = 0;
    async function* empty(): AsyncGenerator<string, string> {
      attempts++;
      return "not an item";
    }
    const items: string[] = [];
    for await (const item of policy.stream(empty, (error) => ({ error: error as Error, facts: { retryable: true } }))) items.push(item);
    assert.deepEqual(items, []);
    assert.equal(attempts, 1);
    async function* one(): AsyncGenerator<string, string> {
      yield "a";
      return "not an item";
    }
    const stream = policy.stream(one, (error) => ({ error: error as Error, facts: { retryable: true } }));
    assert.deepEqual(await stream.next(), { done: false, value: "a" });
    assert.deepEqual(await stream.next(), { done: true, value: undefined });
  });

  it("sleep() stops early with the signal's library error, or an AbortError", async () => {
    const controller = new AbortController();
    const pending = sleep(60_000, controller.signal);
    controller.abort(new TimeoutError("total", 5));
    await assert.rejects(pending, TimeoutError);
    await assert.rejects(sleep(10, AbortSignal.abort()), AbortError);
  });
});
