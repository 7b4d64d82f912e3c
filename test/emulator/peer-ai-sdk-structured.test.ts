/** A peer library's structured output against the emulator: the Vercel AI SDK's generateObject / streamObject with @ai-sdk/amazon-bedrock. */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createAmazonBedrock } from "@ai-sdk/amazon-bedrock";
import { generateObject, streamObject } from "ai";
import { z } from "zod";
import { EXAMPLE_CREDENTIALS, startEmulator, type Emulator } from "../../src/emulator/index.js";
import { createPlanner } from "../../src/emulator/model/index.js";

const Recipe = z.object({ title: z.string(), minutes: z.number().int(), steps: z.array(z.object({ text: z.string() })), vegan: z.boolean() });
const EXPECTED = { title: "example title", minutes: 1, steps: [{ text: "example text" }], vegan: true };

describe("AI SDK generateObject with @ai-sdk/amazon-bedrock against the emulator", () => {
  let emulator: Emulator;
  let bedrock: ReturnType<typeof createAmazonBedrock>;

  before(async () => {
    emulator = await startEmulator({ planner: createPlanner() });
    bedrock = createAmazonBedrock({ region: "us-east-1", accessKeyId: EXAMPLE_CREDENTIALS.accessKeyId, secretAccessKey: EXAMPLE_CREDENTIALS.secretAccessKey, baseURL: emulator.url });
  });
  after(async () => {
    await emulator.close();
  });

  it("Claude 4.5: native output_config.format through Converse, object conforms", async () => {
    const { object } = await generateObject({ model: bedrock("us.anthropic.claude-sonnet-4-5-20250929-v1:0"), schema: Recipe, prompt: "A quick recipe." });
    assert.deepEqual(object, EXPECTED);
    const body = emulator.requests.at(-1)!.body as Record<string, any>;
    assert.equal(emulator.requests.at(-1)!.operation, "Converse");
    assert.equal(body.additionalModelRequestFields.output_config.format.type, "json_schema");
  });

  it("Nova: the AI SDK's json tool with a required tool choice, object conforms", async () => {
    const { object } = await generateObject({ model: bedrock("amazon.nova-pro-v1:0"), schema: Recipe, prompt: "A quick recipe." });
    assert.deepEqual(object, EXPECTED);
    const body = emulator.requests.at(-1)!.body as Record<string, any>;
    assert.equal(body.toolConfig.tools[0].toolSpec.name, "json");
    assert.deepEqual(body.toolConfig.toolChoice, { any: {} });
  });

  it("streamObject streams partial objects over ConverseStream", async () => {
    const result = streamObject({ model: bedrock("us.anthropic.claude-sonnet-4-5-20250929-v1:0"), schema: Recipe, prompt: "A quick recipe." });
    const partials: unknown[] = [];
    for await (const partial of result.partialObjectStream) partials.push(partial);
    assert.ok(partials.length >= 2, `${partials.length} partials`);
    assert.deepEqual(await result.object, EXPECTED);
    assert.equal(emulator.requests.at(-1)!.operation, "ConverseStream");
  });
});
