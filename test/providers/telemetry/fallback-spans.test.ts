import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { SpanStatusCode } from "@opentelemetry/api";
import type { Emulator } from "../../../src/emulator/index.js";
import { FallbackProvider } from "../../../src/providers/routing/fallback-provider.js";
import { emulatorWith, MODEL, providerFor } from "../bedrock/emulator-fixture.js";
import { onlySpan, registerOtel, type OtelHarness } from "./otel-fixture.js";

const BACKUP = "anthropic.claude-3-haiku-20240307-v1:0";
const PROFILE_ONLY = "anthropic.claude-sonnet-4-20250514-v1:0";

describe("spans of fallbacks and inference-profile retries", () => {
  let emulator: Emulator;
  let otel: OtelHarness;
  before(async () => {
    otel = registerOtel();
    emulator = await emulatorWith({ profileOnlyModels: [PROFILE_ONLY], script: { rules: [{ match: { model: MODEL }, respond: { error: { name: "ThrottlingException" } } }] } });
  });
  after(async () => {
    await emulator.close();
    await otel.shutdown();
  });

  it("each model tried is its own chat span; the skipped one ends with its error type", async () => {
    otel.reset();
    const llm = new FallbackProvider([
      { name: "primary", provider: providerFor(emulator, { max_attempts: 1 }) },
      { name: "backup", provider: providerFor(emulator, { model: BACKUP }) },
    ]);
    await llm.generateStreamResponse([{ role: "user", content: "hello" }]);
    const failed = onlySpan(otel.spans(), `chat ${MODEL}`);
    assert.equal(failed.status.code, SpanStatusCode.ERROR);
    assert.equal(failed.attributes["error.type"], "ThrottlingException");
    const answered = onlySpan(otel.spans(), `chat ${BACKUP}`);
    assert.equal(answered.status.code, SpanStatusCode.UNSET);
    assert.equal(answered.attributes["gen_ai.response.model"], BACKUP);
    await llm.close();
  });

  it("a call answered through an inference profile is one span: request model as configured, response model the profile", async () => {
    otel.reset();
    const llm = providerFor(emulator, { model: PROFILE_ONLY, region: "us-east-1" });
    await llm.generate([{ role: "user", content: "hello" }]);
    const span = onlySpan(otel.spans(), `chat ${PROFILE_ONLY}`);
    assert.equal(span.status.code, SpanStatusCode.UNSET);
    assert.equal(span.attributes["gen_ai.request.model"], PROFILE_ONLY);
    assert.equal(span.attributes["gen_ai.response.model"], `us.${PROFILE_ONLY}`);
    await llm.close();
  });
});
