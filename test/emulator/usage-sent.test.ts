import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConverseCommand, ConverseStreamCommand, InvokeModelCommand, InvokeModelWithResponseStreamCommand } from "@aws-sdk/client-bedrock-runtime";
import { useEmulatorWithSwitchablePlanner } from "./support/emulator-with-sdk-client.js";
import { anthropicBody, CONVERSE_MESSAGES, MODEL_ID } from "./support/sdk-client.js";
import { answerPlan } from "./support/stand-in-planner.js";

const USAGE = { inputTokens: 12, outputTokens: 6, cacheReadInputTokens: 3, cacheWriteInputTokens: 2 };

describe("metrics.usageSent", () => {
  const sdk = useEmulatorWithSwitchablePlanner();

  async function sentBy(send: () => Promise<unknown>): Promise<Record<string, number>> {
    const before = sdk.emulator.metrics.usageSent;
    await send().catch(() => undefined);
    const after = sdk.emulator.metrics.usageSent;
    return Object.fromEntries(Object.entries(after).map(([key, value]) => [key, value - before[key as keyof typeof before]]));
  }

  async function drain(stream: AsyncIterable<unknown> | undefined): Promise<void> {
    for await (const event of stream ?? []) void event;
  }

  it("adds the usage of every InvokeModel and Converse body sent", async () => {
    sdk.planner.plan = answerPlan({ usage: USAGE });
    assert.deepEqual(await sentBy(() => sdk.client.send(new InvokeModelCommand({ modelId: MODEL_ID, body: anthropicBody() }))), USAGE);
    assert.deepEqual(await sentBy(() => sdk.client.send(new ConverseCommand({ modelId: MODEL_ID, messages: CONVERSE_MESSAGES }))), USAGE);
  });

  it("adds a whole stream's usage once (message_start's output count is replaced by message_delta's)", async () => {
    sdk.planner.plan = answerPlan({ usage: USAGE });
    const invoke = await sentBy(async () => drain((await sdk.client.send(new InvokeModelWithResponseStreamCommand({ modelId: MODEL_ID, body: anthropicBody() }))).body));
    assert.deepEqual(invoke, USAGE);
    const converse = await sentBy(async () => drain((await sdk.client.send(new ConverseStreamCommand({ modelId: MODEL_ID, messages: CONVERSE_MESSAGES }))).stream));
    assert.deepEqual(converse, USAGE);
  });

  it("a stream cut before its end reports only what its written frames said", async () => {
    sdk.planner.plan = answerPlan({ usage: USAGE, fault: { type: "reset", afterChunks: 1 } });
    const invoke = await sentBy(async () => drain((await sdk.client.send(new InvokeModelWithResponseStreamCommand({ modelId: MODEL_ID, body: anthropicBody() }))).body));
    assert.deepEqual(invoke, { inputTokens: 12, outputTokens: 1, cacheReadInputTokens: 3, cacheWriteInputTokens: 2 }, "message_start's counts");
    const converse = await sentBy(async () => drain((await sdk.client.send(new ConverseStreamCommand({ modelId: MODEL_ID, messages: CONVERSE_MESSAGES }))).stream));
    assert.deepEqual(converse, { inputTokens: 0, outputTokens: 0, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 }, "the metadata event never went out");
  });

  it("counts a frame's usage as soon as it is written: a stalled stream's message_start counts while it stalls", async () => {
    sdk.planner.plan = answerPlan({ usage: USAGE, fault: { type: "stall", afterChunks: 1 } });
    const before = sdk.emulator.metrics.usageSent;
    const controller = new AbortController();
    const output = await sdk.client.send(new InvokeModelWithResponseStreamCommand({ modelId: MODEL_ID, body: anthropicBody() }), { abortSignal: controller.signal });
    const iterator = output.body![Symbol.asyncIterator]();
    await iterator.next(); // message_start has arrived: the stream is open and stalls after one delta
    assert.equal(sdk.emulator.metrics.streamsInFlight, 1);
    assert.equal(sdk.emulator.metrics.usageSent.inputTokens - before.inputTokens, 12);
    assert.equal(sdk.emulator.metrics.usageSent.outputTokens - before.outputTokens, 1);
    controller.abort();
    await iterator.return?.().catch(() => undefined);
  });

  it("an error response reports no usage", async () => {
    sdk.planner.plan = { kind: "error", name: "ThrottlingException", status: 429, message: "slow down" };
    assert.deepEqual(await sentBy(() => sdk.client.send(new ConverseCommand({ modelId: MODEL_ID, messages: CONVERSE_MESSAGES }))), {
      inputTokens: 0,
      outputTokens: 0,
      cacheReadInputTokens: 0,
      cacheWriteInputTokens: 0,
    });
  });
});
