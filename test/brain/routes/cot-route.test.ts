import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { Brain, type ModelTraceStep } from "../../../src/brain/index.js";
import { extractFinalAnswer } from "../../../src/brain/extract-final-answer.js";
import { bodyOf, emulatedModel, systemText, textOf, type EmulatedModel } from "../brain-fixture.js";

const REASONING = "Step 1: France is a country in Europe.\nStep 2: Its capital city is Paris.\nFinal answer: **Paris**";

describe("cot and raw routes against the emulator", () => {
  let model: EmulatedModel;
  let brain: Brain;

  before(async () => {
    model = await emulatedModel({ rules: [{ match: { text: "capital of France" }, respond: { text: REASONING } }] });
    brain = new Brain({ llm: model.provider });
  });
  after(() => model.close());

  it("cot keeps the reasoning in the trace and returns only the final answer", async () => {
    model.emulator.clearRequests();
    const result = await brain.step({ query: "What is the capital of France?", route: "cot", system: "Be brief." });
    assert.equal(result.output, "Paris");
    assert.equal(result.outcome, "final");
    const [step] = result.steps as [ModelTraceStep];
    assert.equal(step.text, REASONING);
    const body = bodyOf(model.emulator);
    assert.match(systemText(body), /^Be brief\.\n\nThink through the problem step by step/);
    assert.match(systemText(body), /"Final answer:"/);
    assert.equal(textOf(body.messages[0]), "What is the capital of France?");
  });

  it("raw sends the query as it is in one call", async () => {
    model.emulator.clearRequests();
    const result = await brain.step({ query: "Hello there", route: "raw", temperature: 0.1 });
    assert.equal(model.emulator.requests.length, 1);
    assert.match(result.output, /You said: Hello there/);
    const body = bodyOf(model.emulator);
    assert.equal(body.system, undefined);
    assert.equal(body.temperature, 0.1);
  });

  it("extractFinalAnswer takes the last marker and falls back to the whole text", () => {
    assert.deepEqual(extractFinalAnswer("a\nFinal answer: 1\nmore\nfinal ANSWER: 42"), { answer: "42", found: true });
    assert.deepEqual(extractFinalAnswer("  just text "), { answer: "just text", found: false });
  });
});
