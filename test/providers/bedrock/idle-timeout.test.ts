import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { withStreamTimeouts } from "../../../src/providers/bedrock/idle-timeout.js";
import { AbortError, InvalidRequestError, TimeoutError } from "../../../src/schema/errors.js";

/** Yields `chunks`, then never yields again (like a stalled connection) until returned. */
function stallingSource(chunks: string[]): { source: AsyncIterable<string>; returned: () => boolean } {
  let returned = false;
  let index = 0;
  const iterator: AsyncIterator<string> = {
    next: () => (index < chunks.length ? Promise.resolve({ done: false, value: chunks[index++]! }) : new Promise(() => undefined)),
    return: () => {
      returned = true;
      return Promise.resolve({ done: true, value: undefined });
    },
  };
  return { source: { [Symbol.asyncIterator]: () => iterator }, returned: () => returned };
}

async function collect(iterable: AsyncIterable<string>, into: string[]): Promise<void> {
  for await (const chunk of iterable) into.push(chunk);
}

describe("withStreamTimeouts", () => {
  it("passes a healthy stream through unchanged", async () => {
    async function* healthy() {
      yield "a";
      yield "b";
    }
    const seen: string[] = [];
    await collect(withStreamTimeouts(healthy(), { idleMs: 10_000, signal: new AbortController().signal }), seen);
    assert.deepEqual(seen, ["a", "b"]);
  });

  it("raises TimeoutError kind idle when the stream goes silent, cuts the call and returns the source", async () => {
    const { source, returned } = stallingSource(["first"]);
    const cut: TimeoutError[] = [];
    const seen: string[] = [];
    await assert.rejects(collect(withStreamTimeouts(source, { idleMs: 30, onIdle: (e) => cut.push(e) }), seen), (error: unknown) => {
      assert.ok(error instanceof TimeoutError);
      assert.equal(error.kind, "idle");
      assert.equal(error.timeoutMs, 30);
      return true;
    });
    assert.deepEqual(seen, ["first"]);
    assert.equal(cut.length, 1);
    assert.equal(returned(), true);
  });

  it("throws the signal's reason (total timeout, abort) while waiting for a chunk", async () => {
    for (const reason of [new TimeoutError("total", 50), new AbortError("user")]) {
      const { source, returned } = stallingSource(["x"]);
      const controller = new AbortController();
      const seen: string[] = [];
      const run = collect(withStreamTimeouts(source, { signal: controller.signal }), seen);
      setTimeout(() => controller.abort(reason), 20);
      await assert.rejects(run, (error: unknown) => error === reason);
      assert.equal(returned(), true);
    }
  });

  it("rejects a bad idle timeout before reading", async () => {
    const { source } = stallingSource([]);
    await assert.rejects(collect(withStreamTimeouts(source, { idleMs: -5 }), []), InvalidRequestError);
  });
});
