/**
 * The request knobs end to end against the emulator, on both APIs: the bytes it received, what the
 * ChatCompletion reports, what the cost is, and the typed errors for bad values.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Emulator } from "../../../../src/emulator/index.js";
import { LLMConfig } from "../../../../src/config/llm-config.js";
import { ConfigError, InvalidRequestError } from "../../../../src/schema/errors.js";
import type { MessageInput } from "../../../../src/schema/message.js";
import type { LLMConfigInput } from "../../../../src/config/llm-config.js";
import { collect, emulatorWith, MODEL, providerFor } from "../emulator-fixture.js";

const PROMPT: MessageInput[] = [{ role: "user", content: "Name three rivers." }];
const OPUS_4_5 = "us.anthropic.claude-opus-4-5-20251101-v1:0";
const OPUS_4_6 = "global.anthropic.claude-opus-4-6-v1";
const APIS = [{ api: "invoke" }, { api: "converse" }] as const;

let emulator: Emulator;
before(async () => {
  emulator = await emulatorWith();
});
after(() => emulator.close());

const last = () => emulator.requests.at(-1)!;
const lastBody = () => last().body as Record<string, any>;

async function costOf(config: LLMConfigInput, options: Record<string, unknown> = {}) {
  const provider = providerFor(emulator, config);
  try {
    const completion = await provider.generateStreamResponse(PROMPT, options);
    return { completion, cost: provider.getCost() };
  } finally {
    await provider.close();
  }
}

for (const { api } of APIS) {
  describe(`request knobs over ${api === "invoke" ? "InvokeModel" : "Converse"}`, () => {
    it("serviceTier goes on the wire, comes back on the completion, and the reported tier is priced (priority 1.75x, flex 0.5x, reserved 0)", async () => {
      const standard = await costOf({ api });
      assert.equal(standard.completion.service_tier, undefined);
      for (const [tier, factor] of [["priority", 1.75], ["flex", 0.5], ["reserved", 0], ["default", 1]] as const) {
        const { completion, cost } = await costOf({ api }, { serviceTier: tier });
        if (api === "invoke") assert.equal(last().headers["x-amzn-bedrock-service-tier"], tier);
        else assert.deepEqual(lastBody()["serviceTier"], { type: tier });
        assert.equal(completion.service_tier, tier);
        assert.equal(cost.totalTokens, standard.cost.totalTokens, "tokens are counted in every tier");
        assert.ok(standard.cost.totalCost > 0);
        assert.ok(Math.abs(cost.totalCost - standard.cost.totalCost * factor) < 1e-12, `${tier}: ${cost.totalCost} vs ${standard.cost.totalCost} x ${factor}`);
      }
    });

    it("service_tier, performance_config, request_metadata and effort from YAML keys are sent with every call", async () => {
      const provider = providerFor(emulator, {
        api,
        model: OPUS_4_5,
        service_tier: "flex",
        performance_config: { latency: "optimized" },
        request_metadata: { team: "search", "cost-center": "42" },
        effort: "low",
      });
      try {
        await provider.generate(PROMPT);
      } finally {
        await provider.close();
      }
      if (api === "invoke") {
        const headers = last().headers;
        assert.equal(headers["x-amzn-bedrock-service-tier"], "flex");
        assert.equal(headers["x-amzn-bedrock-performanceconfig-latency"], "optimized");
        assert.deepEqual(JSON.parse(headers["x-amzn-bedrock-request-metadata"]!), { team: "search", "cost-center": "42" });
        assert.deepEqual(lastBody()["output_config"], { effort: "low" });
        assert.deepEqual(lastBody()["anthropic_beta"], ["effort-2025-11-24"], "Opus 4.5 reads effort only with its beta flag");
      } else {
        const body = lastBody();
        assert.deepEqual(body["serviceTier"], { type: "flex" });
        assert.deepEqual(body["performanceConfig"], { latency: "optimized" });
        assert.deepEqual(body["requestMetadata"], { team: "search", "cost-center": "42" });
        assert.deepEqual(body["outputConfig"], { effort: "low" });
      }
    });

    it("a call's knobs win over the config's", async () => {
      await costOf({ api, model: OPUS_4_6, service_tier: "flex", effort: "low" }, { serviceTier: "priority", effort: "max" });
      if (api === "invoke") {
        assert.equal(last().headers["x-amzn-bedrock-service-tier"], "priority");
        assert.deepEqual(lastBody()["output_config"], { effort: "max" });
        assert.equal(lastBody()["anthropic_beta"], undefined, "Opus 4.6 takes effort without a beta flag");
      } else {
        assert.deepEqual(lastBody()["serviceTier"], { type: "priority" });
        assert.deepEqual(lastBody()["outputConfig"], { effort: "max" });
      }
    });

    it("bad values are typed errors that say how to fix them, raised before anything is sent", async () => {
      const provider = providerFor(emulator, { api });
      const sent = emulator.requests.length;
      try {
        const cases: [Record<string, unknown>, RegExp][] = [
          [{ serviceTier: "fast" }, /serviceTier must be one of "priority", "default", "flex", "reserved"; got "fast"/],
          [{ performanceConfig: { latency: "fastest" } }, /performanceConfig\.latency must be one of "standard", "optimized"/],
          [{ performanceConfig: "optimized" }, /performanceConfig must be an object such as \{ latency: "optimized" \}/],
          [{ requestMetadata: {} }, /requestMetadata must have 1 to 16 entries/],
          [{ requestMetadata: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, "v"])) }, /1 to 16 entries \(Bedrock's limit\); it has 17/],
          [{ requestMetadata: { "team!": "x" } }, /requestMetadata key "team!" is not accepted by Bedrock/],
          [{ requestMetadata: { team: "secret\u0000value" } }, /requestMetadata\["team"\] must be a string of at most 256/],
          [{ requestMetadata: { team: "x".repeat(257) } }, /at most 256/],
          [{ effort: "extreme" }, /effort must be one of "low", "medium", "high", "xhigh", "max"/],
          [{ cacheTtl: "2h" }, /cacheTtl must be one of "5m", "1h"/],
          [{ citations: "yes" }, /citations must be true or false/],
          [{ service_tier: "flex" }, /Unknown option "service_tier"\. Did you mean "serviceTier"\?/],
        ];
        for (const [options, message] of cases) {
          await assert.rejects(provider.generate(PROMPT, options as never), (error: unknown) => error instanceof InvalidRequestError && message.test(error.message));
        }
        await assert.rejects(provider.generate(PROMPT, { requestMetadata: { team: "hunter2-value!" } } as never), (error: Error) => !error.message.includes("hunter2"));
      } finally {
        await provider.close();
      }
      assert.equal(emulator.requests.length, sent, "nothing reached the emulator");
    });

    it("a 1-hour cache TTL is sent on every cache point, reported back split by TTL, and priced at 2x input", async () => {
      const system = `You are a careful assistant (${api}). ${"Facts about rivers. ".repeat(40)}`;
      const messages: MessageInput[] = [{ role: "system", content: system }, { role: "user", content: `Which river is longest? ${api}` }];
      const provider = providerFor(emulator, { api, cache_ttl: "1h" });
      try {
        const first = await provider.generateStreamResponse(messages, { cache: { system: true } });
        if (api === "invoke") assert.deepEqual(lastBody()["system"].at(-1).cache_control, { type: "ephemeral", ttl: "1h" });
        else assert.deepEqual(lastBody()["system"].at(-1), { cachePoint: { type: "default", ttl: "1h" } });
        const usage = first.usage;
        assert.ok((usage.cache_write_input_tokens ?? 0) > 0);
        assert.deepEqual(usage.cache_creation, { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: usage.cache_write_input_tokens });
        const uncached = usage.prompt_tokens - usage.cache_write_input_tokens!;
        // claude-3-5-haiku: input $0.8, output $4 per million; a 1h write costs 2 x 0.8.
        const expected = (uncached * 0.8 + usage.cache_write_input_tokens! * 1.6 + usage.completion_tokens * 4) / 1e6;
        assert.ok(Math.abs(provider.getCost().totalCost - expected) < 1e-12, `${provider.getCost().totalCost} vs ${expected}`);

        const second = await provider.generateStreamResponse(messages, { cache: { system: true } });
        assert.equal(second.usage.cache_read_input_tokens, usage.cache_write_input_tokens);
        assert.equal(second.usage.cache_creation, undefined);
      } finally {
        await provider.close();
      }
    });

    it("a part's own 5m TTL stays 5m beside a 1h default, and the split is reported per TTL", async () => {
      const big = `${api}: ${"Background about mountains and valleys. ".repeat(30)}`;
      const messages: MessageInput[] = [
        { role: "system", content: [{ type: "text", text: big, cacheControl: { type: "ephemeral", ttl: "1h" } }] },
        { role: "user", content: [{ type: "text", text: `${big} ${api} 5m`, cacheControl: { type: "ephemeral", ttl: "5m" } }, { type: "text", text: "Summarize." }] },
      ];
      const provider = providerFor(emulator, { api });
      try {
        const completion = await provider.generateStreamResponse(messages);
        const split = completion.usage.cache_creation!;
        assert.ok(split.ephemeral_1h_input_tokens > 0 && split.ephemeral_5m_input_tokens > 0, JSON.stringify(split));
        assert.equal(split.ephemeral_1h_input_tokens + split.ephemeral_5m_input_tokens, completion.usage.cache_write_input_tokens);
      } finally {
        await provider.close();
      }
    });

    it("citations: a document part with citations on is sent so, and the answer's citations come back on the message and as stream events", async () => {
      const doc = "The Nile is about 6,650 km long. The Amazon carries the most water.";
      const messages: MessageInput[] = [
        {
          role: "user",
          content: [
            { type: "document", data: Buffer.from(doc).toString("base64"), mediaType: "text/plain", name: "Rivers", citations: true },
            { type: "text", text: `How long is the Nile? (${api})` },
          ],
        },
      ];
      const provider = providerFor(emulator, { api });
      try {
        const events = await collect(provider.streamEvents(messages));
        const sentDocument = api === "invoke" ? lastBody()["messages"][0].content[0] : lastBody()["messages"][0].content[0].document;
        assert.deepEqual(sentDocument.citations, { enabled: true });
        const streamed = events.flatMap((event) => (event.type === "citation" ? [event.citation] : []));
        const finish = events.at(-1)!;
        assert.equal(finish.type, "finish");
        const message = finish.type === "finish" ? finish.completion.choices[0]!.message : undefined;
        assert.deepEqual(message?.citations, streamed);
        assert.equal(streamed.length, 1);
        const [citation] = streamed;
        assert.equal(citation!.documentIndex, 0);
        assert.equal(citation!.documentTitle, "Rivers");
        assert.equal(citation!.citedText, "The Nile is about 6,650 km long.");
        assert.deepEqual(citation!.location, { type: "char", start: 0, end: "The Nile is about 6,650 km long.".length });
        assert.match(message!.content!.slice(citation!.answerStart, citation!.answerEnd), /The Nile is about 6,650 km long\./);

        const plain = await provider.generateStreamResponse([{ role: "user", content: "How long is the Nile?" }], {});
        assert.equal(plain.choices[0]!.message.citations, undefined);

        const nonStreamed = await provider.completeUnrecorded(messages, { citations: true });
        assert.deepEqual(nonStreamed.completion.choices[0]!.message.citations, streamed);
      } finally {
        await provider.close();
      }
    });

    it("citations: true for the call turns citations on for every document that does not say otherwise", async () => {
      const pdfLike = { type: "document" as const, data: Buffer.from("Alpha. Beta.").toString("base64"), mediaType: "text/plain", name: "A" };
      const off = { ...pdfLike, name: "B", citations: false };
      const provider = providerFor(emulator, { api });
      try {
        await provider.generate([{ role: "user", content: [pdfLike, off, { type: "text", text: `Summarize ${api}` }] }], { citations: true });
      } finally {
        await provider.close();
      }
      const content = lastBody()["messages"][0].content;
      const docs = api === "invoke" ? [content[0], content[1]] : [content[0].document, content[1].document];
      assert.deepEqual(docs.map((d: any) => d.citations), [{ enabled: true }, { enabled: false }]);
    });
  });
}

describe("request knobs in the config", () => {
  it("invalid YAML values are ConfigErrors naming the key as written and what it must be", () => {
    const base = { api_type: "bedrock_async", model: MODEL };
    assert.throws(() => new LLMConfig({ ...base, service_tier: "fast" }), (e: Error) => e instanceof ConfigError && /service_tier must be "priority", "default", "flex" or "reserved" \(got "fast"\)/.test(e.message));
    assert.throws(() => new LLMConfig({ ...base, performance_config: { latency: "quick" } }), (e: Error) => e instanceof ConfigError && /performance_config must be a mapping with latency "standard" or "optimized"/.test(e.message));
    assert.throws(() => new LLMConfig({ ...base, request_metadata: {} }), (e: Error) => e instanceof ConfigError && /request_metadata must be a mapping of 1 to 16/.test(e.message));
    assert.throws(() => new LLMConfig({ ...base, effort: "huge" }), (e: Error) => e instanceof ConfigError && /effort must be "low", "medium", "high", "xhigh" or "max"/.test(e.message));
    assert.throws(() => new LLMConfig({ ...base, cache_ttl: "1d" }), (e: Error) => e instanceof ConfigError && /cache_ttl must be "5m" or "1h"/.test(e.message));
  });

  it("request metadata values are not printed with the config (Bedrock treats them as sensitive)", () => {
    const config = new LLMConfig({ api_type: "bedrock_async", model: MODEL, request_metadata: { customer: "acme-private" } });
    assert.equal(config.requestMetadata?.["customer"], "acme-private");
    assert.ok(!JSON.stringify(config).includes("acme-private"));
  });
});
