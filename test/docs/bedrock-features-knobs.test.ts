/**
 * The request-knob examples of docs/bedrock-features.md run as written against the emulator, and send what
 * the doc's tables say: the YAML model, the per-call knobs and the effort example.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import { parse } from "yaml";
import type { Emulator } from "../../src/emulator/index.js";
import type { MessageInput } from "../../src/schema/message.js";
import { emulatorWith, providerFor } from "../providers/bedrock/emulator-fixture.js";

const DOC = readFileSync(join(fileURLToPath(new URL("../../", import.meta.url)), "docs/bedrock-features.md"), "utf8");
const messages: MessageInput[] = [{ role: "user", content: "Summarise the night's tickets." }];

function block(language: "ts" | "yaml", contains: string): string {
  const found = [...DOC.matchAll(new RegExp("```" + language + "\\n([\\s\\S]*?)```", "g"))].map((m) => m[1]!).find((code) => code.includes(contains));
  assert.ok(found, `docs/bedrock-features.md has a ${language} block containing ${contains}`);
  return found;
}

/** Runs a ```ts snippet (plain JavaScript apart from comments) with `llm` and `messages` in scope. */
async function runSnippet(code: string, llm: unknown): Promise<void> {
  const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (...values: unknown[]) => Promise<void>;
  await new AsyncFunction("llm", "messages", code)(llm, messages);
}

let emulator: Emulator;
before(async () => (emulator = await emulatorWith()));
after(() => emulator.close());
const lastBody = () => emulator.requests.at(-1)!.body as Record<string, any>;

describe("docs/bedrock-features.md: request knobs", () => {
  it("the YAML model sends each knob where the table says (effort low on gpt-oss: reasoning_effort)", async () => {
    const config = parse(block("yaml", "nightly-summaries")).models["nightly-summaries"];
    const provider = providerFor(emulator, config);
    try {
      const completion = await provider.generateStreamResponse(messages);
      const body = lastBody();
      assert.deepEqual(body["serviceTier"], { type: "flex" });
      assert.deepEqual(body["performanceConfig"], { latency: "standard" });
      assert.deepEqual(body["requestMetadata"], { team: "search", job: "nightly" });
      assert.deepEqual(body["additionalModelRequestFields"], { reasoning_effort: "low" });
      assert.equal(body["outputConfig"], undefined);
      assert.equal(completion.service_tier, "flex");
    } finally {
      await provider.close();
    }
  });

  it("the per-call example runs as written on a model that takes every knob", async () => {
    const provider = providerFor(emulator, { model: "openai.gpt-oss-120b-1:0" });
    try {
      await runSnippet(block("ts", 'serviceTier: "flex",'), provider);
      const body = lastBody();
      assert.deepEqual(body["serviceTier"], { type: "flex" });
      assert.deepEqual(body["performanceConfig"], { latency: "optimized" });
      assert.deepEqual(body["requestMetadata"], { team: "search", ticket: "ML-1234" });
      assert.deepEqual(body["additionalModelRequestFields"], { reasoning_effort: "low" });
    } finally {
      await provider.close();
    }
  });

  it("the effort example on Claude Opus 4.5 sends output_config.effort with the beta flag, as its comment says", async () => {
    const code = block("ts", 'effort: "medium"');
    assert.match(code, /Claude Opus 4\.5: output_config\.effort \+ beta flag/);
    const provider = providerFor(emulator, { model: "us.anthropic.claude-opus-4-5-20251101-v1:0" });
    try {
      await runSnippet(code, provider);
      assert.deepEqual(lastBody()["output_config"], { effort: "medium" });
      assert.deepEqual(lastBody()["anthropic_beta"], ["effort-2025-11-24"]);
    } finally {
      await provider.close();
    }
  });
});
