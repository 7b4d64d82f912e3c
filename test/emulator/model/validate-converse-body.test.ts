import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { signThinking } from "../../../src/emulator/model/index.js";
import { asAnswer, asError, converseBody, planOnce, CLAUDE, NOVA } from "./helpers.js";

const user = (...content: unknown[]) => ({ role: "user", content });
const assistant = (...content: unknown[]) => ({ role: "assistant", content });
const toolConfig = { tools: [{ toolSpec: { name: "get_weather", description: "Weather", inputSchema: { json: { type: "object" } } } }] };
const BYTES = Buffer.from("bytes").toString("base64");

async function rejects(body: unknown, expected: string | RegExp, model = CLAUDE): Promise<void> {
  const plan = asError(await planOnce("Converse", body, model));
  assert.equal(plan.name, "ValidationException");
  assert.equal(plan.status, 400);
  if (typeof expected === "string") assert.equal(plan.message, expected);
  else assert.match(plan.message, expected);
}

const toolLoop = [
  user({ text: "weather?" }),
  assistant({ toolUse: { toolUseId: "tu1", name: "get_weather", input: { city: "Paris" } } }),
  user({ toolResult: { toolUseId: "tu1", content: [{ json: { temp: 21 } }] } }),
];

describe("Converse body validation", () => {
  it("requires messages that start with the user and alternate", async () => {
    await rejects({}, "1 validation error detected: Value null at 'messages' failed to satisfy constraint: Member must not be null");
    await rejects({ messages: [] }, "A conversation must start with a user message. Try again with a conversation that starts with a user message.");
    await rejects({ messages: [assistant({ text: "hi" })] }, "A conversation must start with a user message. Try again with a conversation that starts with a user message.");
    await rejects(
      { messages: [user({ text: "a" }), user({ text: "b" })] },
      "A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.",
    );
  });

  it("rejects bad roles with the constraint wording", async () => {
    await rejects(
      { messages: [user({ text: "a" }), { role: "system", content: [{ text: "b" }] }] },
      "1 validation error detected: Value 'system' at 'messages.1.member.role' failed to satisfy constraint: Member must satisfy enum value set: [user, assistant]",
    );
  });

  it("rejects empty content, blank text and blocks without exactly one key", async () => {
    await rejects({ messages: [{ role: "user", content: [] }] }, "The content field in the Message object at messages.0 is empty. Add a ContentBlock object to the content field and try again.");
    await rejects(converseBody({}, " "), "The text field in the ContentBlock object at messages.0.content.0 is blank. Add text to the text field, and try again.");
    await rejects({ messages: [user({ text: "a", image: { format: "png", source: { bytes: BYTES } } })] }, /^ContentBlock object at messages\.0\.content\.0 must set one of the following keys: text, image, .*\. Found: text, image\.$/);
    await rejects({ messages: [user({})] }, /Found: none\.$/);
  });

  it("checks inferenceConfig ranges", async () => {
    await rejects(converseBody({ inferenceConfig: { temperature: 1.5 } }), "1 validation error detected: Value '1.5' at 'inferenceConfig.temperature' failed to satisfy constraint: Member must have value less than or equal to 1");
    await rejects(converseBody({ inferenceConfig: { topP: -1 } }), /'inferenceConfig\.topP' failed to satisfy constraint: Member must have value greater than or equal to 0/);
    await rejects(converseBody({ inferenceConfig: { maxTokens: 0 } }), /'inferenceConfig\.maxTokens' failed to satisfy constraint: Member must have value greater than or equal to 1/);
    await rejects(converseBody({ inferenceConfig: { stopSequences: [""] } }), /'inferenceConfig\.stopSequences'/);
  });

  it("requires toolConfig when the history holds toolUse / toolResult blocks", async () => {
    await rejects({ messages: toolLoop }, "The toolConfig field must be defined when using toolUse and toolResult content blocks.");
    asAnswer(await planOnce("Converse", { messages: toolLoop, toolConfig }));
  });

  it("checks toolResult blocks against the previous toolUse blocks", async () => {
    const extra = [...toolLoop.slice(0, 2), user({ toolResult: { toolUseId: "tu1", content: [{ text: "a" }] } }, { toolResult: { toolUseId: "tu2", content: [{ text: "b" }] } })];
    await rejects({ messages: extra, toolConfig }, "The number of toolResult blocks at messages.2.content exceeds the number of toolUse blocks of previous turn.");
    const missing = [...toolLoop.slice(0, 2), user({ text: "forget it" })];
    await rejects({ messages: missing, toolConfig }, "Expected toolResult blocks at messages.2.content for the following Ids: tu1");
    const wrong = [...toolLoop.slice(0, 2), user({ toolResult: { toolUseId: "other", content: [{ text: "a" }] } })];
    await rejects({ messages: wrong, toolConfig }, /^The model returned the following errors: messages\.2\.content\.0: unexpected `tool_use_id` found in `tool_result` blocks: other\./);
    const emptyError = [...toolLoop.slice(0, 2), user({ toolResult: { toolUseId: "tu1", content: [], status: "error" } })];
    await rejects({ messages: emptyError, toolConfig }, "The content field at messages.2.content.0.toolResult cannot be empty when status value is error.");
  });

  it("checks toolConfig shape and toolChoice", async () => {
    await rejects(converseBody({ toolConfig: { tools: [] } }), /Value '\[\]' at 'toolConfig\.tools' failed to satisfy constraint: Member must have length greater than or equal to 1/);
    await rejects(converseBody({ toolConfig: { tools: [{ toolSpec: { name: "bad name!", inputSchema: { json: {} } } }] } }), /'toolConfig\.tools\.0\.member\.toolSpec\.name'/);
    await rejects(converseBody({ toolConfig: { tools: [{ toolSpec: { name: "x" } }] } }), /'toolConfig\.tools\.0\.member\.toolSpec\.inputSchema\.json' failed to satisfy constraint: Member must not be null/);
    await rejects(converseBody({ toolConfig: { ...toolConfig, toolChoice: { auto: {}, any: {} } } }), "ToolChoice object at toolConfig.toolChoice must set one of the following keys: auto, any, tool.");
    await rejects(converseBody({ toolConfig: { ...toolConfig, toolChoice: { tool: { name: "nope" } } } }), /The tool nope in toolConfig\.toolChoice is not one of the tools/);
    await rejects(
      converseBody({ toolConfig: { ...toolConfig, toolChoice: { any: {} } } }),
      "This model doesn't support the toolConfig.toolChoice.any field. Remove toolConfig.toolChoice.any and try again.",
      "meta.llama3-70b-instruct-v1:0",
    );
    asAnswer(await planOnce("Converse", converseBody({ toolConfig: { ...toolConfig, toolChoice: { any: {} } } }), NOVA));
  });

  it("accepts png, jpeg, gif and webp images only", async () => {
    const image = (format: string) => converseBody({ messages: [user({ image: { format, source: { bytes: BYTES } } }, { text: "see" })] });
    for (const format of ["png", "jpeg", "gif", "webp"]) asAnswer(await planOnce("Converse", image(format)));
    await rejects(
      image("bmp"),
      "1 validation error detected: Value 'bmp' at 'messages.0.member.content.0.member.image.format' failed to satisfy constraint: Member must satisfy enum value set: [png, jpeg, gif, webp]",
    );
  });

  it("checks document blocks", async () => {
    const doc = (document: unknown) => ({ messages: [user({ document }, { text: "read" })] });
    asAnswer(await planOnce("Converse", doc({ format: "pdf", name: "Report (1)", source: { bytes: BYTES } })));
    await rejects(doc({ format: "exe", name: "x", source: { bytes: BYTES } }), /'messages\.0\.member\.content\.0\.member\.document\.format' failed to satisfy constraint: Member must satisfy enum value set: \[pdf, csv/);
    await rejects(doc({ format: "pdf", source: { bytes: BYTES } }), /'messages\.0\.member\.content\.0\.member\.document\.name' failed to satisfy constraint: Member must not be null/);
    await rejects(doc({ format: "pdf", name: "report.pdf", source: { bytes: BYTES } }), /^The document file name can only contain alphanumeric characters/);
    await rejects(doc({ format: "pdf", name: "r", source: {} }), "DocumentSource object at messages.0.content.0.document.source must set one of the following keys: bytes, s3Location.");
  });

  it("applies Bedrock's document rules: a text block alongside, unique names, at most 5", async () => {
    const pdf = (name: string) => ({ document: { format: "pdf", name, source: { bytes: BYTES } } });
    await rejects({ messages: [user(pdf("a"))] }, "A text block must be included when using documents.");
    await rejects({ messages: [user(pdf("a"), pdf("a"), { text: "read" })] }, "Messages can't contain duplicate document names.");
    const six = ["a", "b", "c", "d", "e", "f"].map(pdf);
    await rejects({ messages: [user(...six, { text: "read" })] }, "You can't include more than 5 documents in a request.");
  });

  it("accepts video only for models that take it", async () => {
    const body = { messages: [user({ video: { format: "mp4", source: { bytes: BYTES } } }, { text: "watch" })] };
    asAnswer(await planOnce("Converse", body, NOVA));
    await rejects(body, /^This model doesn't support the video content block/);
  });

  it("checks cachePoint blocks", async () => {
    await rejects(
      { messages: [user({ text: "a" }, { cachePoint: { type: "forever" } })] },
      "1 validation error detected: Value 'forever' at 'messages.0.member.content.1.member.cachePoint.type' failed to satisfy constraint: Member must satisfy enum value set: [default]",
    );
    asAnswer(await planOnce("Converse", { messages: [user({ text: "a" }, { cachePoint: { type: "default" } })], system: [{ text: "s" }, { cachePoint: { type: "default" } }] }));
  });

  it("checks system blocks", async () => {
    await rejects(converseBody({ system: [{ text: "" }] }), "The text field in the SystemContentBlock object at system.0 is blank. Add text to the text field, and try again.");
  });

  it("checks guardrailConfig", async () => {
    await rejects(converseBody({ guardrailConfig: { guardrailVersion: "1" } }), /'guardrailConfig\.guardrailIdentifier' failed to satisfy constraint: Member must not be null/);
    await rejects(converseBody({ guardrailConfig: { guardrailIdentifier: "g1", guardrailVersion: "v1" } }), /'guardrailConfig\.guardrailVersion'/);
    for (const identifier of ["gr-1", "GR1", "g\nx", "arn:aws:bedrock:us-east-1:1:guardrail/g1"]) {
      await rejects(converseBody({ guardrailConfig: { guardrailIdentifier: identifier, guardrailVersion: "1" } }), /'guardrailConfig\.guardrailIdentifier' failed to satisfy constraint: Member must satisfy regular expression pattern/);
    }
    asAnswer(await planOnce("Converse", converseBody({ guardrailConfig: { guardrailIdentifier: "arn:aws:bedrock:us-east-1:123456789012:guardrail/g1", guardrailVersion: "1" } })));
    await rejects(converseBody({ guardrailConfig: { guardrailIdentifier: "g1", guardrailVersion: "1", trace: "on" } }), /'guardrailConfig\.trace'/);
    asAnswer(await planOnce("Converse", converseBody({ guardrailConfig: { guardrailIdentifier: "g1", guardrailVersion: "DRAFT", trace: "enabled" } })));
  });

  it("checks Claude thinking in additionalModelRequestFields and prefixes the model's wording", async () => {
    const thinking = (budget: number, extra: Record<string, unknown> = {}) =>
      converseBody({ additionalModelRequestFields: { thinking: { type: "enabled", budget_tokens: budget } }, inferenceConfig: { maxTokens: 4000 }, ...extra });
    await rejects(thinking(100), "The model returned the following errors: thinking.enabled.budget_tokens: Input should be greater than or equal to 1024");
    await rejects(thinking(5000), /^The model returned the following errors: `max_tokens` must be greater than `thinking.budget_tokens`/);
    await rejects(thinking(1024, { inferenceConfig: { maxTokens: 4000, temperature: 0.2 } }), /^The model returned the following errors: `temperature` may only be set to 1/);
  });

  it("with thinking on, requires the assistant turn of a tool loop to start with its reasoning", async () => {
    const fields = { additionalModelRequestFields: { thinking: { type: "enabled", budget_tokens: 1024 } }, toolConfig };
    await rejects({ messages: toolLoop, ...fields }, /^The model returned the following errors: messages\.1\.content\.0\.type: Expected `thinking` or `redacted_thinking`, but found `tool_use`/);
    const reasoning = { reasoningContent: { reasoningText: { text: "think", signature: signThinking("think") } } };
    const withReasoning = [toolLoop[0], assistant(reasoning, toolLoop[1]?.content[0]), toolLoop[2]];
    asAnswer(await planOnce("Converse", { messages: withReasoning, ...fields }));
    const forged = [toolLoop[0], assistant({ reasoningContent: { reasoningText: { text: "think", signature: "x" } } }, toolLoop[1]?.content[0]), toolLoop[2]];
    await rejects({ messages: forged, ...fields }, "The model returned the following errors: messages.1.content.0: Invalid `signature` in `thinking` block");
  });

  it("allows guardrail streamProcessingMode on ConverseStream only", async () => {
    const guardrailConfig = { guardrailIdentifier: "g1", guardrailVersion: "1", streamProcessingMode: "async" };
    asAnswer(await planOnce("ConverseStream", converseBody({ guardrailConfig })));
    await rejects(converseBody({ guardrailConfig }), "The guardrailConfig.streamProcessingMode field is only valid for ConverseStream.");
  });

  it("allows at most 4 cache points", async () => {
    const point = { cachePoint: { type: "default" } };
    const body = { system: [{ text: "s" }, point], messages: [user({ text: "a" }, point, { text: "b" }, point, { text: "c" }, point, { text: "d" }, point)] };
    await rejects(body, "The number of cachePoint blocks (5) exceeds the maximum of 4. Remove some cachePoint blocks and try again.");
  });

  it("uses 4096 output tokens when maxTokens is not given", async () => {
    const plan = asAnswer(await planOnce("Converse", converseBody({}, "x".repeat(20000))));
    assert.equal(plan.stopReason, "max_tokens");
    assert.equal(plan.usage.outputTokens, 4096);
  });

  it("rejects a Claude prefill that ends with whitespace, as the model reports it", async () => {
    const body = { messages: [user({ text: "hi" }), assistant({ text: "Well " })] };
    await rejects(body, "The model returned the following errors: messages: final assistant content cannot end with trailing whitespace");
    asAnswer(await planOnce("Converse", body, NOVA));
  });

  it("rejects temperature with topP on newer Claude models, as the model reports it", async () => {
    const body = converseBody({ inferenceConfig: { temperature: 0.5, topP: 0.9 } });
    await rejects(body, "The model returned the following errors: `temperature` and `top_p` cannot both be specified for this model. Please use only one.", "us.anthropic.claude-sonnet-4-5-20250929-v1:0");
    asAnswer(await planOnce("Converse", body, CLAUDE));
    asAnswer(await planOnce("Converse", body, NOVA));
  });

  it("requires a toolUse input to be a JSON object", async () => {
    const messages = [toolLoop[0], assistant({ toolUse: { toolUseId: "tu1", name: "get_weather", input: '{"city":"Paris"}' } }), toolLoop[2]];
    await rejects({ messages, toolConfig }, "The format of the value at messages.1.content.0.toolUse.input is invalid. Provide a json object for the field and try again.");
  });

  it("checks reasoning signatures for Claude only", async () => {
    const messages = [user({ text: "q" }), assistant({ reasoningContent: { reasoningText: { text: "hmm" } } }, { text: "a" }), user({ text: "more" })];
    await rejects({ messages }, "The model returned the following errors: messages.1.content.0.thinking.signature: Field required");
    asAnswer(await planOnce("Converse", { messages }, "deepseek.r1-v1:0"));
  });

  it("passes additionalModelRequestFields to Claude's body check: unknown keys are extraneous", async () => {
    await rejects(
      converseBody({ additionalModelRequestFields: { reasoning_effort: "high", top_k: 5 } }),
      "The model returned the following errors: Malformed input request: #: extraneous key [reasoning_effort] is not permitted, please reformat your input and try again.",
    );
    asAnswer(await planOnce("Converse", converseBody({ additionalModelRequestFields: { top_k: 5, anthropic_beta: ["x"] } })));
    asAnswer(await planOnce("Converse", converseBody({ additionalModelRequestFields: { reasoning_effort: "high" } }), "openai.gpt-oss-20b-1:0"));
  });
});
