import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { z } from "zod";
import type { Emulator } from "../../../src/emulator/index.js";
import type { BedrockAsyncProvider } from "../../../src/providers/bedrock/index.js";
import { BedrockServiceError, InvalidRequestError } from "../../../src/schema/errors.js";
import { StructuredOutputError } from "../../../src/schema/structured-output-error.js";
import { bodyOf, collect, emulatorWith, providerFor } from "../bedrock/emulator-fixture.js";

const CLAUDE_45 = "anthropic.claude-sonnet-4-5-20250929-v1:0";
const CLAUDE_35 = "anthropic.claude-3-5-haiku-20241022-v1:0";
const NOVA = "amazon.nova-pro-v1:0";
const QWEN = "qwen.qwen3-32b-v1:0";

const Person = z.object({
  name: z.string(),
  age: z.number().int().min(1),
  role: z.enum(["admin", "user"]),
  tags: z.array(z.string()),
  address: z.object({ city: z.string(), zip: z.string().optional() }),
});
const EXPECTED = { name: "example name", age: 1, role: "admin", tags: ["example tags"], address: { city: "example city", zip: "example zip" } };

const PERSON_JSON_SCHEMA = {
  type: "object",
  properties: { name: { type: "string" }, age: { type: "integer" } },
  required: ["name", "age"],
};

const BAD = '{"name":"Ann","age":"forty","role":"owner","tags":[],"address":{"city":"Oslo"}}';
const POISON = '{"name":"Eve","age":3,"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}';
const DEEP = `${"[".repeat(5000)}${"]".repeat(5000)}`;

const script = {
  rules: [
    { match: { anyText: "ALWAYS-BAD" }, respond: { text: BAD } },
    { match: { text: "GIVE-BAD" }, respond: { text: BAD } },
    { match: { text: "GIVE-PROSE" }, respond: { text: "Sure! Ann is forty." } },
    { match: { text: "GIVE-POISON" }, respond: { text: POISON } },
    { match: { text: "GIVE-DEEP" }, respond: { text: DEEP } },
    { match: { text: "GIVE-HUGE" }, respond: { text: `{"name":"${"x".repeat(8 * 1024 * 1024)}","age":1}` } },
    { match: { text: "TOOL-WRONG" }, respond: { toolCalls: [{ name: "json_output", input: { name: 7 } }] } },
  ],
};

const ask = (text = "Extract the person.") => [{ role: "user" as const, content: text }];

describe("generateObject and streamObject against the emulator", () => {
  let emulator: Emulator;
  const providers: BedrockAsyncProvider[] = [];
  const llm = (model: string, extra: Record<string, unknown> = {}): BedrockAsyncProvider => {
    const provider = providerFor(emulator, { model, ...extra });
    providers.push(provider);
    return provider;
  };

  before(async () => {
    emulator = await emulatorWith({ script });
  });
  after(async () => {
    await Promise.all(providers.map((provider) => provider.close()));
    await emulator.close();
  });

  it("Claude 4.5 over InvokeModel: output_config.format with the schema, the validated object back", async () => {
    const result = await llm(CLAUDE_45).generateObject(ask(), { schema: Person });
    const typed: { name: string; age: number; address: { city: string } } = result;
    assert.deepEqual(typed, EXPECTED);
    const body = bodyOf(emulator);
    assert.equal(emulator.requests.at(-1)!.operation, "InvokeModel");
    assert.equal(body.output_config.format.type, "json_schema");
    assert.equal(body.output_config.format.schema.additionalProperties, false);
    assert.equal(body.output_config.format.schema.properties.role.enum.join(), "admin,user");
    assert.equal(body.output_config.format.schema.properties.age.minimum, undefined, "limits go in the description, not the schema");
    assert.match(body.output_config.format.schema.properties.age.description, /minimum: 1/);
    assert.equal(body.tools, undefined);
  });

  it("Converse: outputConfig.textFormat with the schema as a JSON string, name and description", async () => {
    for (const [model, extra] of [[CLAUDE_45, { api: "converse" }], [QWEN, {}]] as const) {
      const result = await llm(model, extra).generateObject(ask(), { schema: Person, schemaName: "person", schemaDescription: "The person in the text" });
      assert.deepEqual(result, EXPECTED);
      const request = emulator.requests.at(-1)!;
      assert.equal(request.operation, "Converse");
      const format = (request.body as any).outputConfig.textFormat;
      assert.equal(format.type, "json_schema");
      assert.equal(format.structure.jsonSchema.name, "person");
      assert.equal(format.structure.jsonSchema.description, "The person in the text");
      assert.equal(typeof format.structure.jsonSchema.schema, "string");
      assert.deepEqual(Object.keys(JSON.parse(format.structure.jsonSchema.schema).properties), ["name", "age", "role", "tags", "address"]);
    }
  });

  it("other models: a forced call of one tool whose input schema is the schema", async () => {
    const nova = await llm(NOVA).generateObject(ask(), { schema: Person });
    assert.deepEqual(nova, EXPECTED);
    const converse = bodyOf(emulator);
    assert.deepEqual(converse.toolConfig.toolChoice, { tool: { name: "json_output" } });
    assert.equal(converse.toolConfig.tools[0].toolSpec.inputSchema.json.properties.age.minimum, 1);
    assert.equal(converse.outputConfig, undefined);

    const claude = await llm(CLAUDE_35).generateObject(ask(), { schema: PERSON_JSON_SCHEMA, schemaName: "person" });
    assert.deepEqual(claude, { name: "example name", age: 1 });
    const invoke = bodyOf(emulator);
    assert.deepEqual(invoke.tool_choice, { type: "tool", name: "person" });
    assert.equal(invoke.tools[0].strict, undefined, "Claude 3.5 has no strict tool use");
    assert.equal(invoke.output_config, undefined);
  });

  it("models without a forced tool choice (Llama): the tool offered with auto and an instruction to call it", async () => {
    const error = await llm("meta.llama3-1-70b-instruct-v1:0").generateObject(ask(), { schema: PERSON_JSON_SCHEMA }).catch((thrown: unknown) => thrown);
    const body = bodyOf(emulator);
    assert.deepEqual(body.toolConfig.toolChoice, { auto: {} }, "no forced choice is sent");
    assert.equal(body.toolConfig.tools[0].toolSpec.name, "json_output");
    assert.match(body.system[0].text, /Answer only by calling the tool json_output/);
    // The built-in model calls tools only when asked in the user's words: it answers in prose, which is refused.
    assert.ok(error instanceof StructuredOutputError);
    assert.match(error.text, /built-in model/);
  });

  it("mode: 'tool' on a model with structured outputs sends a strict tool", async () => {
    await llm(CLAUDE_45).generateObject(ask(), { schema: Person, mode: "tool" });
    const tool = bodyOf(emulator).tools[0];
    assert.equal(tool.strict, true);
    assert.equal(tool.input_schema.additionalProperties, false);
  });

  it("passes strict: true of a user's tool on both APIs", async () => {
    const tools = [{ type: "function" as const, function: { name: "lookup", parameters: { type: "object", properties: { q: { type: "string" } }, required: ["q"], additionalProperties: false }, strict: true } }];
    await llm(CLAUDE_45).generate(ask("call lookup"), { tools });
    assert.equal(bodyOf(emulator).tools[0].strict, true);
    await llm(NOVA).generate(ask("call lookup"), { tools });
    assert.equal(bodyOf(emulator).toolConfig.tools[0].toolSpec.strict, true);
    await assert.rejects(llm(NOVA).generate(ask(), { tools: [{ type: "function", function: { name: "x", strict: "yes" as never } }] }), InvalidRequestError);
  });

  it("streamObject yields growing partial objects, then the validated object once", async () => {
    for (const model of [CLAUDE_45, NOVA]) {
      const parts = await collect(llm(model).streamObject(ask(), { schema: Person }));
      const partials = parts.filter((part) => part.type === "partial");
      const finals = parts.filter((part) => part.type === "object");
      assert.equal(finals.length, 1);
      assert.equal(parts.at(-1)!.type, "object");
      assert.deepEqual(finals[0]!.object, EXPECTED);
      assert.ok(partials.length >= 2, `${model}: ${partials.length} partials`);
      const first = JSON.stringify(partials[0]!.object);
      assert.ok(first.length < JSON.stringify(EXPECTED).length, `the first partial is a prefix of the answer: ${first}`);
      assert.equal(typeof (partials[0]!.object as { name?: unknown }).name, "string");
    }
  });

  it("an answer that fails the schema raises StructuredOutputError with the raw text and every issue", async () => {
    const provider = llm(CLAUDE_45);
    const error = await provider.generateObject(ask("GIVE-BAD"), { schema: Person }).then(
      () => assert.fail("resolved"),
      (thrown: unknown) => thrown,
    );
    assert.ok(error instanceof StructuredOutputError);
    assert.equal(error.code, "structured_output_invalid");
    assert.equal(error.text, BAD);
    assert.equal(error.attempts, 1);
    assert.deepEqual(error.issues.map((issue) => issue.path).sort(), ["/age", "/role", "/tags"].filter((p) => p !== "/tags").sort());
    assert.match(error.message, /repair: true/);
    assert.ok(provider.getCost().totalTokens > 0, "the failed call's usage is recorded");

    const prose = await provider.generateObject(ask("GIVE-PROSE"), { schema: PERSON_JSON_SCHEMA }).catch((thrown: unknown) => thrown);
    assert.ok(prose instanceof StructuredOutputError);
    assert.equal(prose.text, "Sure! Ann is forty.");
    assert.match(prose.issues[0]!.message, /not valid JSON/);

    const viaStream = await collect(provider.streamObject(ask("GIVE-BAD"), { schema: Person })).catch((thrown: unknown) => thrown);
    assert.ok(viaStream instanceof StructuredOutputError);
    assert.equal(viaStream.text, BAD);

    const badTool = await llm(NOVA).generateObject(ask("TOOL-WRONG"), { schema: PERSON_JSON_SCHEMA }).catch((thrown: unknown) => thrown);
    assert.ok(badTool instanceof StructuredOutputError);
    assert.deepEqual(JSON.parse(badTool.text), { name: 7 });
    assert.deepEqual(badTool.issues.map((issue) => [issue.path, issue.message]), [["", "must have required property 'age'"], ["/name", "must be string"]]);
  });

  it("a successful generateObject / streamObject records usage and cost like the same request sent by generate", async () => {
    for (const [model, extra] of [[CLAUDE_45, {}], [CLAUDE_45, { api: "converse" }], [NOVA, {}]] as const) {
      const viaObject = llm(model, extra);
      await viaObject.generateObject(ask(), { schema: Person });
      const sent = bodyOf(emulator);
      const viaStream = llm(model, extra);
      await collect(viaStream.streamObject(ask(), { schema: Person }));
      // The same request body through the plain API: the emulator answers it with the same usage.
      const plain = llm(model, extra);
      const options = sent.output_config ? { responseFormat: { type: "json_schema" as const, schema: sent.output_config.format.schema } } : undefined;
      const completion = options ? await plain.generateStreamResponse(ask(), options) : undefined;
      const cost = viaObject.getCost();
      assert.ok(cost.totalCost > 0 && cost.totalTokens > 0, `${model}: cost recorded`);
      assert.deepEqual(viaStream.getCost(), cost, `${model}: streamObject records what generateObject does`);
      if (completion) {
        assert.equal(cost.totalPromptTokens, completion.usage.prompt_tokens, `${model}: the call's own prompt tokens`);
        assert.equal(cost.totalCompletionTokens, completion.usage.completion_tokens);
        assert.deepEqual(plain.getCost(), cost);
      }
    }
  });

  it("repair: true re-asks once with the issues, and records both calls' usage", async () => {
    const single = llm(CLAUDE_45);
    await single.generateObject(ask("GIVE-BAD"), { schema: Person }).catch(() => undefined);
    const repaired = llm(CLAUDE_45);
    const before = emulator.requests.length;
    const result = await repaired.generateObject(ask("GIVE-BAD"), { schema: Person, repair: true });
    assert.deepEqual(result, EXPECTED);
    assert.equal(emulator.requests.length - before, 2);
    const retry = bodyOf(emulator);
    const turns = retry.messages.map((message: any) => message.role);
    assert.deepEqual(turns, ["user", "assistant", "user"]);
    assert.equal(retry.messages[1].content[0].text, BAD);
    assert.match(retry.messages[2].content[0].text, /\/age: .*number/);
    assert.ok(retry.output_config.format.schema, "the repair call asks for the schema again");
    const one = single.getCost();
    const both = repaired.getCost();
    assert.ok(both.totalPromptTokens > one.totalPromptTokens, `${both.totalPromptTokens} > ${one.totalPromptTokens}`);
    assert.ok(both.totalCost > one.totalCost);
  });

  it("repair also turns prose into JSON; a repair that fails again raises with attempts: 2", async () => {
    // The repair turn's last user message no longer says GIVE-PROSE: the built-in model answers with conforming JSON.
    const fixed = await llm(CLAUDE_45).generateObject(ask("GIVE-PROSE"), { schema: PERSON_JSON_SCHEMA, repair: true });
    assert.deepEqual(fixed, { name: "example name", age: 1 });
    const before = emulator.requests.length;
    const error = await llm(CLAUDE_45).generateObject(ask("ALWAYS-BAD"), { schema: Person, repair: true }).catch((thrown: unknown) => thrown);
    assert.ok(error instanceof StructuredOutputError);
    assert.equal(error.attempts, 2);
    assert.equal(error.text, BAD);
    assert.doesNotMatch(error.message, /repair: true/);
    assert.equal(emulator.requests.length - before, 2, "exactly one repair attempt");
    const streamed = await collect(llm(CLAUDE_45).streamObject(ask("GIVE-BAD"), { schema: Person, repair: true }));
    assert.deepEqual(streamed.at(-1), { type: "object", object: EXPECTED });
  });

  it("model output cannot pollute prototypes (generate and stream)", async () => {
    const result = (await llm(CLAUDE_45).generateObject(ask("GIVE-POISON"), { schema: PERSON_JSON_SCHEMA })) as Record<string, unknown>;
    assert.deepEqual({ ...result }, { name: "Eve", age: 3 });
    assert.equal(Object.getPrototypeOf(result), Object.prototype);
    assert.equal(Object.prototype.hasOwnProperty.call(result, "__proto__"), false);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    const parts = await collect(llm(CLAUDE_45).streamObject(ask("GIVE-POISON"), { schema: PERSON_JSON_SCHEMA }));
    for (const part of parts) {
      assert.equal(Object.prototype.hasOwnProperty.call(part.object, "__proto__"), false);
      assert.equal(Object.getPrototypeOf(part.object), Object.prototype);
    }
    assert.equal(Object.assign({}, parts.at(-1)!.object as object).constructor, Object);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it("deeply nested and huge answers are refused with an issue, not a stack overflow", async () => {
    const deep = await llm(CLAUDE_45).generateObject(ask("GIVE-DEEP"), { schema: { type: "array" } }).catch((thrown: unknown) => thrown);
    assert.ok(deep instanceof StructuredOutputError);
    assert.match(deep.issues[0]!.message, /nests deeper than 100 levels/);
    const deepStream = await collect(llm(CLAUDE_45).streamObject(ask("GIVE-DEEP"), { schema: { type: "array" } })).catch((thrown: unknown) => thrown);
    assert.ok(deepStream instanceof StructuredOutputError);
    // The emulator cuts the huge answer at maxTokens, as Bedrock would: the error says so.
    const huge = await llm(CLAUDE_45).generateObject(ask("GIVE-HUGE"), { schema: PERSON_JSON_SCHEMA, maxTokens: 1000 }).catch((thrown: unknown) => thrown);
    assert.ok(huge instanceof StructuredOutputError, String(huge));
    assert.equal(huge.finishReason, "length");
    assert.match(huge.message, /cut at maxTokens/);
  });

  it("bad schemas and options are refused before any request", async () => {
    const before = emulator.requests.length;
    const provider = llm(CLAUDE_45);
    await assert.rejects(provider.generateObject(ask(), { schema: { type: "object", properties: { a: { type: "no-such-type" } } } }), /not a valid JSON Schema/);
    await assert.rejects(provider.generateObject(ask(), { schema: z.object({ when: z.date() }) }), /no JSON Schema form/);
    await assert.rejects(provider.generateObject(ask(), { schema: Person, tools: [] } as never), /tools cannot be given/);
    await assert.rejects(provider.generateObject(ask(), { schema: Person, mode: "magic" as never }), /mode must be/);
    await assert.rejects(provider.generateObject(ask(), { schema: Person, schemaName: "has space" }), /schemaName/);
    await assert.rejects(provider.generateObject(ask(), { schema: "string" as never }), InvalidRequestError);
    assert.equal(emulator.requests.length, before);
  });

  it("the emulator refuses a schema Claude's structured outputs cannot take, as a ValidationException", async () => {
    const error = await llm(CLAUDE_45)
      .generate(ask(), { responseFormat: { type: "json_schema", schema: { type: "object", properties: { a: { type: "string", minLength: 2 } }, additionalProperties: false } } })
      .catch((thrown: unknown) => thrown);
    assert.ok(error instanceof BedrockServiceError);
    assert.equal(error.awsName, "ValidationException");
    assert.equal(error.status, 400);
    assert.match(error.message, /'minLength' at #\/properties\/a/);
  });
});
