import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Brain, tool, type BrainEvent } from "../../src/brain/index.js";
import { loadConfig } from "../../src/config/load-config.js";
import { EXAMPLE_CREDENTIALS } from "../../src/emulator/index.js";
import { ConfigError, InvalidRequestError } from "../../src/schema/errors.js";
import { bodyOf, emulatedModel, MODEL, type EmulatedModel } from "./brain-fixture.js";

const SCRIPT = {
  rules: [
    { match: { toolResult: "get_weather" }, respond: { text: "Sunny, 21°C." } },
    { match: { text: "weather" }, respond: { text: "Checking.", toolCalls: [{ name: "get_weather", input: { city: "Paris" } }, { name: "get_weather", input: { city: "Oslo" } }] } },
    { match: { anyText: "compute" }, respond: { text: "```js\nconsole.log(6 * 7);\nfinalAnswer(6 * 7);\n```" } },
  ],
};

describe("Brain", () => {
  let model: EmulatedModel;
  let brain: Brain;
  const weather = tool({ name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } }, execute: (args) => ({ ...args, sky: "sunny" }) });

  before(async () => {
    model = await emulatedModel(SCRIPT);
    brain = new Brain({ llm: model.provider, tools: [weather] });
  });
  after(() => model.close());

  it("rejects an unknown route with an InvalidRequestError listing the routes, before calling the model", async () => {
    model.emulator.clearRequests();
    await assert.rejects(brain.step({ query: "hi", route: "plan" as never }), (error: unknown) => {
      assert.ok(error instanceof InvalidRequestError);
      assert.match(error.message, /Unknown route "plan"\. Routes: raw, cot, react, code\./);
      return true;
    });
    assert.equal(model.emulator.requests.length, 0);
  });

  it("rejects bad step options and bad tools with InvalidRequestError", async () => {
    await assert.rejects(brain.step({ query: "", route: "raw" }), /non-empty `query`/);
    await assert.rejects(brain.step({ query: "x", route: "react", maxSteps: 0 }), /maxSteps must be a positive integer/);
    await assert.rejects(brain.step({ query: "x", route: "react", tools: [tool({ name: "bad name", execute: () => 1 })] }), InvalidRequestError);
    assert.throws(() => new Brain({ llm: model.provider, tools: [tool({ name: "finalAnswer", execute: () => 1 })] }), /reserved/);
  });

  it("streams progress events in order, ending with the result", async () => {
    const events: BrainEvent[] = [];
    for await (const event of brain.step({ query: "weather in Paris and Oslo?", route: "react", stream: true })) events.push(event);
    const kinds = events.map((event) => (event.type === "step" ? `step:${event.step.type}` : event.type)).filter((kind, i, all) => kind !== "text" || all[i - 1] !== "text");
    assert.deepEqual(kinds, ["text", "step:model", "tool_call", "tool_call", "step:tool", "step:tool", "text", "step:model", "result"]);
    const text = events.flatMap((event) => (event.type === "text" ? [event.text] : [])).join("");
    assert.equal(text, "Checking.Sunny, 21°C.");
    const last = events.at(-1);
    assert.ok(last?.type === "result");
    assert.equal(last.result.output, "Sunny, 21°C.");
    assert.equal(last.result.steps.length, 4);
  });

  it("streams code runs: text, the code, the run, then the result", async () => {
    const kinds: string[] = [];
    let result: unknown;
    for await (const event of brain.stepStream({ query: "compute 6*7", route: "code" })) {
      if (event.type === "text" && kinds.at(-1) === "text") continue;
      kinds.push(event.type === "step" ? `step:${event.step.type}` : event.type);
      if (event.type === "code") assert.match(event.code, /finalAnswer\(6 \* 7\)/);
      if (event.type === "result") result = event.result.value;
    }
    assert.deepEqual(kinds, ["text", "step:model", "code", "step:code", "result"]);
    assert.equal(result, 42);
  });

  it("a streamed step that fails throws from the iteration", async () => {
    await assert.rejects(async () => {
      for await (const _event of brain.step({ query: "x", route: "nope" as never, stream: true })) {
        // no events expected
      }
    }, InvalidRequestError);
  });

  it("leaving a stream early aborts the step: running tools see the abort and no further model call is made", async () => {
    let abortedTools = 0;
    const waitsForAbort = tool({
      name: "get_weather",
      execute: (_args, { signal }) =>
        new Promise((resolve) => signal.addEventListener("abort", () => resolve(`aborted ${++abortedTools}`), { once: true })),
    });
    const patient = new Brain({ llm: model.provider, tools: [waitsForAbort] });
    model.emulator.clearRequests();
    for await (const event of patient.stepStream({ query: "weather in Paris and Oslo?", route: "react" })) {
      if (event.type === "tool_call") break;
    }
    assert.equal(abortedTools, 2);
    assert.equal(model.emulator.requests.length, 1, "no further model call after the consumer left");
  });

  it("an aborted signal ends the step with an AbortError", async () => {
    await assert.rejects(brain.step({ query: "weather?", route: "react", signal: AbortSignal.abort() }), { name: "AbortError" });
  });
});

describe("Brain with a model name from the config", () => {
  let model: EmulatedModel;
  let dir: string;
  let configPath: string;

  before(async () => {
    model = await emulatedModel();
    dir = mkdtempSync(join(tmpdir(), "minion-brain-"));
    configPath = join(dir, "config.yaml");
    writeFileSync(
      configPath,
      [
        "llm: emu",
        "models:",
        "  emu:",
        "    api_type: bedrock_async",
        `    model: ${MODEL}`,
        "    region: us-east-1",
        `    access_key_id: ${EXAMPLE_CREDENTIALS.accessKeyId}`,
        `    secret_access_key: ${EXAMPLE_CREDENTIALS.secretAccessKey}`,
        `    endpoint: ${model.emulator.url}`,
        "    temperature: 0.7",
        "  other:",
        "    api_type: bedrock_async",
        `    model: ${MODEL}`,
        "",
      ].join("\n"),
    );
  });
  after(async () => {
    await model.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("resolves the name lazily, never changes the shared config, and closes the provider it built", async () => {
    const config = await loadConfig({ configPath, env: {} });
    const brain = new Brain({ llm: "emu", config });
    model.emulator.clearRequests();
    const result = await brain.step({ query: "Bonjour", route: "raw", temperature: 0.1 });
    assert.match(result.output, /You said: Bonjour/);
    assert.equal(bodyOf(model.emulator).temperature, 0.1);
    assert.equal(config.models["emu"]?.temperature, 0.7, "minion's D17: the step's temperature does not leak into the config");
    await brain.step({ query: "again", route: "raw" });
    assert.equal(bodyOf(model.emulator).temperature, 0.7);
    await brain.close();
  });

  it("an unknown model name is a ConfigError listing the names the config has", async () => {
    const brain = new Brain({ llm: "claude-9", config: { configPath, env: {} } });
    await assert.rejects(brain.step({ query: "hi", route: "raw" }), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /Unknown model 'claude-9'\. Known models: emu, other/);
      return true;
    });
  });
});
