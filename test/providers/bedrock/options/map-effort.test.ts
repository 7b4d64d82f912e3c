/**
 * The one `effort` option against the emulator: the field each model family receives on each API (the bytes
 * the emulator got), the typed errors for models and levels that cannot take it (nothing sent), and the old
 * `reasoningEffort` / `reasoning_effort` keys answered with "Did you mean effort?".
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Emulator } from "../../../../src/emulator/index.js";
import { LLMConfig } from "../../../../src/config/llm-config.js";
import { ConfigError, InvalidRequestError } from "../../../../src/schema/errors.js";
import type { MessageInput } from "../../../../src/schema/message.js";
import { emulatorWith, providerFor } from "../emulator-fixture.js";

const PROMPT: MessageInput[] = [{ role: "user", content: "Plan a short trip." }];

let emulator: Emulator;
before(async () => (emulator = await emulatorWith()));
after(() => emulator.close());

const last = () => emulator.requests.at(-1)!;

async function send(config: Record<string, unknown>, options: Record<string, unknown>): Promise<Record<string, any>> {
  const provider = providerFor(emulator, config);
  try {
    await provider.generate(PROMPT, options as never);
    return last().body as Record<string, any>;
  } finally {
    await provider.close();
  }
}

async function refused(config: Record<string, unknown>, options: Record<string, unknown>, message: RegExp): Promise<void> {
  const provider = providerFor(emulator, config);
  const before = emulator.requests.length;
  try {
    await assert.rejects(provider.generate(PROMPT, options as never), (error: unknown) => error instanceof InvalidRequestError && message.test(error.message));
  } finally {
    await provider.close();
  }
  assert.equal(emulator.requests.length, before, `${JSON.stringify(config)} ${JSON.stringify(options)}: nothing sent`);
}

describe("effort: each family's own field", () => {
  it("Claude over InvokeModel: output_config.effort, with the beta flag only for Opus 4.5", async () => {
    const opus45 = await send({ model: "us.anthropic.claude-opus-4-5-20251101-v1:0" }, { effort: "medium" });
    assert.deepEqual(opus45["output_config"], { effort: "medium" });
    assert.deepEqual(opus45["anthropic_beta"], ["effort-2025-11-24"]);
    const sonnet46 = await send({ model: "anthropic.claude-sonnet-4-6" }, { effort: "max" });
    assert.deepEqual(sonnet46["output_config"], { effort: "max" });
    assert.equal(sonnet46["anthropic_beta"], undefined);
    const opus47 = await send({ model: "global.anthropic.claude-opus-4-7" }, { effort: "xhigh" });
    assert.deepEqual(opus47["output_config"], { effort: "xhigh" });
  });

  it("Claude with structured output keeps both in one output_config", async () => {
    const body = await send({ model: "anthropic.claude-opus-4-6-v1" }, { effort: "low", responseFormat: { type: "json_schema", schema: { type: "object", properties: { a: { type: "string" } }, required: ["a"], additionalProperties: false } } });
    assert.equal(body["output_config"].effort, "low");
    assert.equal(body["output_config"].format.type, "json_schema");
  });

  it("Claude over Converse: outputConfig.effort, nothing in additionalModelRequestFields", async () => {
    const body = await send({ model: "anthropic.claude-opus-4-5-20251101-v1:0", api: "converse" }, { effort: "high" });
    assert.deepEqual(body["outputConfig"], { effort: "high" });
    assert.equal(body["additionalModelRequestFields"], undefined);
  });

  it("Nova 2, gpt-oss and DeepSeek V3: their reasoning field in additionalModelRequestFields, no outputConfig", async () => {
    const nova = await send({ model: "us.amazon.nova-2-lite-v1:0" }, { effort: "low" });
    assert.deepEqual(nova["additionalModelRequestFields"], { reasoningConfig: { type: "enabled", maxReasoningEffort: "low" } });
    assert.equal(nova["outputConfig"], undefined);
    const oss = await send({ model: "openai.gpt-oss-120b-1:0", effort: "high" }, {});
    assert.deepEqual(oss["additionalModelRequestFields"], { reasoning_effort: "high" }, "from the config's effort");
    const deepseek = await send({ model: "deepseek.v3-v1:0" }, { effort: "medium" });
    assert.deepEqual(deepseek["additionalModelRequestFields"], { reasoning_effort: "medium" });
  });

  it("an application inference profile ARN (no model named) gets Bedrock's own outputConfig.effort", async () => {
    const arn = "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/abcdef123456";
    const body = await send({ model: arn, price_as: "anthropic.claude-opus-4-6-v1" }, { effort: "low" });
    assert.deepEqual(body["outputConfig"], { effort: "low" });
  });
});

describe("effort: refused before sending where Bedrock would refuse it", () => {
  it("Claude models that take no effort, and levels a Claude model does not have", async () => {
    await refused({ model: "anthropic.claude-sonnet-4-5-20250929-v1:0" }, { effort: "low" }, /effort is not taken by anthropic\.claude-sonnet-4-5-20250929-v1:0: among Claude models, Opus 4\.5, Sonnet 4\.6 and later take it/);
    await refused({ model: "anthropic.claude-haiku-4-5-20251001-v1:0", api: "converse" }, { effort: "low" }, /effort is not taken by/);
    await refused({ model: "anthropic.claude-opus-4-1-20250805-v1:0" }, { effort: "high" }, /effort is not taken by/);
    await refused({ model: "anthropic.claude-opus-4-5-20251101-v1:0" }, { effort: "max" }, /takes effort "low", "medium", "high"; "max" is not one of them/);
    await refused({ model: "anthropic.claude-sonnet-4-6" }, { effort: "xhigh" }, /takes effort "low", "medium", "high", "max"; "xhigh" is not one of them/);
  });

  it("models of other families that have no effort field (a config default too)", async () => {
    await refused({ model: "meta.llama3-3-70b-instruct-v1:0" }, { effort: "low" }, /effort is not taken by meta\.llama3-3-70b-instruct-v1:0/);
    await refused({ model: "mistral.mistral-large-2407-v1:0", effort: "high" }, {}, /effort is not taken by mistral\./);
    await refused({ model: "us.deepseek.r1-v1:0" }, { effort: "low" }, /always reasons and takes no effort/);
  });

  it("a value outside Bedrock's enum, and the old reasoningEffort / reasoning_effort keys", async () => {
    await refused({}, { effort: "extreme" }, /effort must be one of "low", "medium", "high", "xhigh", "max"; got "extreme"/);
    await refused({ model: "openai.gpt-oss-20b-1:0" }, { reasoningEffort: "low" }, /Unknown option "reasoningEffort"\. Did you mean "effort"\?/);
    await refused({ model: "openai.gpt-oss-20b-1:0" }, { reasoning_effort: "low" }, /Unknown option "reasoning_effort"\. Did you mean "effort"\?/);
    const base = { api_type: "bedrock_async", model: "openai.gpt-oss-20b-1:0", region: "us-east-1" };
    for (const key of ["reasoning_effort", "reasoningEffort"]) {
      assert.throws(() => new LLMConfig({ ...base, [key]: "low" } as never), (error: unknown) => error instanceof ConfigError && new RegExp(`${key} is no longer a setting\\. Did you mean effort\\?`).test(error.message));
    }
  });
});
