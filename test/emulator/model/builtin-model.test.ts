import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createPlanner, GREETING, textTokens } from "../../../src/emulator/model/index.js";
import { anthropicBody, asAnswer, converseBody, planOnce, request, textOf, CLAUDE, NOVA } from "./helpers.js";

describe("built-in model", () => {
  it("answers a simple Anthropic request with a greeting that repeats the user's text", async () => {
    const plan = asAnswer(await planOnce("InvokeModel", anthropicBody({}, "What is 2+2?")));
    assert.equal(textOf(plan), `${GREETING} You said: What is 2+2?`);
    assert.equal(plan.stopReason, "end_turn");
    assert.equal(plan.stopSequence, null);
    assert.deepEqual(plan.timing, { firstByteLatencyMs: 0, chunkDelayMs: 0, chunksPerAnswer: 8 });
  });

  it("gives the same answer to the same request, from different planners", async () => {
    const body = anthropicBody({}, "Same question");
    const first = await createPlanner()(request("InvokeModel", body));
    const second = await createPlanner()(request("InvokeModel", body));
    assert.deepEqual(first, second);
  });

  it("answers Converse for every known family", async () => {
    for (const model of [CLAUDE, NOVA, "meta.llama3-8b-instruct-v1:0", "mistral.mistral-large-2402-v1:0", "openai.gpt-oss-20b-1:0", "deepseek.r1-v1:0"]) {
      const plan = asAnswer(await planOnce("Converse", converseBody({}, "hello"), model));
      assert.equal(textOf(plan), `${GREETING} You said: hello`, model);
    }
  });

  it("counts tokens as ceil(characters / 4), input over system + messages, output over the answer", async () => {
    const body = anthropicBody({ system: "Be brief." }, "12345678");
    const plan = asAnswer(await planOnce("InvokeModel", body));
    assert.equal(plan.usage.inputTokens, textTokens("Be brief.") + textTokens("12345678"));
    assert.equal(plan.usage.outputTokens, textTokens(textOf(plan)));
    assert.equal(plan.usage.cacheReadInputTokens, 0);
    assert.equal(plan.usage.cacheWriteInputTokens, 0);
  });

  it("counts the same tokens for the same conversation in both body formats", async () => {
    const anthropic = asAnswer(await planOnce("InvokeModel", anthropicBody({ system: "sys" }, "hello world")));
    const converse = asAnswer(await planOnce("Converse", converseBody({ system: [{ text: "sys" }] }, "hello world")));
    assert.deepEqual(anthropic.usage, converse.usage);
    assert.equal(textOf(anthropic), textOf(converse));
  });

  it("truncates at max_tokens and reports stop_reason max_tokens", async () => {
    const plan = asAnswer(await planOnce("InvokeModel", anthropicBody({ max_tokens: 5 })));
    assert.equal(textOf(plan), GREETING.slice(0, 20));
    assert.equal(plan.stopReason, "max_tokens");
    assert.equal(plan.usage.outputTokens, 5);
  });

  it("honours Converse maxTokens the same way", async () => {
    const plan = asAnswer(await planOnce("Converse", converseBody({ inferenceConfig: { maxTokens: 3 } })));
    assert.equal(textOf(plan), GREETING.slice(0, 12));
    assert.equal(plan.stopReason, "max_tokens");
  });

  it("cuts before the first stop sequence and reports it", async () => {
    const plan = asAnswer(await planOnce("InvokeModel", anthropicBody({ stop_sequences: ["STOP", "said"] }, "go on STOP now")));
    assert.equal(textOf(plan), `${GREETING} You `);
    assert.equal(plan.stopReason, "stop_sequence");
    assert.equal(plan.stopSequence, "said");
    assert.equal(plan.usage.outputTokens, textTokens(`${GREETING} You `));
  });

  it("reports Converse stopSequences", async () => {
    const plan = asAnswer(await planOnce("Converse", converseBody({ inferenceConfig: { stopSequences: ["STOP"] } }, "one STOP two")));
    assert.equal(textOf(plan), `${GREETING} You said: one `);
    assert.equal(plan.stopReason, "stop_sequence");
    assert.equal(plan.stopSequence, "STOP");
  });

  it("prefers max_tokens when the budget runs out before the stop sequence", async () => {
    const plan = asAnswer(await planOnce("InvokeModel", anthropicBody({ max_tokens: 2, stop_sequences: ["said"] })));
    assert.equal(plan.stopReason, "max_tokens");
    assert.equal(textOf(plan), "Hello! I");
  });

  it("mentions images and documents and counts them at fixed rates", async () => {
    const png = Buffer.from("fake png").toString("base64");
    const pdf = Buffer.from("%PDF-1.4 /Type /Pages /Type /Page /Type /Page").toString("base64");
    const body = anthropicBody({
      messages: [
        {
          role: "user",
          content: [
            { type: "image", source: { type: "base64", media_type: "image/png", data: png } },
            { type: "document", source: { type: "base64", media_type: "application/pdf", data: pdf } },
            { type: "text", text: "look" },
          ],
        },
      ],
    });
    const plan = asAnswer(await planOnce("InvokeModel", body));
    assert.match(textOf(plan), /I see 1 image and 1 document \(2 pages\)\./);
    assert.equal(plan.usage.inputTokens, 100 + 2 * 300 + textTokens("look"));
  });

  it("mentions Converse images and documents", async () => {
    const body = {
      messages: [
        {
          role: "user",
          content: [
            { image: { format: "jpeg", source: { bytes: Buffer.from("a").toString("base64") } } },
            { image: { format: "webp", source: { bytes: Buffer.from("b").toString("base64") } } },
            { document: { format: "txt", name: "notes", source: { bytes: Buffer.from("abcdefgh").toString("base64") } } },
            { text: "what is this" },
          ],
        },
      ],
    };
    const plan = asAnswer(await planOnce("Converse", body, NOVA));
    assert.match(textOf(plan), /I see 2 images and 1 document \(1 page\)\./);
    assert.equal(plan.usage.inputTokens, 200 + textTokens("abcdefgh") + textTokens("what is this"));
  });

  it("returns no content when the answer starts with a stop sequence", async () => {
    const plan = asAnswer(await planOnce("InvokeModel", anthropicBody({ stop_sequences: ["Hello"] })));
    assert.deepEqual(plan.blocks, []);
    assert.equal(plan.stopReason, "stop_sequence");
    assert.equal(plan.stopSequence, "Hello");
    assert.equal(plan.usage.outputTokens, 0);
  });
});
