/**
 * What the code route keeps of its tool calls stays bounded, whatever the model's code does: a step counts
 * its tool calls against maxToolCalls across all its runs (as react does), and the trace keeps each tool
 * argument and result up to maxOutputChars characters of JSON.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { Brain, tool, type CodeTraceStep, type ToolTraceStep } from "../../../src/brain/index.js";
import { emulatedModel, type EmulatedModel } from "../brain-fixture.js";
import { settledHeapMiB } from "../sandbox/host-watch.js";

const js = (code: string) => ({ text: `\`\`\`js\n${code}\n\`\`\`` });

// 100 sequential calls, each with an argument just under the default maxToolBytes (1 MiB); every run the same.
const FLOOD = [
  "const big = 'x'.repeat(1024 * 1024 - 100);",
  "let ran = 0, refused = [];",
  "for (let i = 0; i < 100; i++) {",
  "  try { await measure({ s: big }); ran++; } catch (e) { refused.push(e.message); }",
  "}",
  "console.log(ran, refused.length, refused[0]);",
].join("\n");

const SCRIPT = {
  rules: [
    { match: { anyText: "flood the host" }, respond: js(FLOOD) },
    {
      match: { anyText: "use the tools normally" },
      sequence: [
        js("const a = await measure({ s: 'abc' });\nconst b = await measure({ s: 'y'.repeat(30000) });\nconsole.log(a, b);"),
        js("finalAnswer(await measure({ s: 'done' }))"),
      ],
    },
    {
      match: { anyText: "break the tool" },
      sequence: [
        js("await measure({ s: 'a' })"),
        js("try { await measure({ s: 'b' }); } catch (e) { console.log('caught', e.message.length); }\nawait measure({ s: 'c' });"),
      ],
    },
  ],
};

describe("code route: tool calls are bounded per step, and the trace keeps bounded copies", () => {
  let model: EmulatedModel;
  let measured = 0;
  const measure = tool({
    name: "measure",
    execute: ({ s }: { s: string }) => {
      measured++;
      return s.length;
    },
  });

  before(async () => {
    model = await emulatedModel(SCRIPT);
  });
  after(() => model.close());

  it("a step whose code makes 100 calls of 1 MiB in each of 4 runs holds a few MiB, not hundreds", { timeout: 120_000 }, async () => {
    const brain = new Brain({ llm: model.provider, tools: [measure], sandbox: { timeoutMs: 60_000 } });
    await brain.sandbox.warm();
    const baseline = await settledHeapMiB();
    measured = 0;
    const result = await brain.step({ query: "flood the host", route: "code", maxSteps: 4 });
    const grown = (await settledHeapMiB()) - baseline;
    assert.equal(result.outcome, "max_steps");
    assert.ok(grown < 40, `the host heap grew by ${grown.toFixed(1)} MiB while the result is held`);
    assert.equal(measured, 100, "the step runs maxToolCalls (100) tool calls in all");
    const codeSteps = result.steps.filter((step): step is CodeTraceStep => step.type === "code");
    assert.equal(codeSteps.length, 4);
    assert.match(codeSteps[0]!.output, /^100 0 undefined$/);
    assert.match(codeSteps[1]!.output, /^0 100 Not run: this step already made 100 tool calls, the limit \(maxToolCalls\)/);
    const tools = result.steps.filter((step): step is ToolTraceStep => step.type === "tool");
    assert.equal(tools.length, 100, "calls that were not run are not traced");
    assert.equal(typeof tools[0]!.args, "string");
    const kept = tools[0]!.args as string;
    const cut = / \[(\d+) more characters cut\]$/.exec(kept);
    assert.ok(kept.startsWith('{"s":"xxxx') && cut, kept.slice(-80));
    assert.equal(kept.length, 20_000);
    assert.equal(kept.length - cut[0].length + Number(cut[1]), JSON.stringify({ s: "x".repeat(1024 * 1024 - 100) }).length, "the note counts what was cut");
    assert.equal(tools[0]!.result, 1024 * 1024 - 100);
    assert.equal(result.steps.length, 4 + 4 + 100);
  });

  it("normal tool use: the tools get their full arguments, and the trace keeps them, cutting only a long one", async () => {
    const brain = new Brain({ llm: model.provider, tools: [measure] });
    const events: string[] = [];
    let result;
    for await (const event of brain.stepStream({ query: "use the tools normally", route: "code" })) {
      if (event.type === "tool_call") events.push(`${event.id}:${typeof event.args}`);
      if (event.type === "result") result = event.result;
    }
    assert.ok(result);
    assert.equal(result.value, 4);
    const tools = result.steps.filter((step): step is ToolTraceStep => step.type === "tool");
    assert.deepEqual(tools.map((step) => [step.id, step.result]), [["code_call_1", 3], ["code_call_2", 30_000], ["code_call_3", 4]]);
    assert.deepEqual(tools[0]!.args, { s: "abc" });
    assert.deepEqual(tools[2]!.args, { s: "done" });
    assert.match(tools[1]!.args as string, /^\{"s":"y{19000,}y* \[\d+ more characters cut\]$/);
    assert.deepEqual(events, ["code_call_1:object", "code_call_2:string", "code_call_3:object"]);
    const codeSteps = result.steps.filter((step): step is CodeTraceStep => step.type === "code");
    assert.equal(codeSteps[0]!.output, "3 30000");
    assert.deepEqual(codeSteps[0]!.calls, [
      { name: "measure", args: { s: "abc" }, result: 3 },
      { name: "measure", args: tools[1]!.args, result: 30_000 },
    ]);
    assert.deepEqual(codeSteps[1]!.calls, [{ name: "measure", args: { s: "done" }, result: 4 }]);
  });

  it("the step's maxToolCalls counts calls over all its runs; a tool error is traced and reaches the code", async () => {
    const broken = tool({ name: "measure", execute: () => { throw new Error("E".repeat(50_000)); } });
    const brain = new Brain({ llm: model.provider, tools: [broken], toolLimits: { maxToolCalls: 2 } });
    const result = await brain.step({ query: "break the tool", route: "code", maxSteps: 2 });
    const tools = result.steps.filter((step): step is ToolTraceStep => step.type === "tool");
    assert.equal(tools.length, 2);
    assert.ok(tools.every((step) => step.error?.length === 20_000 && step.error.startsWith("EEEE")));
    const codeSteps = result.steps.filter((step): step is CodeTraceStep => step.type === "code");
    assert.match(codeSteps[0]!.error?.message ?? "", /^Error: EEEE/);
    assert.equal(codeSteps[1]!.output, "caught 20000", "the code gets the error cut to maxOutputChars");
    assert.match(codeSteps[1]!.error?.message ?? "", /^Error: Not run: this step already made 2 tool calls, the limit \(maxToolCalls\)/);
    assert.deepEqual(codeSteps[1]!.calls.map((call) => [call.args, call.error?.length]), [[{ s: "b" }, 20_000]]);
  });
});
