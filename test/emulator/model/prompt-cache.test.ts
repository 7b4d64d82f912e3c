import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createPlanner, textTokens } from "../../../src/emulator/model/index.js";
import { anthropicBody, asAnswer, converseBody, request } from "./helpers.js";

const SYSTEM = "You are a helpful assistant with a long and detailed system prompt.";

describe("prompt caching", () => {
  it("writes a cached prefix the first time and reads it on the next identical prefix (Anthropic cache_control)", async () => {
    const planner = createPlanner();
    const body = (question: string) =>
      anthropicBody({ system: [{ type: "text", text: SYSTEM, cache_control: { type: "ephemeral" } }] }, question);
    const first = asAnswer(await planner(request("InvokeModel", body("first question"))));
    assert.deepEqual(first.usage, {
      inputTokens: textTokens("first question"),
      outputTokens: first.usage.outputTokens,
      cacheReadInputTokens: 0,
      cacheWriteInputTokens: textTokens(SYSTEM),
      cacheWrite1hInputTokens: 0,
    });
    const second = asAnswer(await planner(request("InvokeModel", body("second question"))));
    assert.equal(second.usage.cacheReadInputTokens, textTokens(SYSTEM));
    assert.equal(second.usage.cacheWriteInputTokens, 0);
    assert.equal(second.usage.inputTokens, textTokens("second question"));
  });

  it("reads the longest cached prefix and writes only what follows it (Converse cachePoint)", async () => {
    const planner = createPlanner();
    const system = [{ text: SYSTEM }, { cachePoint: { type: "default" } }];
    const turn1 = { system, messages: [{ role: "user", content: [{ text: "question one" }, { cachePoint: { type: "default" } }] }] };
    const first = asAnswer(await planner(request("Converse", turn1)));
    assert.equal(first.usage.cacheWriteInputTokens, textTokens(SYSTEM) + textTokens("question one"));
    const turn2 = {
      system,
      messages: [
        { role: "user", content: [{ text: "question one" }] },
        { role: "assistant", content: [{ text: "answer one" }] },
        { role: "user", content: [{ text: "question two" }, { cachePoint: { type: "default" } }] },
      ],
    };
    const second = asAnswer(await planner(request("Converse", turn2)));
    assert.equal(second.usage.cacheReadInputTokens, textTokens(SYSTEM));
    assert.equal(second.usage.cacheWriteInputTokens, textTokens("question one") + textTokens("answer one") + textTokens("question two"));
    assert.equal(second.usage.inputTokens, 0);
  });

  it("caches tools with their cache point", async () => {
    const planner = createPlanner();
    const toolConfig = { tools: [{ toolSpec: { name: "t", inputSchema: { json: { type: "object" } } } }, { cachePoint: { type: "default" } }] };
    await planner(request("Converse", converseBody({ toolConfig })));
    const again = asAnswer(await planner(request("Converse", converseBody({ toolConfig }, "other"))));
    assert.equal(again.usage.cacheReadInputTokens, textTokens("t" + JSON.stringify({ type: "object" })));
  });

  it("keeps caches per model and per planner, and never counts without cache points", async () => {
    const planner = createPlanner();
    const body = anthropicBody({ system: [{ type: "text", text: SYSTEM, cache_control: { type: "ephemeral" } }] });
    await planner(request("InvokeModel", body, "anthropic.claude-3-haiku-20240307-v1:0"));
    const otherModel = asAnswer(await planner(request("InvokeModel", body, "anthropic.claude-3-5-sonnet-20240620-v1:0")));
    assert.equal(otherModel.usage.cacheReadInputTokens, 0);
    const fresh = asAnswer(await createPlanner()(request("InvokeModel", body, "anthropic.claude-3-haiku-20240307-v1:0")));
    assert.equal(fresh.usage.cacheReadInputTokens, 0);
    const plain = asAnswer(await planner(request("InvokeModel", anthropicBody({ system: SYSTEM }))));
    assert.equal(plain.usage.cacheWriteInputTokens + plain.usage.cacheReadInputTokens, 0);
  });

  it("shares the cache between a base id and its inference profile", async () => {
    const planner = createPlanner();
    const body = anthropicBody({ system: [{ type: "text", text: SYSTEM, cache_control: { type: "ephemeral" } }] });
    await planner(request("InvokeModel", body, "anthropic.claude-3-haiku-20240307-v1:0"));
    const viaProfile = asAnswer(await planner(request("InvokeModel", body, "us.anthropic.claude-3-haiku-20240307-v1:0")));
    assert.equal(viaProfile.usage.cacheReadInputTokens, textTokens(SYSTEM));
  });

  it("forgets the least recently used prefix beyond its capacity", async () => {
    const planner = createPlanner({ promptCacheCapacity: 1 });
    const body = (system: string) => anthropicBody({ system: [{ type: "text", text: system, cache_control: { type: "ephemeral" } }] });
    await planner(request("InvokeModel", body("prefix A")));
    await planner(request("InvokeModel", body("prefix B")));
    const again = asAnswer(await planner(request("InvokeModel", body("prefix A"))));
    assert.equal(again.usage.cacheReadInputTokens, 0);
    assert.equal(again.usage.cacheWriteInputTokens, textTokens("prefix A"));
  });

  it("tells different images apart in cached prefixes", async () => {
    const planner = createPlanner();
    const body = (data: string) => ({
      messages: [
        {
          role: "user",
          content: [{ image: { format: "png", source: { bytes: Buffer.from(data).toString("base64") } } }, { cachePoint: { type: "default" } }, { text: "describe" }],
        },
      ],
    });
    await planner(request("Converse", body("first image")));
    const other = asAnswer(await planner(request("Converse", body("second image"))));
    assert.equal(other.usage.cacheReadInputTokens, 0);
    assert.equal(other.usage.cacheWriteInputTokens, 100);
    const same = asAnswer(await planner(request("Converse", body("second image"))));
    assert.equal(same.usage.cacheReadInputTokens, 100);
  });
});
