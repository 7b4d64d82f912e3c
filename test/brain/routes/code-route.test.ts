import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { z } from "zod";
import { Brain, tool, type CodeTraceStep, type ToolTraceStep } from "../../../src/brain/index.js";
import { findCodeBlock } from "../../../src/brain/extract-code-block.js";
import { bodyOf, emulatedModel, systemText, textOf, type EmulatedModel } from "../brain-fixture.js";

const SUM = 333328333350000; // sum of i*i for i < 100000

const js = (code: string, prose = "Here is the code.") => ({ text: `${prose}\n\`\`\`js\n${code}\n\`\`\`` });

const SCRIPT = {
  rules: [
    {
      match: { anyText: "sum of squares" },
      sequence: [
        js("const total = sumOfSquares(100000);", "I will call a helper."),
        js("let s = 0;\nfor (let i = 0; i < 100000; i++) s += i * i;\nconsole.log('sum =', s);"),
        js("const label = await describe_number({ n: 333328333350000 });\nconsole.log(label);\nfinalAnswer({ sum: 333328333350000, label });"),
      ],
    },
    {
      match: { anyText: "loop forever" },
      sequence: [js("while (true) {}"), js("finalAnswer('recovered')")],
    },
    { match: { anyText: "keep printing" }, respond: js("console.log('still working')"), },
    { match: { anyText: "in python" }, sequence: [{ text: "```python\nprint(sum(i*i for i in range(10)))\n```" }, js("finalAnswer(285)")] },
    { match: { text: "no code needed" }, respond: { text: "This needs no code.\nFinal answer: Paris" } },
    { match: { anyText: "tool that breaks" }, sequence: [js("await explode({})"), js("finalAnswer('saw the error')")] },
  ],
};

describe("code route against the emulator", () => {
  let model: EmulatedModel;
  let brain: Brain;
  const described: unknown[] = [];

  before(async () => {
    model = await emulatedModel(SCRIPT);
    brain = new Brain({
      llm: model.provider,
      sandbox: { timeoutMs: 20_000 },
      tools: [
        tool({
          name: "describe_number",
          description: "Describes a number in words",
          parameters: z.object({ n: z.number() }),
          execute: ({ n }) => {
            described.push(n);
            return `${n} has ${String(n).length} digits`;
          },
        }),
        tool({ name: "explode", execute: () => { throw new Error("kaboom"); } }),
      ],
    });
  });
  after(() => model.close());

  it("feeds errors and printed output back, calls a tool from the sandbox, and ends at finalAnswer", async () => {
    model.emulator.clearRequests();
    const result = await brain.step({ query: "What is the sum of squares of 0..99999? Describe it.", route: "code" });

    assert.equal(result.outcome, "final");
    assert.deepEqual(result.value, { sum: SUM, label: "333328333350000 has 15 digits" });
    assert.equal(result.output, JSON.stringify({ sum: SUM, label: "333328333350000 has 15 digits" }));
    assert.deepEqual(described, [SUM]);

    const codeSteps = result.steps.filter((step): step is CodeTraceStep => step.type === "code");
    assert.equal(codeSteps.length, 3);
    assert.equal(codeSteps[0]?.error?.name, "ReferenceError");
    assert.equal(codeSteps[1]?.output, `sum = ${SUM}`, JSON.stringify(codeSteps[1]?.error));
    assert.equal(codeSteps[2]?.output, "333328333350000 has 15 digits");
    const toolStep = result.steps.find((step): step is ToolTraceStep => step.type === "tool");
    assert.deepEqual([toolStep?.name, toolStep?.args, toolStep?.result], ["describe_number", { n: SUM }, "333328333350000 has 15 digits"]);

    assert.equal(model.emulator.requests.length, 3);
    const first = bodyOf(model.emulator, 0);
    assert.match(systemText(first), /finalAnswer\(value\)/);
    assert.match(systemText(first), /describe_number\(args\) - Describes a number in words/);
    assert.equal(first.tools, undefined, "the code route calls tools from code, not through native tool use");
    const second = bodyOf(model.emulator, 1);
    assert.match(textOf(second.messages.at(-1)), /Error: ReferenceError: 'sumOfSquares' is not defined/);
    const third = bodyOf(model.emulator, 2);
    assert.match(textOf(third.messages.at(-1)), new RegExp(`Output:\\nsum = ${SUM}`));
    assert.match(textOf(third.messages.at(-2)), /for \(let i = 0; i < 100000; i\+\+\)/, "the model's own code is kept in the history");
  });

  it("an endless loop ends that run with a time-limit error the model sees, and the step goes on", async () => {
    model.emulator.clearRequests();
    const impatient = new Brain({ llm: model.provider, sandbox: { timeoutMs: 500 } });
    const result = await impatient.step({ query: "loop forever please", route: "code" });
    assert.equal(result.output, "recovered");
    const first = result.steps.find((step): step is CodeTraceStep => step.type === "code");
    assert.equal(first?.error?.kind, "timeout");
    assert.match(textOf(bodyOf(model.emulator, 1).messages.at(-1)), /time limit of 500 ms/);
  });

  it("a tool error reaches the code as an exception, and the model as an error", async () => {
    model.emulator.clearRequests();
    const result = await brain.step({ query: "use the tool that breaks", route: "code" });
    assert.equal(result.output, "saw the error");
    assert.match(textOf(bodyOf(model.emulator, 1).messages.at(-1)), /Error: Error: kaboom/);
    const toolStep = result.steps.find((step): step is ToolTraceStep => step.type === "tool");
    assert.equal(toolStep?.error, "kaboom");
  });

  it("stops after maxSteps model calls when the code never calls finalAnswer", async () => {
    model.emulator.clearRequests();
    const result = await brain.step({ query: "keep printing", route: "code", maxSteps: 2 });
    assert.equal(result.outcome, "max_steps");
    assert.equal(model.emulator.requests.length, 2);
    assert.equal(result.steps.filter((step) => step.type === "code").length, 2);
  });

  it("sends a block in another language back unrun, asking for JavaScript", async () => {
    model.emulator.clearRequests();
    const result = await brain.step({ query: "sum of i*i below 10, in python", route: "code" });
    assert.equal(result.value, 285);
    assert.match(textOf(bodyOf(model.emulator, 1).messages.at(-1)), /Your python code block was not run: only JavaScript runs here/);
    assert.equal(result.steps.filter((step) => step.type === "code").length, 1);
  });

  it("findCodeBlock picks the first JavaScript block and tells other languages apart", () => {
    assert.deepEqual(findCodeBlock("a\n```json\n{}\n```\n```js\nx()\n```\n```js\ny()\n```"), { kind: "js", code: "x()\n" });
    assert.deepEqual(findCodeBlock("```\nz()\n```"), { kind: "js", code: "z()\n" });
    assert.deepEqual(findCodeBlock("```python\nprint(1)\n```"), { kind: "other", language: "python" });
    assert.deepEqual(findCodeBlock("```text\nhello\n```"), { kind: "none" });
    assert.deepEqual(findCodeBlock("no code"), { kind: "none" });
  });

  it("takes the final answer of a reply without a code block", async () => {
    const result = await brain.step({ query: "no code needed: capital of France?", route: "code" });
    assert.equal(result.output, "Paris");
    assert.equal(result.outcome, "final");
  });

  it("the built-in model hands its usual answer to finalAnswer when there is nothing to compute", async () => {
    const result = await brain.step({ query: "What is the capital of France?", route: "code" });
    assert.equal(result.outcome, "final");
    assert.match(result.output, /You said: What is the capital of France\?/);
    assert.equal(result.steps.filter((step) => step.type === "code").length, 1);
  });

  it("the built-in model computes arithmetic in the sandbox (offline default)", async () => {
    const result = await brain.step({ query: "What is 2+2?", route: "code" });
    assert.equal(result.outcome, "final");
    assert.equal(result.output, "4");
    assert.equal(result.value, 4);
    const codeSteps = result.steps.filter((step): step is CodeTraceStep => step.type === "code");
    assert.equal(codeSteps.length, 1);
    assert.equal(codeSteps[0]?.code.trim(), "const result = 2+2;\nconsole.log(result);\nfinalAnswer(result);");
    assert.equal(codeSteps[0]?.output, "4");
  });
});
