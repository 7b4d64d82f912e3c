/**
 * Sandbox.run's `keepCalls: false`: the run's calls are not kept (the result's `calls` is empty, and no call's
 * argument stays on the host once the call is done), while the calls still run and still count against
 * maxToolCalls. The heap is read after a full GC from inside the last call, so what the run still holds of
 * the earlier ones shows, and nothing else.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Sandbox } from "../../../src/brain/sandbox/quickjs-sandbox.js";
import { settledHeapMiB } from "./host-watch.js";

const CALLS = 60;
/** Each call's argument: a string of ~900 KB, under the 1 MiB maxToolBytes. */
const CODE = `const big = "x".repeat(900_000); for (let i = 0; i < ${CALLS}; i++) await probe({ i, big }); finalAnswer("done")`;

async function heapAtLastCall(keepCalls: boolean | undefined): Promise<{ heapMiB: number; calls: number; baseline: number }> {
  const sandbox = new Sandbox({ timeoutMs: 60_000, maxToolCalls: CALLS });
  await sandbox.run("finalAnswer(1)"); // a warm worker
  const baseline = await settledHeapMiB();
  let heapMiB = 0;
  const probe = async (args: unknown) => {
    if ((args as { i: number }).i === CALLS - 1) heapMiB = await settledHeapMiB();
    return null;
  };
  const result = await sandbox.run(CODE, { functions: { probe }, ...(keepCalls === undefined ? {} : { keepCalls }) });
  assert.equal(result.finalAnswer?.value, "done", result.error?.message);
  return { heapMiB, calls: result.calls.length, baseline };
}

describe("Sandbox.run keepCalls", () => {
  it("by default keeps every call, its argument included, until the run ends", async () => {
    const { heapMiB, calls, baseline } = await heapAtLastCall(undefined);
    assert.equal(calls, CALLS);
    assert.ok(heapMiB - baseline > 40, `the ${CALLS} arguments held: +${(heapMiB - baseline).toFixed(1)} MiB`);
  });

  it("false: keeps none, so the arguments of finished calls are garbage", async () => {
    const { heapMiB, calls, baseline } = await heapAtLastCall(false);
    assert.equal(calls, 0);
    assert.ok(heapMiB - baseline < 10, `+${(heapMiB - baseline).toFixed(1)} MiB held at the last call`);
  });

  it("false: the calls still count against maxToolCalls", async () => {
    const sandbox = new Sandbox({ maxToolCalls: 3 });
    const result = await sandbox.run("for (let i = 0; i < 5; i++) await probe(i)", { functions: { probe: () => null }, keepCalls: false });
    assert.equal(result.error?.kind, "tool_calls");
    assert.deepEqual(result.calls, []);
  });

  it("a keepCalls that is not a boolean is an InvalidRequestError", async () => {
    await assert.rejects(new Sandbox().run("1", { keepCalls: "no" as unknown as boolean }), /keepCalls must be true or false, got "no"/);
  });
});
