/**
 * Issue 11 through the Brain: the caps on tool calls hold on the react route too, are settable on the Brain,
 * an aborted step is not held by hostile code, and what goes back to the model stays bounded.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { Brain, tool, type CodeTraceStep, type ToolTraceStep } from "../../../src/brain/index.js";
import { AbortError, InvalidRequestError } from "../../../src/schema/errors.js";
import { bodyOf, emulatedModel, textOf, type Block, type EmulatedModel } from "../brain-fixture.js";

const js = (code: string) => ({ text: `\`\`\`js\n${code}\n\`\`\`` });
const HOG = "Array.prototype.join = () => ({ toString() { for (;;) {} } }); for (;;) console.log();";

const SCRIPT = {
  rules: [
    { match: { toolResult: "count" }, respond: { text: "Counted." } },
    { match: { text: "count a lot" }, respond: { toolCalls: Array.from({ length: 410 }, (_, i) => ({ name: "count", input: { i } })) } },
    { match: { anyText: "hold the host" }, respond: js(HOG) },
    { match: { anyText: "wait on a stubborn tool" }, respond: { toolCalls: [{ name: "stubborn", input: {} }] } },
    { match: { anyText: "throw a huge error" }, sequence: [js("throw 'E'.repeat(4e6)"), js("finalAnswer('short now')")] },
  ],
};

describe("tool-call caps through the Brain", () => {
  let model: EmulatedModel;
  const stats = { inFlight: 0, maxInFlight: 0, total: 0 };
  const count = tool({
    name: "count",
    execute: async ({ i }: { i: number }) => {
      stats.total++;
      stats.inFlight++;
      stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      stats.inFlight--;
      return i;
    },
  });
  const reset = (): void => {
    stats.inFlight = stats.maxInFlight = stats.total = 0;
  };

  before(async () => {
    model = await emulatedModel(SCRIPT);
  });
  after(() => model.close());

  it("react: a reply with 410 tool calls runs at most 8 at once and 100 in all; the rest come back as errors", async () => {
    reset();
    model.emulator.clearRequests();
    const brain = new Brain({ llm: model.provider, tools: [count] });
    const result = await brain.step({ query: "count a lot", route: "react" });
    assert.equal(result.output, "Counted.");
    assert.equal(stats.total, 100);
    assert.ok(stats.maxInFlight <= 8, `${stats.maxInFlight} ran at once`);
    const tools = result.steps.filter((step): step is ToolTraceStep => step.type === "tool");
    assert.equal(tools.length, 410);
    assert.deepEqual(tools.slice(0, 100).map((step) => step.result), Array.from({ length: 100 }, (_, i) => i));
    assert.ok(tools.slice(100).every((step) => /Not run: this step already made 100 tool calls, the limit \(maxToolCalls\)/.test(step.error ?? "")));
    const sent = (bodyOf(model.emulator).messages.at(-1)!.content as Block[]).filter((block) => block.type === "tool_result");
    assert.equal(sent.length, 410);
  });

  it("react: the caps are settable on the Brain (toolLimits) and through its sandbox limits", async () => {
    reset();
    const brain = new Brain({ llm: model.provider, tools: [count], toolLimits: { maxToolCalls: 20, maxConcurrentToolCalls: 3 } });
    await brain.step({ query: "count a lot", route: "react" });
    assert.equal(stats.total, 20);
    assert.equal(stats.maxInFlight, 3);
    reset();
    const viaSandbox = new Brain({ llm: model.provider, tools: [count], sandbox: { maxToolCalls: 5, maxConcurrentToolCalls: 2 } });
    assert.deepEqual([viaSandbox.toolLimits.maxToolCalls, viaSandbox.toolLimits.maxConcurrentToolCalls], [5, 2]);
    await viaSandbox.step({ query: "count a lot", route: "react" });
    assert.equal(stats.total, 5);
    assert.equal(stats.maxInFlight, 2);
    assert.throws(() => new Brain({ llm: model.provider, toolLimits: { maxToolCalls: -1 } }), InvalidRequestError);
  });

  it("react: a tool result over maxToolBytes goes back to the model as an error, not as the data", async () => {
    const huge = tool({ name: "count", execute: () => "x".repeat(5000) });
    const brain = new Brain({ llm: model.provider, tools: [huge], toolLimits: { maxToolBytes: 1000, maxToolCalls: 2 } });
    model.emulator.clearRequests();
    const result = await brain.step({ query: "count a lot", route: "react" });
    const first = result.steps.find((step): step is ToolTraceStep => step.type === "tool");
    assert.match(first?.error ?? "", /larger than 1000 bytes as JSON, the limit \(maxToolBytes\)/);
    assert.ok(JSON.stringify(bodyOf(model.emulator)).length < 200_000);
  });

  it("code: a step whose code holds its worker is ended by the step's AbortSignal", async () => {
    const brain = new Brain({ llm: model.provider, sandbox: { timeoutMs: 60_000 } });
    const started = performance.now();
    await assert.rejects(brain.step({ query: "hold the host", route: "code", signal: AbortSignal.timeout(3000) }), AbortError);
    const ms = performance.now() - started;
    assert.ok(ms < 3000 + 2000, `the step ended after ${ms.toFixed(0)} ms`); // a generous bound against a hang
  });

  // The model picks the arguments; a tool that ignores its signal (a slow backend without a timeout) must not
  // keep an aborted step waiting. The test's timeout is a safety net for that hang.
  it("react: a step waiting on a tool that never settles and ignores its signal is ended by the step's AbortSignal", { timeout: 20_000 }, async () => {
    let started = 0;
    const stubborn = tool({ name: "stubborn", execute: () => (started++, new Promise(() => {})) });
    const brain = new Brain({ llm: model.provider, tools: [stubborn] });
    const controller = new AbortController();
    const events: string[] = [];
    const stream = brain.stepStream({ query: "wait on a stubborn tool", route: "react", signal: controller.signal });
    await assert.rejects(
      (async () => {
        for await (const event of stream) {
          events.push(event.type);
          if (event.type === "tool_call") controller.abort();
        }
      })(),
      AbortError,
    );
    assert.equal(started, 1);
    assert.deepEqual(events, ["step", "tool_call"]);
  });

  it("code: a 4,000,000-character error reaches the model cut to maxOutputChars", async () => {
    model.emulator.clearRequests();
    const brain = new Brain({ llm: model.provider, sandbox: { maxOutputChars: 5000 } });
    const result = await brain.step({ query: "throw a huge error", route: "code" });
    assert.equal(result.output, "short now");
    const code = result.steps.find((step): step is CodeTraceStep => step.type === "code");
    assert.ok((code?.error?.message.length ?? Infinity) <= 5000);
    const observation = textOf(bodyOf(model.emulator, 1).messages.at(-1));
    assert.match(observation, /^Output:[\s\S]*Error: Error: EEEE/);
    assert.ok(observation.length < 6000, `${observation.length} characters went back to the model`);
  });

  for (const name of ["undefined", "Error", "constructor", "eval"]) {
    it(`a tool named "${name}" is refused when the Brain is created`, () => {
      assert.throws(() => new Brain({ llm: model.provider, tools: [tool({ name, execute: () => 1 })] }), (error: Error) => {
        assert.ok(error instanceof InvalidRequestError);
        assert.match(error.message, /shadow a built-in of the sandbox/);
        return true;
      });
    });
  }
});
