import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createPlanner, type ModelOptions } from "../../../src/emulator/model/index.js";
import type { Operation, Plan } from "../../../src/emulator/answer-plan.js";
import { anthropicBody, asAnswer, asError, converseBody, request } from "./helpers.js";

async function run(options: ModelOptions, count: number, operation: Operation = "InvokeModel"): Promise<Plan[]> {
  const plan = createPlanner(options);
  const body = operation.startsWith("Converse") ? converseBody() : anthropicBody();
  const plans: Plan[] = [];
  for (let i = 0; i < count; i++) plans.push(await plan(request(operation, body)));
  return plans;
}

function summary(plans: Plan[]): string[] {
  return plans.map((plan) => (plan.kind === "error" ? plan.name : plan.kind === "answer" ? (plan.fault?.type ?? "ok") : plan.kind === "json" ? "json" : `conn:${plan.type}`));
}

describe("faults", () => {
  it("throttles every request at rate 1, with status 429 and Retry-After", async () => {
    const plans = await run({ throttleRate: 1, retryAfterSeconds: 3 }, 3);
    for (const plan of plans) {
      const error = asError(plan);
      assert.deepEqual([error.name, error.status, error.retryAfterSeconds], ["ThrottlingException", 429, 3]);
    }
  });

  it("answers 5xx errors at rate 1, both InternalServerException and ServiceUnavailableException", async () => {
    const plans = await run({ errorRate: 1 }, 40);
    const names = new Set(plans.map((plan) => asError(plan).name));
    assert.deepEqual([...names].sort(), ["InternalServerException", "ServiceUnavailableException"]);
    for (const plan of plans) assert.equal(asError(plan).status, asError(plan).name === "InternalServerException" ? 500 : 503);
  });

  it("repeats exactly for the same seed and differs for another seed", async () => {
    const options = { throttleRate: 0.3, errorRate: 0.2 };
    const a = summary(await run({ ...options, seed: 7 }, 60));
    const b = summary(await run({ ...options, seed: 7 }, 60));
    const c = summary(await run({ ...options, seed: 8 }, 60));
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
    const throttled = a.filter((name) => name === "ThrottlingException").length;
    assert.ok(throttled > 5 && throttled < 35, `throttled ${throttled} of 60`);
    assert.ok(a.includes("ok"));
  });

  it("never faults at rate 0", async () => {
    assert.deepEqual(new Set(summary(await run({ throttleRate: 0, errorRate: 0, faultRate: 0 }, 20, "ConverseStream"))), new Set(["ok"]));
  });

  it("breaks streams mid-way at faultRate, drawing the fault kind and position", async () => {
    const plans = await run({ faultRate: 1, faultTypes: ["reset", "stall", "corrupt_frame", "exception"], chunksPerAnswer: 4 }, 40, "ConverseStream");
    const kinds = new Set<string>();
    for (const plan of plans) {
      const fault = asAnswer(plan).fault;
      assert.ok(fault);
      kinds.add(fault.type);
      assert.ok(fault.afterChunks >= 0 && fault.afterChunks < 4);
      if (fault.type === "exception") assert.equal(fault.name, "modelStreamErrorException");
    }
    assert.deepEqual([...kinds].sort(), ["corrupt_frame", "exception", "reset", "stall"]);
  });

  it("does not break non-streaming answers by faultRate", async () => {
    assert.deepEqual(new Set(summary(await run({ faultRate: 1 }, 10, "Converse"))), new Set(["ok"]));
  });

  it("plans scripted stream faults after N chunks", async () => {
    const script = [
      { match: { text: "reset" }, respond: { fault: { type: "reset" as const, afterChunks: 2 } } },
      { match: { text: "stall" }, respond: { fault: { type: "stall" as const, afterChunks: 1 } } },
      { match: { text: "corrupt" }, respond: { fault: { type: "corrupt_frame" as const, afterChunks: 3 } } },
      { match: { text: "throttle" }, respond: { fault: { type: "exception" as const, afterChunks: 1, name: "throttlingException" as const } } },
    ];
    const plan = createPlanner({ script });
    const faultOf = async (text: string) => asAnswer(await plan(request("InvokeModelWithResponseStream", anthropicBody({}, text)))).fault;
    assert.deepEqual(await faultOf("reset"), { type: "reset", afterChunks: 2 });
    assert.deepEqual(await faultOf("stall"), { type: "stall", afterChunks: 1 });
    assert.deepEqual(await faultOf("corrupt"), { type: "corrupt_frame", afterChunks: 3 });
    assert.deepEqual(await faultOf("throttle"), {
      type: "exception",
      afterChunks: 1,
      name: "throttlingException",
      message: "Too many requests, please wait before trying again.",
    });
  });

  it("turns stream faults asked of non-streaming operations into connection faults or errors", async () => {
    const script = [
      { match: { text: "reset" }, respond: { fault: { type: "reset" as const } } },
      { match: { text: "exception" }, respond: { fault: { type: "exception" as const } } },
      { match: { text: "corrupt" }, respond: { fault: { type: "corrupt_frame" as const } } },
      { match: { text: "hang" }, respond: { connectionFault: "stall" as const } },
    ];
    const plan = createPlanner({ script });
    assert.deepEqual(await plan(request("InvokeModel", anthropicBody({}, "reset"))), { kind: "connection_fault", type: "reset" });
    const error = asError(await plan(request("Converse", converseBody({}, "exception"))));
    assert.deepEqual([error.name, error.status], ["ModelErrorException", 424]);
    assert.equal(asAnswer(await plan(request("Converse", converseBody({}, "corrupt")))).fault, undefined);
    assert.deepEqual(await plan(request("ConverseStream", converseBody({}, "hang"))), { kind: "connection_fault", type: "stall" });
  });

  it("rejects rates outside 0..1 and other bad numeric options with a clear error", () => {
    assert.throws(() => createPlanner({ throttleRate: 2 }), { name: "ConfigError", message: /^Emulator option throttleRate: .*<=1 \(got 2\)\.$/ });
    assert.throws(() => createPlanner({ chunksPerAnswer: 0 }), { name: "ConfigError", message: /^Emulator option chunksPerAnswer: .*>=1 \(got 0\)\.$/ });
    assert.throws(() => createPlanner({ chunkDelayMs: -5 }), { name: "ConfigError", message: /^Emulator option chunkDelayMs:/ });
    assert.throws(() => createPlanner({ promptCacheCapacity: 0 }), { name: "ConfigError", message: /promptCacheCapacity must be a whole number of at least 1, got 0/ });
  });
});
