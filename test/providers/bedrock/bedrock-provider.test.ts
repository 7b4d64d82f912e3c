import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Emulator } from "../../../src/emulator/index.js";
import { InvalidRequestError, AbortError, TimeoutError } from "../../../src/schema/errors.js";
import { Message } from "../../../src/schema/message.js";
import { BedrockAsyncProvider, BedrockProvider } from "../../../src/providers/bedrock/index.js";
import { CONVERSATION_START_TEXT } from "../../../src/providers/bedrock/anthropic/convert-to-anthropic-messages.js";
import { bodyOf, collect, emulatorWith, MODEL, providerFor } from "./emulator-fixture.js";

const PNG_1PX =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

async function waitUntil(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.ok(check(), what);
}

describe("BedrockAsyncProvider against the emulator", () => {
  let emulator: Emulator;
  let provider: BedrockAsyncProvider;

  before(async () => {
    emulator = await emulatorWith({
      script: {
        rules: [
          { match: { text: "two paragraphs" }, respond: { text: "First paragraph.\n\nSecond paragraph.", chunksPerAnswer: 35 } },
          { match: { text: "late answer" }, respond: { text: "Late.", firstByteLatencyMs: 1000 } },
          { match: { text: "slow please" }, respond: { text: "x".repeat(400), chunksPerAnswer: 100, chunkDelayMs: 15 } },
        ],
      },
    });
    provider = providerFor(emulator, { temperature: 0.7, max_tokens: 1000 });
  });
  after(async () => {
    await provider.close();
    await emulator.close();
  });

  it("generate sends an Anthropic body over InvokeModel and returns the text", async () => {
    const text = await provider.generate([new Message({ role: "user", content: "Hello!" })]);
    assert.equal(text, "Hello! I am the minion-ts emulator's built-in model. You said: Hello!");
    const request = emulator.requests.at(-1)!;
    assert.equal(request.operation, "InvokeModel");
    assert.equal(request.modelId, MODEL);
    assert.deepEqual(request.body, {
      anthropic_version: "bedrock-2023-05-31",
      max_tokens: 1000,
      temperature: 0.7,
      messages: [{ role: "user", content: [{ type: "text", text: "Hello!" }] }],
    });
  });

  it("call options win over config defaults; the body has no model or stream key", async () => {
    await provider.generate([{ role: "user", content: "hi" }], { temperature: 0.1, topP: 0.9, topK: 40, maxTokens: 50, stop: ["END", "\n\n"] });
    const body = bodyOf(emulator);
    assert.equal(body.temperature, 0.1);
    assert.equal(body.top_p, 0.9);
    assert.equal(body.top_k, 40);
    assert.equal(body.max_tokens, 50);
    // Whitespace-only stops are enforced on the client only (Bedrock rejects them).
    assert.deepEqual(body.stop_sequences, ["END"]);
    assert.ok(!("model" in body) && !("stream" in body));
  });

  it("without config or call values, max_tokens is the model default", async () => {
    const bare = providerFor(emulator, { temperature: undefined });
    await bare.generate([{ role: "user", content: "hi" }]);
    assert.equal(bodyOf(emulator).max_tokens, 4096);
    assert.ok(!("temperature" in bodyOf(emulator)));
    await bare.close();
  });

  it("joins every system message, merges same-role turns and repairs a leading assistant turn", async () => {
    await provider.generate([
      { role: "system", content: "You are terse." },
      { role: "assistant", content: "Earlier answer." },
      { role: "user", content: "First." },
      { role: "user", content: [{ type: "text", text: "Second." }, { type: "text", text: "   " }] },
      { role: "system", content: "Answer in English." },
      { role: "user", content: "" },
    ]);
    const body = bodyOf(emulator);
    assert.equal(body.system, "You are terse.\n\nAnswer in English.");
    assert.deepEqual(body.messages, [
      { role: "user", content: [{ type: "text", text: CONVERSATION_START_TEXT }] },
      { role: "assistant", content: [{ type: "text", text: "Earlier answer." }] },
      { role: "user", content: [{ type: "text", text: "First." }, { type: "text", text: "Second." }] },
    ]);
  });

  it("sends images from base64 + mediaType, data URLs and OpenAI image_url parts", async () => {
    await provider.generate([
      {
        role: "user",
        content: [
          { type: "text", text: "What is in these?" },
          { type: "image", data: PNG_1PX, mediaType: "image/png" },
          { type: "image", data: `data:image/png;base64,${PNG_1PX}` },
          { type: "image_url", image_url: { url: `data:image/png;base64,${PNG_1PX}` } },
        ],
      },
    ]);
    const content = bodyOf(emulator).messages[0].content;
    assert.equal(content.length, 4);
    for (const block of content.slice(1)) assert.deepEqual(block, { type: "image", source: { type: "base64", media_type: "image/png", data: PNG_1PX } });
  });

  it("rejects bad input before any network call", async () => {
    const before = emulator.requests.length;
    const cases: [unknown, RegExp][] = [
      [[], /empty/],
      [[{ role: "system", content: "only system" }], /only system messages/],
      [[{ role: "robot", content: "x" }], /role "robot"/],
      [[{ role: "user", content: 42 }], /content must be a string or a list/],
      [[{ role: "user", content: [{ type: "video", data: "x" }] }], /unsupported content part type/],
      [[{ role: "user", content: [{ type: "image", data: PNG_1PX, mediaType: "image/bmp" }] }], /not supported/],
      [[{ role: "user", content: [{ type: "image", data: "A".repeat(6_000_000), mediaType: "image/png" }] }], /at most 3.75 MB/],
      [[{ role: "user", content: [{ type: "image_url", image_url: { url: "https://example.com/cat.png" } }] }], /remote image URLs/],
      [[{ role: "tool", content: "result" }], /toolCallId/],
    ];
    for (const [messages, pattern] of cases) {
      await assert.rejects(provider.generate(messages as never), (error: Error) => error instanceof InvalidRequestError && pattern.test(error.message));
      await assert.rejects(collect(provider.generateStream(messages as never)), InvalidRequestError);
    }
    await assert.rejects(provider.generate([{ role: "user", content: "x" }], { temperature: 3 }), /temperature must be a number from 0 to 1/);
    assert.equal(emulator.requests.length, before);
  });

  it("generateStream yields text chunks as they arrive over InvokeModelWithResponseStream", async () => {
    const chunks = await collect(provider.generateStream([{ role: "user", content: "Stream me" }]));
    assert.ok(chunks.length > 1, `expected several chunks, got ${chunks.length}`);
    assert.equal(chunks.join(""), "Hello! I am the minion-ts emulator's built-in model. You said: Stream me");
    assert.equal(emulator.requests.at(-1)!.operation, "InvokeModelWithResponseStream");
  });

  it("honours a stop sequence split across chunks on the client, excluding it, and frees the stream", async () => {
    const chunks = await collect(provider.generateStream([{ role: "user", content: "two paragraphs" }], { stop: "\n\n" }));
    assert.equal(chunks.join(""), "First paragraph.");
    assert.ok(!("stop_sequences" in bodyOf(emulator)));
    await waitUntil(() => emulator.metrics.streamsInFlight === 0, "stream released after the stop");
    const completion = await provider.generateStreamResponse([{ role: "user", content: "two paragraphs" }], { stop: ["\n\n"] });
    assert.equal(completion.choices[0]!.message.content, "First paragraph.");
    assert.equal(completion.choices[0]!.finish_reason, "stop");
    assert.equal(completion.stop_sequence, "\n\n");
    assert.ok(completion.usage.prompt_tokens > 0 && completion.usage.completion_tokens > 0, "usage recorded on early stop");
  });

  it("generate (InvokeModel) applies client-only stops too", async () => {
    assert.equal(await provider.generate([{ role: "user", content: "two paragraphs" }], { stop: "\n\n" }), "First paragraph.");
  });

  it("a client-side stop keeps the usage the service reported after the text (Converse sends it last)", async () => {
    const nova = providerFor(emulator, { model: "amazon.nova-lite-v1:0" });
    try {
      const messages = [{ role: "user" as const, content: "two paragraphs" }];
      await nova.generate(messages);
      const whole = nova.getCost();
      nova.reset();
      assert.equal(await nova.generate(messages, { stop: "\n\n" }), "First paragraph.");
      const stopped = nova.getCost();
      assert.ok(whole.totalPromptTokens > 0);
      assert.equal(stopped.totalPromptTokens, whole.totalPromptTokens);
      assert.equal(stopped.totalCompletionTokens, whole.totalCompletionTokens);
      // Streamed: the emulator sends this short answer in one network write, so usage arrives in the batch of the stop.
      nova.reset();
      const completion = await nova.generateStreamResponse(messages, { stop: "\n\n" });
      assert.equal(completion.choices[0]!.message.content, "First paragraph.");
      assert.equal(completion.usage.prompt_tokens, whole.totalPromptTokens);
      assert.equal(nova.getCost().totalPromptTokens, whole.totalPromptTokens);
    } finally {
      await nova.close();
    }
  });

  it("the server-side stop sequence is reported and excluded", async () => {
    const completion = await provider.generateStreamResponse([{ role: "user", content: "Say something" }], { stop: ["emulator"] });
    assert.equal(completion.choices[0]!.message.content, "Hello! I am the minion-ts ");
    assert.equal(completion.stop_reason, "stop_sequence");
    assert.equal(completion.stop_sequence, "emulator");
    assert.equal(completion.choices[0]!.finish_reason, "stop");
  });

  it("generateStreamResponse returns an OpenAI ChatCompletion with usage", async () => {
    const completion = await provider.generateStreamResponse([{ role: "user", content: "Explain async programming." }]);
    assert.equal(completion.object, "chat.completion");
    assert.equal(completion.model, MODEL);
    assert.equal(typeof completion.id, "string");
    assert.equal(typeof completion.created, "number");
    assert.equal(completion.choices[0]!.message.role, "assistant");
    assert.match(completion.choices[0]!.message.content!, /You said: Explain async programming\./);
    assert.equal(completion.choices[0]!.finish_reason, "stop");
    const usage = completion.usage;
    assert.equal(usage.total_tokens, usage.prompt_tokens + usage.completion_tokens);
  });

  it("maps max_tokens to finish_reason length", async () => {
    const completion = await provider.generateStreamResponse([{ role: "user", content: "long answer please" }], { maxTokens: 3 });
    assert.equal(completion.choices[0]!.finish_reason, "length");
    assert.equal(completion.stop_reason, "max_tokens");
  });

  it("breaking out of for-await closes the stream, releases it, and records usage", async () => {
    const costBefore = provider.getCost().totalTokens;
    let received = "";
    for await (const chunk of provider.generateStream([{ role: "user", content: "slow please" }])) {
      received += chunk;
      break;
    }
    assert.ok(received.length > 0);
    await waitUntil(() => emulator.metrics.streamsInFlight === 0, "streamsInFlight back to 0 after break");
    assert.ok(provider.getCost().totalTokens > costBefore, "usage recorded for the abandoned stream");
  });

  it("aborting mid-stream raises AbortError and frees the connection", async () => {
    const controller = new AbortController();
    const chunks: string[] = [];
    await assert.rejects(
      (async () => {
        for await (const chunk of provider.generateStream([{ role: "user", content: "slow please" }], { signal: controller.signal })) {
          chunks.push(chunk);
          if (chunks.length === 2) controller.abort();
        }
      })(),
      AbortError,
    );
    assert.equal(chunks.length, 2);
    await waitUntil(() => emulator.metrics.streamsInFlight === 0, "streamsInFlight back to 0 after abort");
  });

  it("an already-aborted signal fails without sending", async () => {
    const before = emulator.requests.length;
    await assert.rejects(provider.generate([{ role: "user", content: "x" }], { signal: AbortSignal.abort() }), AbortError);
    assert.equal(emulator.requests.length, before);
  });

  it("a total timeout cuts a slow stream with TimeoutError", async () => {
    await assert.rejects(collect(provider.generateStream([{ role: "user", content: "slow please" }], { timeout: 100 })), (error: Error) => {
      assert.ok(error instanceof TimeoutError);
      assert.equal(error.kind, "total");
      assert.equal(error.timeoutMs, 100);
      return true;
    });
    await waitUntil(() => emulator.metrics.streamsInFlight === 0, "stream released after timeout");
  });

  it("a total timeout cuts a slow non-streaming call (the config's timeout is the default)", async () => {
    await assert.rejects(provider.generate([{ role: "user", content: "late answer" }], { timeout: 100 }), TimeoutError);
    const timed = providerFor(emulator, { timeout: 100 });
    await assert.rejects(timed.generate([{ role: "user", content: "late answer" }]), (error: Error) => error instanceof TimeoutError && error.timeoutMs === 100);
    await timed.close();
  });

  it("streamEvents ends with a finish event carrying the completion", async () => {
    const events = await collect(provider.streamEvents([{ role: "user", content: "events" }]));
    const last = events.at(-1)!;
    assert.equal(last.type, "finish");
    const text = events.flatMap((event) => (event.type === "text" ? [event.text] : [])).join("");
    assert.equal(last.type === "finish" && last.completion.choices[0]!.message.content, text);
  });

  it("BedrockProvider (api_type bedrock) is the same provider", async () => {
    const legacy = new BedrockProvider(providerFor(emulator).config);
    assert.ok(legacy instanceof BedrockAsyncProvider);
    assert.match(await legacy.generate([{ role: "user", content: "legacy" }]), /You said: legacy/);
    await legacy.close();
  });

  it("getCost sums usage and reset clears it", async () => {
    const fresh = providerFor(emulator);
    await fresh.generate([{ role: "user", content: "count me" }]);
    const completion = await fresh.generateStreamResponse([{ role: "user", content: "count me" }]);
    const cost = fresh.getCost();
    assert.equal(cost.totalPromptTokens, completion.usage.prompt_tokens * 2);
    assert.equal(cost.totalTokens, cost.totalPromptTokens + cost.totalCompletionTokens);
    assert.ok(cost.totalCost > 0);
    fresh.reset();
    assert.equal(fresh.getCost().totalTokens, 0);
    await fresh.close();
  });
});
