import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { executeTool, tool, type BrainTool } from "../../src/brain/tools.js";
import { AbortError } from "../../src/schema/errors.js";

describe("executeTool and the step's signal", () => {
  it("an already aborted signal ends the call with an AbortError before the tool starts", async () => {
    let started = 0;
    const tools = new Map<string, BrainTool>([["work", tool({ name: "work", execute: () => ++started })]]);
    await assert.rejects(executeTool(tools, "work", {}, { signal: AbortSignal.abort() }), AbortError);
    assert.equal(started, 0);
  });

  it("a tool that ignores its signal ends with an AbortError when the signal fires; one that fails later raises nothing more", async () => {
    let fail!: (error: Error) => void;
    const tools = new Map<string, BrainTool>([["stuck", tool({ name: "stuck", execute: () => new Promise((_resolve, reject) => (fail = reject)) })]]);
    const controller = new AbortController();
    const call = executeTool(tools, "stuck", {}, { signal: controller.signal });
    controller.abort();
    await assert.rejects(call, AbortError);
    fail(new Error("too late")); // an unhandled rejection here would fail the test run
    await new Promise((resolve) => setImmediate(resolve));
  });
});
