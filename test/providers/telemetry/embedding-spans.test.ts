import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { SpanKind } from "@opentelemetry/api";
import type { TelemetryUsageEvent } from "../../../src/providers/telemetry/index.js";
import { useEmbeddingEmulator } from "../embeddings/embedding-fixture.js";
import { onlySpan, registerOtel, type OtelHarness } from "./otel-fixture.js";

describe("embeddings and rerank as spans", () => {
  const fixture = useEmbeddingEmulator();
  let otel: OtelHarness;
  before(() => (otel = registerOtel()));
  after(() => otel.shutdown());

  it("embed: one 'embeddings {model}' span over all batches, input tokens = the tokens billed", async () => {
    const usages: TelemetryUsageEvent[] = [];
    const provider = fixture.provider("cohere.embed-english-v3", {}, { onUsage: (usage) => usages.push(usage) });
    const texts = Array.from({ length: 150 }, (_, i) => `text ${i} about topic ${i % 5}`);
    const vectors = await provider.embed(texts, { inputType: "search_document" });
    assert.equal(vectors.length, 150);
    const span = onlySpan(otel.spans(), "embeddings cohere.embed-english-v3");
    assert.equal(span.kind, SpanKind.CLIENT);
    assert.equal(span.attributes["gen_ai.operation.name"], "embeddings");
    assert.equal(span.attributes["gen_ai.provider.name"], "aws.bedrock");
    const billed = provider.getCost().totalPromptTokens;
    assert.ok(billed > 0);
    assert.equal(span.attributes["gen_ai.usage.input_tokens"], billed);
    assert.equal(span.attributes["gen_ai.usage.output_tokens"], undefined);
    assert.equal(usages.length, 2, "one onUsage per billed batch (96 + 54)");
    assert.equal(usages.reduce((sum, usage) => sum + usage.inputTokens, 0), billed);
    const tokens = await otel.metric("gen_ai.client.token.usage");
    const input = tokens.find((point) => point.attributes["gen_ai.operation.name"] === "embeddings");
    assert.equal(input?.value.sum, billed);
  });

  it("rerank: a 'rerank {model}' span", async () => {
    otel.reset();
    const provider = fixture.provider("cohere.rerank-v3-5:0");
    const ranked = await provider.rerank("Paris", ["The Eiffel Tower is in Paris.", "Penguins live in the south."]);
    assert.equal(ranked.length, 2);
    const span = onlySpan(otel.spans(), "rerank cohere.rerank-v3-5:0");
    assert.equal(span.attributes["gen_ai.operation.name"], "rerank");
  });
});
