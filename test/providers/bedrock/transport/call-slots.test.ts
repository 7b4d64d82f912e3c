import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CallSlots } from "../../../../src/providers/bedrock/transport/call-slots.js";

const never = new AbortController().signal;
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("CallSlots", () => {
  it("takes slots at once up to the limit, then makes calls wait", async () => {
    const slots = new CallSlots(2);
    assert.equal(slots.take(never), undefined);
    assert.equal(slots.take(never), undefined);
    const third = slots.take(never);
    assert.ok(third instanceof Promise);
    assert.deepEqual([slots.taken, slots.waiting], [2, 1]);
    let granted = false;
    void third.then(() => (granted = true));
    await tick();
    assert.equal(granted, false);
    slots.release();
    await third;
    assert.deepEqual([slots.taken, slots.waiting], [2, 0], "the freed slot went to the waiting call");
    slots.release();
    slots.release();
    assert.equal(slots.taken, 0);
  });

  it("grants waiting calls in arrival order, each freed slot to the longest waiting", async () => {
    const slots = new CallSlots(1);
    slots.take(never);
    const order: number[] = [];
    const waits = [0, 1, 2, 3].map((i) => slots.take(never)!.then(() => order.push(i)));
    slots.release();
    await tick();
    assert.deepEqual(order, [0]);
    slots.release();
    slots.release();
    slots.release();
    await Promise.all(waits);
    assert.deepEqual(order, [0, 1, 2, 3]);
    assert.deepEqual([slots.taken, slots.waiting], [1, 0]);
  });

  it("a waiting call aborted fails with the signal's reason and holds no slot; the next one gets the freed slot", async () => {
    const slots = new CallSlots(1);
    slots.take(never);
    const controller = new AbortController();
    const aborted = slots.take(controller.signal)!;
    const next = slots.take(never)!;
    const reason = new Error("stop");
    controller.abort(reason);
    await assert.rejects(aborted, (error: unknown) => error === reason);
    assert.deepEqual([slots.taken, slots.waiting], [1, 1]);
    slots.release();
    await next;
    assert.deepEqual([slots.taken, slots.waiting], [1, 0]);
  });

  it("a call with an aborted signal that would have to wait is refused at once", async () => {
    const slots = new CallSlots(1);
    slots.take(never);
    const reason = new Error("already");
    await assert.rejects(slots.take(AbortSignal.abort(reason))!, (error: unknown) => error === reason);
    assert.equal(slots.waiting, 0);
  });

  it("close fails every waiting call and every later take, even with slots free; slots held stay held", async () => {
    const slots = new CallSlots(2);
    slots.take(never);
    slots.take(never);
    const waits = [slots.take(never)!, slots.take(never)!];
    const closed = new Error("closed");
    slots.close(closed);
    for (const wait of waits) await assert.rejects(wait, (error: unknown) => error === closed);
    assert.deepEqual([slots.taken, slots.waiting], [2, 0]);
    assert.equal(slots.closedWith, closed);
    slots.release();
    await assert.rejects(slots.take(never)!, (error: unknown) => error === closed);
    slots.close(new Error("again"));
    assert.equal(slots.closedWith, closed, "the first closing error stays");
  });
});
