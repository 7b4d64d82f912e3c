/**
 * The emulator's request knobs as the official AWS SDK client sees them: tiers and latency reported back
 * (Converse fields, InvokeModel headers), ValidationExceptions for values Bedrock rejects, the 1-hour cache
 * split in usage, and citations for documents with citations on.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  ConverseCommand,
  ConverseStreamCommand,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
  ValidationException,
  type BedrockRuntimeClient,
} from "@aws-sdk/client-bedrock-runtime";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import { createPlanner } from "../../src/emulator/model/index.js";
import { MODEL_ID, sdkClient } from "./support/sdk-client.js";

let emulator: Emulator;
let client: BedrockRuntimeClient;
before(async () => {
  emulator = await startEmulator({ planner: createPlanner() });
  client = sdkClient(emulator);
});
after(async () => {
  client.destroy();
  await emulator.close();
});

const messages = (text: string) => [{ role: "user" as const, content: [{ text }] }];
const anthropic = (body: Record<string, unknown> = {}) =>
  new TextEncoder().encode(JSON.stringify({ anthropic_version: "bedrock-2023-05-31", max_tokens: 100, messages: [{ role: "user", content: "Hello" }], ...body }));

async function rejection(send: () => Promise<unknown>): Promise<ValidationException> {
  try {
    await send();
  } catch (error) {
    assert.ok(error instanceof ValidationException, `expected a ValidationException, got ${String(error)}`);
    assert.equal(error.$metadata.httpStatusCode, 400);
    return error;
  }
  assert.fail("the request was accepted");
}

describe("service tier and latency", () => {
  it("Converse and ConverseStream report the tier and latency the request asked for", async () => {
    const answer = await client.send(new ConverseCommand({ modelId: MODEL_ID, messages: messages("Hi"), serviceTier: { type: "priority" }, performanceConfig: { latency: "optimized" } }));
    assert.deepEqual(answer.serviceTier, { type: "priority" });
    assert.deepEqual(answer.performanceConfig, { latency: "optimized" });
    const stream = await client.send(new ConverseStreamCommand({ modelId: MODEL_ID, messages: messages("Hi"), serviceTier: { type: "flex" } }));
    let metadata: unknown;
    for await (const event of stream.stream!) if (event.metadata) metadata = event.metadata;
    assert.deepEqual((metadata as { serviceTier?: unknown }).serviceTier, { type: "flex" });
    const plain = await client.send(new ConverseCommand({ modelId: MODEL_ID, messages: messages("Hi") }));
    assert.equal(plain.serviceTier, undefined);
  });

  it("InvokeModel and InvokeModelWithResponseStream report them in X-Amzn-Bedrock-Service-Tier / -PerformanceConfig-Latency", async () => {
    const answer = await client.send(new InvokeModelCommand({ modelId: MODEL_ID, body: anthropic(), serviceTier: "flex", performanceConfigLatency: "optimized" }));
    assert.equal(answer.serviceTier, "flex");
    assert.equal(answer.performanceConfigLatency, "optimized");
    const stream = await client.send(new InvokeModelWithResponseStreamCommand({ modelId: MODEL_ID, body: anthropic(), serviceTier: "reserved" }));
    for await (const _event of stream.body!) void _event;
    assert.equal(stream.serviceTier, "reserved");
  });

  it("rejects tiers and latencies Bedrock does not have, naming the field and the allowed values", async () => {
    const badTier = await rejection(() => client.send(new ConverseCommand({ modelId: MODEL_ID, messages: messages("Hi"), serviceTier: { type: "turbo" as never } })));
    assert.equal(badTier.message, "1 validation error detected: Value 'turbo' at 'serviceTier.type' failed to satisfy constraint: Member must satisfy enum value set: [priority, default, flex, reserved]");
    const badLatency = await rejection(() => client.send(new InvokeModelCommand({ modelId: MODEL_ID, body: anthropic(), performanceConfigLatency: "fast" as never })));
    assert.match(badLatency.message, /Value 'fast' at 'performanceConfigLatency' failed to satisfy constraint: Member must satisfy enum value set: \[standard, optimized\]/);
  });
});

describe("request metadata", () => {
  it("accepts 1 to 16 pairs on both APIs and rejects more, or bad characters, without quoting the values", async () => {
    await client.send(new ConverseCommand({ modelId: MODEL_ID, messages: messages("Hi"), requestMetadata: { team: "search" } }));
    await client.send(new InvokeModelCommand({ modelId: MODEL_ID, body: anthropic(), requestMetadata: JSON.stringify({ team: "search" }) }));
    const many = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, "v"]));
    const tooMany = await rejection(() => client.send(new ConverseCommand({ modelId: MODEL_ID, messages: messages("Hi"), requestMetadata: many })));
    assert.match(tooMany.message, /Value at 'requestMetadata' failed to satisfy constraint: Member must have length less than or equal to 16/);
    const badValue = await rejection(() => client.send(new InvokeModelCommand({ modelId: MODEL_ID, body: anthropic(), requestMetadata: JSON.stringify({ team: "private!value" }) })));
    assert.match(badValue.message, /Map value must satisfy constraint/);
    assert.ok(!badValue.message.includes("private!value"));
  });
});

describe("effort", () => {
  const OPUS_4_6 = "anthropic.claude-opus-4-6-v1";
  const OPUS_4_5 = "anthropic.claude-opus-4-5-20251101-v1:0";
  const converse = (modelId: string, effort: string) => client.send(new ConverseCommand({ modelId, messages: messages("Hi"), outputConfig: { effort } as never }));
  const invoke = (modelId: string, body: Record<string, unknown>) => client.send(new InvokeModelCommand({ modelId, body: anthropic(body) }));

  it("Converse outputConfig.effort and the Anthropic body's output_config.effort take Bedrock's enum and reject the rest", async () => {
    await converse(OPUS_4_6, "high");
    await invoke(OPUS_4_6, { output_config: { effort: "max" } });
    const badConverse = await rejection(() => converse(OPUS_4_6, "extreme"));
    assert.equal(badConverse.message, "The model returned the following errors: output_config.effort: Input should be 'low', 'medium', 'high', 'xhigh' or 'max'");
    const badInvoke = await rejection(() => invoke(OPUS_4_6, { output_config: { effort: "extreme" } }));
    assert.equal(badInvoke.message, "output_config.effort: Input should be 'low', 'medium', 'high', 'xhigh' or 'max'");
  });

  it("the levels depend on the model: Opus 4.5 low..high (with its beta flag on InvokeModel), Opus 4.6 adds max, Opus 4.7 xhigh", async () => {
    await invoke(OPUS_4_5, { output_config: { effort: "low" }, anthropic_beta: ["effort-2025-11-24"] });
    const noBeta = await rejection(() => invoke(OPUS_4_5, { output_config: { effort: "low" } }));
    assert.equal(noBeta.message, 'output_config.effort: this model reads effort only with the anthropic_beta flag "effort-2025-11-24".');
    const opus45Max = await rejection(() => invoke(OPUS_4_5, { output_config: { effort: "max" }, anthropic_beta: ["effort-2025-11-24"] }));
    assert.equal(opus45Max.message, "output_config.effort: Input should be 'low', 'medium' or 'high'");
    const opus46Xhigh = await rejection(() => converse(OPUS_4_6, "xhigh"));
    assert.equal(opus46Xhigh.message, "The model returned the following errors: output_config.effort: Input should be 'low', 'medium', 'high' or 'max'");
    await converse("us.anthropic.claude-opus-4-7", "xhigh");
  });

  it("models that take no effort refuse it: older Claude models, and other families in outputConfig", async () => {
    const claude35 = await rejection(() => invoke(MODEL_ID, { output_config: { effort: "low" } }));
    assert.equal(claude35.message, "output_config.effort: This model does not support the effort parameter.");
    const sonnet45 = await rejection(() => converse("anthropic.claude-sonnet-4-5-20250929-v1:0", "low"));
    assert.equal(sonnet45.message, "The model returned the following errors: output_config.effort: This model does not support the effort parameter.");
    const llama = await rejection(() => converse("meta.llama3-3-70b-instruct-v1:0", "low"));
    assert.equal(llama.message, "This model doesn't support the outputConfig.effort field. Remove it and try again.");
    await converse("arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/abcdef123456", "low");
  });
});

describe("1-hour prompt cache", () => {
  const system = (tag: string) => `${tag} ${"A long and stable system prompt. ".repeat(40)}`;

  it("Converse reports the cache writes by TTL in usage.cacheDetails (1h first), and rejects other TTLs", async () => {
    const answer = await client.send(
      new ConverseCommand({ modelId: MODEL_ID, messages: messages("Hi"), system: [{ text: system("converse") }, { cachePoint: { type: "default", ttl: "1h" } }] }),
    );
    const usage = answer.usage!;
    assert.ok(usage.cacheWriteInputTokens! > 0);
    assert.deepEqual(usage.cacheDetails, [{ ttl: "1h", inputTokens: usage.cacheWriteInputTokens }]);
    const bad = await rejection(() =>
      client.send(new ConverseCommand({ modelId: MODEL_ID, messages: messages("Hi"), system: [{ text: "x" }, { cachePoint: { type: "default", ttl: "2h" as never } }] })),
    );
    assert.match(bad.message, /Value '2h' at 'system\.1\.member\.cachePoint\.ttl' failed to satisfy constraint: Member must satisfy enum value set: \[5m, 1h\]/);
  });

  it("InvokeModel reports usage.cache_creation split into ephemeral_5m / ephemeral_1h", async () => {
    const body = anthropic({ system: [{ type: "text", text: system("invoke"), cache_control: { type: "ephemeral", ttl: "1h" } }] });
    const answer = await client.send(new InvokeModelCommand({ modelId: MODEL_ID, body }));
    const usage = JSON.parse(new TextDecoder().decode(answer.body)).usage;
    assert.ok(usage.cache_creation_input_tokens > 0);
    assert.deepEqual(usage.cache_creation, { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: usage.cache_creation_input_tokens });
  });
});

describe("citations", () => {
  const text = "Mount Everest is 8,849 m high. K2 is second.";

  it("Converse answers with a citationsContent block citing the document's characters", async () => {
    const answer = await client.send(
      new ConverseCommand({
        modelId: MODEL_ID,
        messages: [{ role: "user", content: [{ document: { format: "txt", name: "Peaks", source: { bytes: new TextEncoder().encode(text) }, citations: { enabled: true } } }, { text: "How high is Everest?" }] }],
      }),
    );
    const cited = answer.output!.message!.content!.find((block) => block.citationsContent)!.citationsContent!;
    assert.deepEqual(cited.citations, [
      { title: "Peaks", sourceContent: [{ text: "Mount Everest is 8,849 m high." }], location: { documentChar: { documentIndex: 0, start: 0, end: 30 } } },
    ]);
    assert.match(cited.content![0]!.text!, /Mount Everest is 8,849 m high\./);
  });

  it("InvokeModelWithResponseStream sends citations_delta events before the cited text", async () => {
    const body = anthropic({
      messages: [
        {
          role: "user",
          content: [
            { type: "document", source: { type: "text", media_type: "text/plain", data: text }, title: "Peaks", citations: { enabled: true } },
            { type: "text", text: "How high is Everest?" },
          ],
        },
      ],
    });
    const stream = await client.send(new InvokeModelWithResponseStreamCommand({ modelId: MODEL_ID, body }));
    const events: any[] = [];
    for await (const event of stream.body!) if (event.chunk?.bytes) events.push(JSON.parse(new TextDecoder().decode(event.chunk.bytes)));
    const citation = events.find((event) => event.delta?.type === "citations_delta");
    assert.deepEqual(citation.delta.citation, {
      type: "char_location",
      cited_text: "Mount Everest is 8,849 m high.",
      document_index: 0,
      document_title: "Peaks",
      start_char_index: 0,
      end_char_index: 30,
    });
    const firstTextOfBlock = events.findIndex((event) => event.index === citation.index && event.delta?.type === "text_delta");
    assert.ok(events.indexOf(citation) < firstTextOfBlock);
  });

  it("rejects a citations setting without a boolean enabled", async () => {
    const bad = await rejection(() =>
      client.send(
        new ConverseCommand({
          modelId: MODEL_ID,
          messages: [{ role: "user", content: [{ document: { format: "txt", name: "Peaks", source: { bytes: new TextEncoder().encode(text) }, citations: {} as never } }, { text: "Q" }] }],
        }),
      ),
    );
    assert.equal(bad.message, "1 validation error detected: Value null at 'messages.0.member.content.0.member.document.citations.enabled' failed to satisfy constraint: Member must not be null");
  });
});
