/**
 * The request knobs with the peer libraries that offer them, unmodified, against the emulator: the Vercel AI
 * SDK's `serviceTier` and 1-hour `cachePoint`, LangChain's `serviceTier`, `performanceConfig` and
 * `requestMetadata`. What the emulator received, and what the library reports back.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createAmazonBedrock } from "@ai-sdk/amazon-bedrock";
import { BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import { ChatBedrockConverse } from "@langchain/aws";
import { generateText } from "ai";
import { EXAMPLE_CREDENTIALS, startEmulator, type Emulator } from "../../src/emulator/index.js";
import { createPlanner } from "../../src/emulator/model/index.js";

const MODEL = "anthropic.claude-3-5-haiku-20241022-v1:0";

let emulator: Emulator;
before(async () => {
  emulator = await startEmulator({ planner: createPlanner() });
});
after(() => emulator.close());

const lastBody = () => emulator.requests.at(-1)!.body as Record<string, any>;

describe("Vercel AI SDK (@ai-sdk/amazon-bedrock) against the emulator", () => {
  const bedrock = () => createAmazonBedrock({ region: "us-east-1", ...EXAMPLE_CREDENTIALS, baseURL: emulator.url });

  it("sends providerOptions.bedrock.serviceTier and reads the tier the emulator reports", async () => {
    const result = await generateText({ model: bedrock()(MODEL), prompt: "Hello", providerOptions: { bedrock: { serviceTier: "flex" } } });
    assert.deepEqual(lastBody()["serviceTier"], { type: "flex" });
    assert.deepEqual((result.providerMetadata?.["bedrock"] as Record<string, unknown> | undefined)?.["serviceTier"], { type: "flex" });
  });

  it("sends a 1-hour cachePoint and reads the write split from usage.cacheDetails", async () => {
    const system = `AI SDK. ${"A long stable instruction. ".repeat(40)}`;
    const result = await generateText({
      model: bedrock()(MODEL),
      messages: [
        { role: "user", content: system, providerOptions: { bedrock: { cachePoint: { type: "default", ttl: "1h" } } } },
        { role: "assistant", content: "Noted." },
        { role: "user", content: "Hello" },
      ],
    });
    assert.deepEqual(lastBody()["messages"][0].content.at(-1), { cachePoint: { type: "default", ttl: "1h" } });
    const usage = (result.providerMetadata?.["bedrock"] as { usage?: { cacheDetails?: { ttl: string; inputTokens: number }[] } } | undefined)?.usage;
    assert.equal(usage?.cacheDetails?.[0]?.ttl, "1h");
    assert.ok((usage?.cacheDetails?.[0]?.inputTokens ?? 0) > 0);
  });
});

describe("LangChain (@langchain/aws ChatBedrockConverse) against the emulator", () => {
  it("sends serviceTier, performanceConfig and requestMetadata as Converse fields", async () => {
    const client = new BedrockRuntimeClient({ region: "us-east-1", endpoint: emulator.url, credentials: { ...EXAMPLE_CREDENTIALS }, maxAttempts: 1 });
    try {
      const model = new ChatBedrockConverse({ model: MODEL, region: "us-east-1", client, serviceTier: "priority" });
      // performanceConfig only as a call option: invocationParams() reads the call's, not the constructor's.
      const answer = await model.invoke([["human", "Hello"]], { requestMetadata: { team: "search" }, performanceConfig: { latency: "optimized" } } as never);
      assert.ok(typeof answer.content === "string" || Array.isArray(answer.content));
      const body = lastBody();
      assert.deepEqual(body["serviceTier"], { type: "priority" });
      assert.deepEqual(body["performanceConfig"], { latency: "optimized" });
      assert.deepEqual(body["requestMetadata"], { team: "search" });
    } finally {
      client.destroy();
    }
  });
});
