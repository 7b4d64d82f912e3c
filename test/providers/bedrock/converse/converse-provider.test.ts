import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Emulator } from "../../../../src/emulator/index.js";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EXAMPLE_CREDENTIALS } from "../../../../src/emulator/index.js";
import { BedrockAsyncProvider } from "../../../../src/providers/bedrock/index.js";
import { startEmulatorThread } from "../emulator-thread.js";
import type { StreamEvent, ToolDefinition } from "../../../../src/providers/llm-provider.js";
import { ConfigError } from "../../../../src/schema/errors.js";
import { bodyOf, collect, emulatorWith, providerFor } from "../emulator-fixture.js";

const weather: ToolDefinition = { type: "function", function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } } };
const time: ToolDefinition = { type: "function", function: { name: "get_time" } };

describe("BedrockAsyncProvider on Converse (every non-Claude model)", () => {
  let emulator: Emulator;
  let nova: BedrockAsyncProvider;
  const warnings: string[] = [];
  const onWarning = (warning: Error) => warnings.push(warning.message);

  before(async () => {
    process.on("warning", onWarning);
    emulator = await emulatorWith();
    nova = providerFor(emulator, { model: "us.amazon.nova-pro-v1:0", temperature: 0.2, max_tokens: 300 });
  });
  after(async () => {
    process.off("warning", onWarning);
    await nova.close();
    await emulator.close();
  });

  it("generate, generateStream and generateStreamResponse go through Converse / ConverseStream with config defaults", async () => {
    const text = await nova.generate([{ role: "user", content: "Hello Nova" }]);
    assert.equal(nova.api, "converse");
    assert.equal(emulator.requests.at(-1)!.operation, "Converse");
    assert.deepEqual(bodyOf(emulator)["inferenceConfig"], { maxTokens: 300, temperature: 0.2 });
    const chunks = await collect(nova.generateStream([{ role: "user", content: "Hello Nova" }]));
    assert.equal(emulator.requests.at(-1)!.operation, "ConverseStream");
    assert.ok(chunks.length > 1);
    assert.equal(chunks.join(""), text);
    const completion = await nova.generateStreamResponse([{ role: "user", content: "Hello Nova" }]);
    assert.equal(completion.choices[0]!.message.content, text);
    assert.equal(completion.model, "us.amazon.nova-pro-v1:0");
    assert.ok(completion.usage.prompt_tokens > 0);
  });

  it("streams parallel tool calls as start / delta / complete events, including a call without arguments", async () => {
    const events: StreamEvent[] = await collect(
      nova.streamEvents([{ role: "user", content: 'call get_weather {"city":"Lima"} then call get_time' }], { tools: [weather, time] }),
    );
    const starts = events.filter((e) => e.type === "tool_call_start");
    assert.deepEqual(starts.map((e) => (e as { index: number; name: string }).index), [0, 1]);
    const deltas = events.filter((e) => e.type === "tool_call_delta" && e.index === 0).map((e) => (e as { argumentsDelta: string }).argumentsDelta);
    assert.ok(deltas.length > 1, "arguments arrive in several string fragments");
    assert.deepEqual(JSON.parse(deltas.join("")), { city: "Lima" });
    const finish = events.at(-1) as Extract<StreamEvent, { type: "finish" }>;
    const calls = finish.completion.choices[0]!.message.tool_calls!;
    assert.deepEqual(calls.map((c) => [c.function.name, c.function.arguments]), [["get_weather", '{"city":"Lima"}'], ["get_time", "{}"]]);
    assert.equal(finish.completion.choices[0]!.finish_reason, "tool_calls");
  });

  it("opts Claude into Converse with api: converse, and rejects an unknown api value", async () => {
    const claude = providerFor(emulator, { model: "anthropic.claude-3-5-haiku-20241022-v1:0", api: "converse" });
    try {
      await claude.generate([{ role: "user", content: "hi" }]);
      assert.equal(emulator.requests.at(-1)!.operation, "Converse");
    } finally {
      await claude.close();
    }
    assert.throws(() => providerFor(emulator, { api: "grpc" }), ConfigError);
  });

  it("sends a model id it has never seen as given (no allow-list); only pricing falls back", async () => {
    for (const model of ["qwen.qwen9-900b-v7:0", "global.mistral.mistral-from-the-future-v9:0"]) {
      const unknown = providerFor(emulator, { model });
      try {
        const text = await unknown.generate([{ role: "user", content: "hi there" }]);
        assert.ok(text.length > 0);
        assert.equal(emulator.requests.at(-1)!.modelId, model);
        assert.equal(emulator.requests.at(-1)!.operation, "Converse");
        const cost = unknown.getCost();
        assert.ok(cost.totalTokens > 0);
        assert.equal(cost.totalCost, 0);
      } finally {
        await unknown.close();
      }
    }
  });
});

describe("generateSync on Converse", () => {
  it("blocks until a Converse answer (with a file image) is there", async () => {
    const dir = await mkdtemp(join(tmpdir(), "minion-sync-"));
    const thread = await startEmulatorThread();
    const provider = new BedrockAsyncProvider({
      api_type: "bedrock_async",
      model: "mistral.mistral-large-2407-v1:0",
      region: "us-east-1",
      access_key_id: EXAMPLE_CREDENTIALS.accessKeyId,
      secret_access_key: EXAMPLE_CREDENTIALS.secretAccessKey,
      endpoint: thread.url,
    });
    try {
      const png = Buffer.from("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082", "hex");
      await writeFile(join(dir, "p.png"), png);
      const text = provider.generateSync([{ role: "user", content: [{ type: "image", path: join(dir, "p.png") }, { type: "text", text: "hello sync" }] }]);
      assert.ok(text.includes("hello sync"));
      const requests = await thread.requests();
      assert.equal(requests.at(-1)!.operation, "Converse");
      assert.equal(requests.at(-1)!.body.messages[0].content[0].image.format, "png");
    } finally {
      await provider.close();
      await thread.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
