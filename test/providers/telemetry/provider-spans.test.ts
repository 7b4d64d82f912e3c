import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import type { Emulator } from "../../../src/emulator/index.js";
import { collect, emulatorWith, MODEL, providerFor } from "../bedrock/emulator-fixture.js";
import { startEmulatorThread } from "../bedrock/emulator-thread.js";
import { onlySpan, registerOtel, type OtelHarness } from "./otel-fixture.js";

const NOVA = "amazon.nova-lite-v1:0";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

describe("provider calls as OpenTelemetry GenAI spans and metrics (in-memory SDK, emulator)", () => {
  let emulator: Emulator;
  let otel: OtelHarness;
  before(async () => {
    otel = registerOtel();
    emulator = await emulatorWith({
      script: {
        rules: [
          { match: { text: "fail with ValidationException" }, respond: { error: { name: "ValidationException" } } },
          { match: { text: "always throttled" }, respond: { error: { name: "ThrottlingException" } } },
          { match: { text: "long answer" }, respond: { text: "one two three four five six seven eight", chunksPerAnswer: 8 } },
          { match: { text: "cut short" }, respond: { text: "a partial", stopReason: "max_tokens" } },
          { match: { text: "stall after one" }, respond: { text: "a b c d", chunksPerAnswer: 4, fault: { type: "stall", afterChunks: 1 } } },
        ],
      } as never,
    });
  });
  afterEach(() => otel.reset());
  after(async () => {
    await emulator.close();
    await otel.shutdown();
  });

  const server = () => new URL(emulator.url);

  it("generate: a CLIENT span 'chat {model}' with the request, the response model and the billed tokens", async () => {
    const provider = providerFor(emulator);
    await provider.generate([{ role: "user", content: "Hello there" }], { temperature: 0.3, maxTokens: 200, stop: ["END"] });
    const span = onlySpan(otel.spans(), `chat ${MODEL}`);
    const cost = provider.getCost();
    assert.equal(span.kind, SpanKind.CLIENT);
    assert.equal(span.status.code, SpanStatusCode.UNSET);
    assert.deepEqual(
      { ...span.attributes },
      {
        "gen_ai.operation.name": "chat",
        "gen_ai.provider.name": "aws.bedrock",
        "gen_ai.system": "aws.bedrock",
        "gen_ai.request.model": MODEL,
        "gen_ai.request.temperature": 0.3,
        "gen_ai.request.max_tokens": 200,
        "gen_ai.request.stop_sequences": ["END"],
        "server.address": server().hostname,
        "server.port": Number(server().port),
        "gen_ai.response.model": MODEL,
        "gen_ai.response.id": span.attributes["gen_ai.response.id"],
        "gen_ai.response.finish_reasons": ["stop"],
        "gen_ai.usage.input_tokens": cost.totalPromptTokens,
        "gen_ai.usage.output_tokens": cost.totalCompletionTokens,
      },
    );
    assert.ok(cost.totalPromptTokens > 0 && cost.totalCompletionTokens > 0);
    await provider.close();
  });

  it("generateStreamResponse: token counts equal the usage returned; duration, token usage and time to first chunk are recorded", async () => {
    const provider = providerFor(emulator);
    const completion = await provider.generateStreamResponse([{ role: "user", content: "long answer please" }]);
    const span = onlySpan(otel.spans(), `chat ${MODEL}`);
    assert.equal(span.attributes["gen_ai.usage.input_tokens"], completion.usage.prompt_tokens);
    assert.equal(span.attributes["gen_ai.usage.output_tokens"], completion.usage.completion_tokens);
    assert.equal(span.attributes["gen_ai.response.id"], completion.id);
    const ttft = span.attributes["gen_ai.response.time_to_first_chunk"];
    assert.ok(typeof ttft === "number" && ttft > 0);

    const tokens = await otel.metric("gen_ai.client.token.usage");
    const input = tokens.find((point) => point.attributes["gen_ai.token.type"] === "input" && point.attributes["gen_ai.request.model"] === MODEL);
    const output = tokens.find((point) => point.attributes["gen_ai.token.type"] === "output" && point.attributes["gen_ai.request.model"] === MODEL);
    assert.ok(input && output, "both token types recorded");
    // Cumulative over the file: this is the second successful call of MODEL, so compare against the totals of both.
    assert.equal(input.value.count, output.value.count);
    assert.equal(input.attributes["gen_ai.operation.name"], "chat");
    assert.equal(input.attributes["gen_ai.provider.name"], "aws.bedrock");
    assert.equal(input.attributes["gen_ai.system"], "aws.bedrock", "the pre-1.37 name too, on metrics as on spans");
    assert.equal(input.attributes["gen_ai.response.model"], MODEL);
    assert.equal(input.attributes["server.address"], server().hostname);

    const first = await otel.metric("gen_ai.client.operation.time_to_first_chunk");
    assert.equal(first.length, 1);
    assert.equal(first[0]!.value.count, 1, "one streamed call, one time-to-first-chunk");
    assert.equal(first[0]!.value.sum, ttft);
    const durations = await otel.metric("gen_ai.client.operation.duration");
    assert.ok(durations.some((point) => point.attributes["gen_ai.operation.name"] === "chat" && point.value.count >= 1));
    await provider.close();
  });

  it("token usage histogram sums equal the tokens billed", async () => {
    const provider = providerFor(emulator, { model: NOVA });
    const a = await provider.generateStreamResponse([{ role: "user", content: "first" }]);
    const b = await provider.generateStreamResponse([{ role: "user", content: "second, a little longer" }]);
    const tokens = await otel.metric("gen_ai.client.token.usage");
    const of = (type: string) => tokens.find((point) => point.attributes["gen_ai.token.type"] === type && point.attributes["gen_ai.request.model"] === NOVA)!.value;
    assert.equal(of("input").sum, a.usage.prompt_tokens + b.usage.prompt_tokens);
    assert.equal(of("output").sum, a.usage.completion_tokens + b.usage.completion_tokens);
    assert.equal(of("input").count, 2);
    await provider.close();
  });

  it("generateStream: a span per stream with its time to first chunk", async () => {
    const provider = providerFor(emulator);
    const text = (await collect(provider.generateStream([{ role: "user", content: "long answer" }]))).join("");
    assert.equal(text, "one two three four five six seven eight");
    const span = onlySpan(otel.spans(), `chat ${MODEL}`);
    assert.ok((span.attributes["gen_ai.response.time_to_first_chunk"] as number) > 0);
    assert.equal(span.attributes["gen_ai.usage.output_tokens"], provider.getCost().totalCompletionTokens);
    await provider.close();
  });

  it("prompt caching: cache read and write tokens are attributes, and included in input tokens", async () => {
    const provider = providerFor(emulator, { model: NOVA });
    const messages = [{ role: "system" as const, content: "You are a careful assistant. ".repeat(40) }, { role: "user" as const, content: "Hello cache" }];
    const first = await provider.generateStreamResponse(messages, { cache: true });
    const second = await provider.generateStreamResponse(messages, { cache: true });
    const [writeSpan, readSpan] = otel.spans();
    assert.equal(writeSpan!.attributes["gen_ai.usage.cache_creation.input_tokens"], first.usage.cache_write_input_tokens);
    assert.equal(readSpan!.attributes["gen_ai.usage.cache_read.input_tokens"], second.usage.cache_read_input_tokens);
    assert.ok((first.usage.cache_write_input_tokens ?? 0) > 0 && (second.usage.cache_read_input_tokens ?? 0) > 0);
    assert.equal(readSpan!.attributes["gen_ai.usage.input_tokens"], second.usage.prompt_tokens);
    await provider.close();
  });

  it("a service error: the span has error.type and an ERROR status; the duration metric carries error.type", async () => {
    const provider = providerFor(emulator);
    await assert.rejects(provider.generate([{ role: "user", content: "fail with ValidationException" }]));
    await assert.rejects(collect(provider.generateStream([{ role: "user", content: "always throttled" }])));
    const [validation, throttled] = otel.spans();
    assert.equal(validation!.attributes["error.type"], "ValidationException");
    assert.equal(validation!.status.code, SpanStatusCode.ERROR);
    assert.match(validation!.status.message ?? "", /ValidationException/);
    assert.equal(throttled!.attributes["error.type"], "ThrottlingException", "after its retries, one span with the final error");
    assert.equal(otel.spans().length, 2);
    const durations = await otel.metric("gen_ai.client.operation.duration");
    assert.ok(durations.some((point) => point.attributes["error.type"] === "ValidationException"));
    assert.ok(durations.some((point) => point.attributes["error.type"] === "ThrottlingException"));
    await provider.close();
  });

  it("a consumer leaving a stream early ends the span without an error", async () => {
    const provider = providerFor(emulator);
    for await (const chunk of provider.generateStream([{ role: "user", content: "long answer" }])) {
      assert.ok(chunk);
      break;
    }
    const span = onlySpan(otel.spans(), `chat ${MODEL}`);
    assert.equal(span.status.code, SpanStatusCode.UNSET);
    assert.equal(span.attributes["error.type"], undefined);
    assert.ok(span.ended);
    await provider.close();
  });

  it("a consumer dropping a stream's iterator unfinished (no break, no return()) ends the span once the iterator is collected", async () => {
    const provider = providerFor(emulator);
    try {
      await (async () => {
        const iterator = provider.streamEvents([{ role: "user", content: "stall after one" }])[Symbol.asyncIterator]();
        assert.equal((await iterator.next()).done, false);
      })();
      for (let i = 0; i < 250 && otel.spans().length === 0; i++) {
        gc();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const span = onlySpan(otel.spans(), `chat ${MODEL}`);
      assert.equal(span.status.code, SpanStatusCode.UNSET);
      assert.ok(span.ended);
    } finally {
      await provider.close();
    }
  });

  it("finish reasons: a max_tokens stop is ['length'] on the span", async () => {
    const provider = providerFor(emulator);
    const completion = await provider.generateStreamResponse([{ role: "user", content: "cut short" }]);
    assert.equal(completion.choices[0]!.finish_reason, "length");
    assert.deepEqual(onlySpan(otel.spans(), `chat ${MODEL}`).attributes["gen_ai.response.finish_reasons"], ["length"]);
    await provider.close();
  });

  it("native structured output: gen_ai.output.type is json; a plain chat call has none", async () => {
    const provider = providerFor(emulator, { model: NOVA });
    const schema = { type: "object", properties: { city: { type: "string" } }, required: ["city"], additionalProperties: false };
    const value = await provider.generateObject([{ role: "user", content: "a city" }], { schema, mode: "native" });
    assert.equal(typeof (value as { city: unknown }).city, "string");
    await provider.generate([{ role: "user", content: "plain" }]);
    const [structured, plain] = otel.spans();
    assert.equal(structured!.attributes["gen_ai.output.type"], "json");
    assert.equal(plain!.attributes["gen_ai.output.type"], undefined);
    await provider.close();
  });

  it("generateSync: the span is recorded on the calling thread, with the usage the worker's call billed", async () => {
    const thread = await startEmulatorThread();
    try {
      const provider = providerFor({ url: thread.url } as Emulator);
      assert.ok(provider.generateSync([{ role: "user", content: "sync" }], { maxTokens: 64 }).length > 0);
      const span = onlySpan(otel.spans(), `chat ${MODEL}`);
      const cost = provider.getCost();
      assert.equal(span.kind, SpanKind.CLIENT);
      assert.equal(span.attributes["gen_ai.request.max_tokens"], 64);
      assert.equal(span.attributes["gen_ai.response.model"], MODEL);
      assert.deepEqual(span.attributes["gen_ai.response.finish_reasons"], ["stop"]);
      assert.equal(span.attributes["gen_ai.usage.input_tokens"], cost.totalPromptTokens);
      assert.equal(span.attributes["gen_ai.usage.output_tokens"], cost.totalCompletionTokens);
      assert.equal(span.attributes["server.address"], new URL(thread.url).hostname);
      assert.ok(cost.totalCompletionTokens > 0);
      await provider.close();
    } finally {
      await thread.close();
    }
  });

  it("countTokens: a 'count_tokens {model}' span whose input tokens are the count returned", async () => {
    const provider = providerFor(emulator);
    const counted = await provider.countTokens([{ role: "user", content: "How many tokens is this?" }]);
    const span = onlySpan(otel.spans(), `count_tokens ${MODEL}`);
    assert.equal(span.attributes["gen_ai.operation.name"], "count_tokens");
    assert.equal(span.attributes["gen_ai.usage.input_tokens"], counted.inputTokens);
    assert.equal(counted.estimated, false);
    await provider.close();
  });

  it("an SDK registered after the first one was shut down gets the spans of later calls", async () => {
    const provider = providerFor(emulator);
    await provider.generate([{ role: "user", content: "before the switch" }]);
    await otel.shutdown();
    otel = registerOtel();
    await provider.generate([{ role: "user", content: "after the switch" }]);
    assert.equal(onlySpan(otel.spans(), `chat ${MODEL}`).attributes["gen_ai.request.model"], MODEL);
    await provider.close();
  });
});
