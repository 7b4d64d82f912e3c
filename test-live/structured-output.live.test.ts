/**
 * Structured output against real AWS Bedrock (`npm run test:live`): generateObject and streamObject on a
 * Claude model (native `output_config.format` for Claude 4.5+, a forced tool otherwise) and on a Converse
 * model. Needs AWS credentials, MINION_LIVE_MODEL (a Claude model or inference profile) and optionally
 * MINION_LIVE_CONVERSE_MODEL (default us.amazon.nova-lite-v1:0). Skips itself, saying why, otherwise.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { z } from "zod";
import { BedrockAsyncProvider } from "../src/providers/bedrock/index.js";

const env = process.env;
const claude = env["MINION_LIVE_MODEL"];
const converseModel = env["MINION_LIVE_CONVERSE_MODEL"] ?? "us.amazon.nova-lite-v1:0";
const region = env["MINION_LIVE_REGION"] ?? env["AWS_REGION"] ?? "us-east-1";
const hasCredentials =
  Boolean(env["AWS_ACCESS_KEY_ID"] && env["AWS_SECRET_ACCESS_KEY"]) ||
  Boolean(env["AWS_PROFILE"] || env["AWS_BEARER_TOKEN_BEDROCK"] || env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] || env["AWS_WEB_IDENTITY_TOKEN_FILE"]) ||
  existsSync(join(homedir(), ".aws", "credentials")) ||
  existsSync(join(homedir(), ".aws", "config"));
const noLive = !claude ? "set MINION_LIVE_MODEL to a Bedrock Claude model id or inference profile" : !hasCredentials ? "no AWS credentials found" : false;

const City = z.object({ name: z.string(), country: z.string(), population_millions: z.number(), landmarks: z.array(z.string()) });
const ask = [{ role: "user" as const, content: "Describe Paris as data." }];

describe("live structured output", () => {
  const made: BedrockAsyncProvider[] = [];
  const make = (model: string): BedrockAsyncProvider => {
    const provider = new BedrockAsyncProvider({ api_type: "bedrock_async", model, region, max_tokens: 600, ...(env["AWS_PROFILE"] ? { profile: env["AWS_PROFILE"] } : {}) });
    made.push(provider);
    return provider;
  };
  after(async () => {
    for (const provider of made) await provider.close();
  });

  for (const [label, model] of [["Claude (InvokeModel)", claude], ["Converse", converseModel]] as const) {
    it(`${label}: generateObject returns a validated object and records its cost`, { skip: noLive }, async () => {
      const llm = make(model!);
      const city = await llm.generateObject(ask, { schema: City, repair: true });
      assert.match(city.name, /paris/i);
      assert.ok(Array.isArray(city.landmarks));
      assert.ok(llm.getCost().totalTokens > 0);
    });

    it(`${label}: streamObject yields partials then the object`, { skip: noLive }, async () => {
      const parts = [];
      for await (const part of make(model!).streamObject(ask, { schema: City })) parts.push(part);
      assert.equal(parts.at(-1)!.type, "object");
      assert.ok(parts.length >= 2);
    });
  }
});
