import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RateLimiter, type RatePermit } from "../../../src/providers/routing/rate-limiter.js";
import { CubicRate, MIN_RATE } from "../../../src/providers/routing/cubic-rate.js";
import { TokenBucket } from "../../../src/providers/routing/token-bucket.js";
import { AbortError, TimeoutError } from "../../../src/schema/errors.js";
import { FakeClock, flush } from "./fake-clock.js";

/** Starts `count` acquisitions and records which have been let through. */
function start(limiter: RateLimiter, count: number, tokens = 0): { admitted: RatePermit[]; all: Promise<RatePermit[]> } {
  const admitted: RatePermit[] = [];
  const all = Promise.all(Array.from({ length: count }, () => limiter.acquire(tokens).then((permit) => (admitted.push(permit), permit))));
  return { admitted, all };
}

describe("TokenBucket", () => {
  it("refills at its rate up to its capacity, and says how long a take must wait", () => {
    const bucket = new TokenBucket(10, 5, 0, 0);
    assert.equal(bucket.waitMs(1, 0), 100);
    assert.equal(bucket.level(250), 2.5);
    assert.equal(bucket.level(10_000), 5);
    bucket.take(8, 10_000);
    assert.equal(bucket.waitMs(1, 10_000), 400); // from -3 to 1 at 10 per second
    assert.equal(bucket.waitMs(50, 20_000), 0, "an amount above the capacity waits for a full bucket only");
  });
});

describe("RateLimiter", () => {
  it("lets rpm requests per minute through, in order, and makes the rest wait", async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ rpm: 60, adaptive: false }, clock);
    const { admitted, all } = start(limiter, 4);
    await flush();
    assert.equal(admitted.length, 1, "a full bucket of one request (1 per second, burst of at least one)");
    await clock.advance(999);
    assert.equal(admitted.length, 1);
    await clock.advance(1);
    assert.equal(admitted.length, 2);
    await clock.advance(2000);
    assert.equal(admitted.length, 4);
    const permits = await all;
    assert.deepEqual(permits.map((p) => p.sentAt), [0, 1000, 2000, 3000]);
  });

  it("limits tokens per minute, reserving the estimate and settling the real use", async () => {
    const clock = new FakeClock();
    // 600 tokens per minute: 10 per second, bucket of 100.
    const limiter = new RateLimiter({ tpm: 600, adaptive: false }, clock);
    const first = await limiter.acquire(100);
    const { admitted } = start(limiter, 1, 50);
    await flush();
    assert.equal(admitted.length, 0, "the bucket is empty after the first call");
    first.settle(40); // it used 40 of its 100: 60 come back
    await flush();
    assert.equal(admitted.length, 1);
    admitted[0]!.settle(150); // used 100 more than reserved: the bucket goes to -90
    const { admitted: later } = start(limiter, 1, 10);
    await clock.advance(9_999);
    assert.equal(later.length, 0);
    await clock.advance(1);
    assert.equal(later.length, 1);
  });

  it("ends a wait with the signal's reason: the provider's TimeoutError, or an AbortError", async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ rpm: 1, adaptive: false }, clock);
    await limiter.acquire();
    const timeout = new AbortController();
    const waiting = limiter.acquire(0, timeout.signal);
    const queued = limiter.acquire();
    timeout.abort(new TimeoutError("total", 5000));
    await assert.rejects(waiting, TimeoutError);
    const user = new AbortController();
    user.abort("stop");
    await assert.rejects(limiter.acquire(0, user.signal), AbortError);
    assert.equal(limiter.waiting, 1, "the aborted waiter left the queue; the other still waits");
    await clock.advance(60_000);
    assert.equal((await queued).sentAt, 60_000);
  });

  it("adapts: nothing is limited before a throttle; a throttle cuts to 0.7x the ACCEPTED rate, once per round", async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ adaptive: true }, clock);
    const burst = await Promise.all(Array.from({ length: 100 }, () => limiter.acquire()));
    assert.equal(limiter.currentRate(), undefined);
    await clock.advance(50);
    // The service took 40 of the 100 it was sent and throttled the other 60.
    for (const permit of burst.slice(0, 40)) permit.accepted();
    for (const permit of burst.slice(40)) permit.throttled();
    assert.equal(limiter.cuts, 1, "60 throttles of requests sent before the cut cut once");
    assert.ok(Math.abs(limiter.currentRate()! - 28) < 1e-9, `rate ${limiter.currentRate()}: 0.7 x 40 accepted, not 0.7 x 100 sent`);
    // The next requests wait: the bucket starts empty at the cut.
    const { admitted } = start(limiter, 10);
    await flush();
    assert.equal(admitted.length, 0);
    await clock.advance(200);
    assert.ok(admitted.length >= 4 && admitted.length <= 6, `admitted ${admitted.length} in 200 ms at ~28/s`);
    // A throttle of a request sent after the cut cuts again, from the lower of the accepted and current rates.
    const before = limiter.currentRate()!;
    admitted[0]!.throttled();
    assert.equal(limiter.cuts, 2);
    assert.ok(Math.abs(limiter.currentRate()! - before * 0.7) < 1e-9, `rate ${limiter.currentRate()} after a second cut from ${before}`);
  });

  it("a permit reports its answer once: a second report changes nothing", async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ adaptive: true }, clock);
    const permits = await Promise.all(Array.from({ length: 10 }, () => limiter.acquire()));
    permits[0]!.accepted();
    permits[0]!.accepted();
    permits[1]!.throttled();
    assert.equal(limiter.currentRate(), 0.7, "one accepted request in the last second, not two");
    permits[0]!.throttled();
    assert.equal(limiter.cuts, 1, "an accepted permit cannot also be throttled");
  });

  it("gives back the tokens a throttled attempt reserved: it used none", async () => {
    const clock = new FakeClock();
    // 600 tokens per minute: 10 per second, bucket of 100.
    const limiter = new RateLimiter({ tpm: 600, adaptive: false }, clock);
    const first = await limiter.acquire(100);
    const { admitted } = start(limiter, 1, 100);
    await flush();
    assert.equal(admitted.length, 0, "the bucket is empty after the first reservation");
    first.throttled();
    await flush();
    assert.equal(admitted.length, 1, "the throttled attempt's 100 tokens came back at once");
  });

  it("climbs back slowly after a cut: concave to the old rate, then probing above it", () => {
    const rate = new CubicRate();
    for (let i = 0; i < 100; i++) rate.noteAccepted(0);
    rate.onThrottle(0, 0);
    const at = (seconds: number): number => {
      // Keep accepting at the allowed rate, so that the cap of twice the accepted rate does not bind.
      for (let i = 0; i < 200; i++) rate.noteAccepted(seconds * 1000);
      return rate.rateAt(seconds * 1000)!;
    };
    assert.ok(Math.abs(at(0) - 70) < 1e-9);
    const k = Math.cbrt((100 * 0.3) / 0.4);
    assert.ok(at(1) - at(0) > at(k) - at(k - 1), "growth slows as the old rate comes near");
    assert.ok(Math.abs(at(k) - 100) < 1e-6, "back to the throttled rate after K seconds");
    assert.ok(at(k + 1) > 100 && at(k + 1) < 101, "then only slightly above");
    assert.ok(at(k + 5) > 130, "and faster the longer no throttle comes");
  });

  it("never returns to no limit: after a quiet spell the rate is held to the last throttled rate, then to twice the accepted rate", () => {
    const rate = new CubicRate();
    for (let i = 0; i < 40; i++) rate.noteAccepted(0);
    rate.onThrottle(0, 0);
    assert.equal(rate.rateAt(3_600_000), 40, "an hour later: the rate the service last took, not unlimited");
    for (let i = 0; i < 40; i++) rate.noteAccepted(3_600_000);
    assert.equal(rate.rateAt(3_600_000), 80, "a second at 40 accepted lets the rate double, no more");
  });

  it("never goes below the minimum rate, and keeps a configured rpm as a ceiling", async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ rpm: 600, adaptive: true }, clock);
    assert.equal(limiter.currentRate(), 10);
    for (let i = 0; i < 20; i++) {
      const pending = limiter.acquire();
      while (limiter.waiting > 0) await clock.advance(100);
      (await pending).throttled();
    }
    assert.equal(limiter.currentRate(), MIN_RATE, "nothing accepted: down to the minimum, not below");
    // Send as fast as allowed for 30 s, every request accepted.
    const end = clock.now() + 30_000;
    while (clock.now() < end) {
      let permit: RatePermit | undefined;
      void limiter.acquire().then((p) => (permit = p));
      await flush();
      while (!permit) await clock.advance(50);
      permit.accepted();
    }
    assert.equal(limiter.currentRate(), 10, "the curve climbs back, never above rpm");
  });

  it("a fixed limiter ignores throttles", async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ rpm: 600, adaptive: false }, clock);
    (await limiter.acquire()).throttled();
    assert.equal(limiter.currentRate(), 10);
    assert.equal(limiter.cuts, 0);
  });
});
