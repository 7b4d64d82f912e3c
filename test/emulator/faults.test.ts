import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  ConverseCommand,
  ConverseStreamCommand,
  InvokeModelWithResponseStreamCommand,
  ThrottlingException,
  ModelStreamErrorException,
} from "@aws-sdk/client-bedrock-runtime";
import { startEmulator } from "../../src/emulator/index.js";
import { useEmulatorWithSdkClient, useEmulatorWithSwitchablePlanner } from "./support/emulator-with-sdk-client.js";
import { anthropicBody, CONVERSE_MESSAGES, MODEL_ID, sdkClient } from "./support/sdk-client.js";
import { answerPlan } from "./support/stand-in-planner.js";

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1500 && !condition(); i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.ok(condition(), "condition not reached");
}

describe("faults", () => {
  const sdk = useEmulatorWithSwitchablePlanner();
  const { planner } = sdk;

  async function streamChunks(): Promise<{ chunks: string[]; error?: unknown }> {
    const chunks: string[] = [];
    try {
      const output = await sdk.client.send(new InvokeModelWithResponseStreamCommand({ modelId: MODEL_ID, body: anthropicBody() }));
      for await (const event of output.body!) chunks.push(JSON.parse(Buffer.from(event.chunk!.bytes!).toString()).type);
      return { chunks };
    } catch (error) {
      return { chunks, error };
    }
  }

  it("reset after 2 chunks: the SDK sees the events before it, then a network error", async () => {
    planner.plan = answerPlan({ fault: { type: "reset", afterChunks: 2 } });
    const { chunks, error } = await streamChunks();
    assert.ok(error instanceof Error, "expected the stream to fail");
    assert.deepEqual(chunks, ["message_start", "content_block_start", "content_block_delta", "content_block_delta"]);
    await until(() => sdk.emulator.metrics.streamsInFlight === 0);
  });

  it("corrupt frame: the SDK rejects the frame whose CRC fails", async () => {
    planner.plan = answerPlan({ fault: { type: "corrupt_frame", afterChunks: 1 } });
    const { chunks, error } = await streamChunks();
    assert.ok(error instanceof Error);
    assert.match(String((error as Error).message), /checksum|crc/i);
    assert.deepEqual(chunks, ["message_start", "content_block_start", "content_block_delta"]);
  });

  it("a mid-stream throttlingException is typed as ThrottlingException", async () => {
    planner.plan = answerPlan({ fault: { type: "exception", afterChunks: 3, name: "throttlingException", message: "Too many tokens, slow down." } });
    const { chunks, error } = await streamChunks();
    assert.ok(error instanceof ThrottlingException, `got ${String(error)}`);
    assert.equal(error.message, "Too many tokens, slow down.");
    assert.equal(chunks.filter((type) => type === "content_block_delta").length, 3);
  });

  it("a mid-stream modelStreamErrorException on ConverseStream is typed", async () => {
    planner.plan = answerPlan({ fault: { type: "exception", afterChunks: 1, name: "modelStreamErrorException", message: "model broke" } });
    const output = await sdk.client.send(new ConverseStreamCommand({ modelId: MODEL_ID, messages: CONVERSE_MESSAGES }));
    await assert.rejects(
      (async () => {
        for await (const event of output.stream!) void event;
      })(),
      (error: unknown) => error instanceof ModelStreamErrorException && error.originalStatusCode === 500,
    );
  });

  it("stall: the client aborts and the server frees the stream", async () => {
    planner.plan = answerPlan({ fault: { type: "stall", afterChunks: 1 } });
    const controller = new AbortController();
    const output = await sdk.client.send(new InvokeModelWithResponseStreamCommand({ modelId: MODEL_ID, body: anthropicBody() }), {
      abortSignal: controller.signal,
    });
    const seen: string[] = [];
    const reading = (async () => {
      for await (const event of output.body!) {
        seen.push(JSON.parse(Buffer.from(event.chunk!.bytes!).toString()).type);
        if (seen.length === 3) controller.abort();
      }
    })();
    // The SDK ends (or fails) the iteration once aborted; either way it must not hang.
    await reading.catch(() => undefined);
    assert.equal(seen.length, 3);
    await until(() => sdk.emulator.metrics.streamsInFlight === 0);
  });

  it("a client that breaks out of the stream mid-way frees streamsInFlight", async () => {
    planner.plan = answerPlan({ timing: { firstByteLatencyMs: 0, chunkDelayMs: 20, chunksPerAnswer: 50 }, blocks: [{ type: "text", text: "x".repeat(500) }] });
    const started = sdk.emulator.metrics.streamsStarted;
    const output = await sdk.client.send(new ConverseStreamCommand({ modelId: MODEL_ID, messages: CONVERSE_MESSAGES }));
    let count = 0;
    for await (const event of output.stream!) {
      void event;
      count += 1;
      if (count === 3) break;
    }
    assert.equal(sdk.emulator.metrics.streamsStarted, started + 1);
    await until(() => sdk.emulator.metrics.streamsInFlight === 0);
  });

  it("connection reset before any response: the SDK gets a network error and the server keeps serving", async () => {
    planner.plan = { kind: "connection_fault", type: "reset" };
    await assert.rejects(sdk.client.send(new ConverseCommand({ modelId: MODEL_ID, messages: CONVERSE_MESSAGES })));
    planner.plan = answerPlan();
    const output = await sdk.client.send(new ConverseCommand({ modelId: MODEL_ID, messages: CONVERSE_MESSAGES }));
    assert.equal(output.stopReason, "end_turn");
  });

  it("connection stall before any response: an aborted request frees everything", async () => {
    planner.plan = { kind: "connection_fault", type: "stall" };
    const controller = new AbortController();
    const pending = sdk.client.send(new ConverseCommand({ modelId: MODEL_ID, messages: CONVERSE_MESSAGES }), { abortSignal: controller.signal });
    const before = sdk.emulator.metrics.requests;
    await until(() => sdk.emulator.metrics.requests > before);
    controller.abort();
    await assert.rejects(pending);
  });

  it("close() ends a stalled stream so nothing hangs", async () => {
    const local = await startEmulator({ planner: () => answerPlan({ fault: { type: "stall", afterChunks: 0 } }) });
    const localClient = sdkClient(local);
    try {
      const output = await localClient.send(new InvokeModelWithResponseStreamCommand({ modelId: MODEL_ID, body: anthropicBody() }));
      const reading = (async () => {
        for await (const event of output.body!) void event;
      })();
      await until(() => local.metrics.streamsInFlight === 1);
      await local.close();
      // The connection is gone: the SDK's iteration settles (ends or fails) instead of hanging.
      await reading.catch(() => undefined);
      assert.equal(local.metrics.streamsInFlight, 0);
    } finally {
      localClient.destroy();
      await local.close();
    }
  });
});

describe("faults and latency from the built-in model's script", () => {
  const sdk = useEmulatorWithSdkClient({
    script: { rules: [{ match: { text: "please fail" }, respond: { text: "partial answer here", fault: { type: "exception", name: "throttlingException", afterChunks: 1 } } }] },
    chunksPerAnswer: 3,
  });

  it("a scripted mid-stream exception reaches the SDK typed", async () => {
    const output = await sdk.client.send(new InvokeModelWithResponseStreamCommand({ modelId: MODEL_ID, body: anthropicBody("please fail now") }));
    const texts: string[] = [];
    await assert.rejects(
      (async () => {
        for await (const event of output.body!) {
          const parsed = JSON.parse(Buffer.from(event.chunk!.bytes!).toString());
          if (parsed.delta?.text) texts.push(parsed.delta.text);
        }
      })(),
      ThrottlingException,
    );
    assert.equal(texts.length, 1);
  });
});
