import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LLMConfig } from "../../src/config/llm-config.js";
import type { Config } from "../../src/config/load-config.js";
import { useModel } from "../../src/cli/resolve-model.js";
import { createLlmProvider } from "../../src/providers/registry.js";
import { FallbackProvider } from "../../src/providers/routing/fallback-provider.js";
import { EXAMPLE_CREDENTIALS } from "../../src/emulator/index.js";

function configWith(models: Record<string, LLMConfig>, llmName: string): Config {
  return { models, invalidModels: {}, llm: models[llmName]!, llmName, environment: {}, envFile: [], files: [], settings: {} };
}

describe("useModel", () => {
  it("starts an in-process emulator for endpoint: emulator, with its credentials, and stops it on close", async () => {
    const local = new LLMConfig(
      { api_type: "bedrock_async", model: "anthropic.claude-3-haiku-20240307-v1:0", endpoint: "emulator", access_key_id: "${NOT_SET_ANYWHERE}", api_key: "x:y" },
      { name: "local", env: {} },
    );
    const resolved = await useModel(configWith({ local }, "local"));
    try {
      assert.equal(resolved.name, "local");
      assert.match(resolved.config.endpoint!, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(resolved.config.endpoint, resolved.emulatorUrl);
      assert.equal(resolved.config.accessKeyId, EXAMPLE_CREDENTIALS.accessKeyId);
      assert.equal(resolved.config.secretAccessKey, EXAMPLE_CREDENTIALS.secretAccessKey);
      assert.equal(resolved.config.apiKey, undefined);
      assert.deepEqual(resolved.config.unresolvedVariables(), []);
      const response = await fetch(`${resolved.emulatorUrl}/model/x/invoke`, { method: "POST", body: "{}" });
      assert.ok(response.status >= 400, "the emulator answers (and rejects an unsigned request)");
    } finally {
      await resolved.close();
    }
    await assert.rejects(fetch(`${resolved.emulatorUrl}/model/x/invoke`, { method: "POST", body: "{}" }));
  });

  it("passes any other model through unchanged, choosing it by name", async () => {
    const remote = new LLMConfig({ api_type: "bedrock", model: "m", region: "eu-west-1" }, { name: "remote" });
    const other = new LLMConfig({ api_type: "bedrock", model: "n" }, { name: "other" });
    const resolved = await useModel(configWith({ remote, other }, "other"), "remote");
    assert.equal(resolved.config, remote);
    assert.equal(resolved.emulatorUrl, undefined);
    await resolved.close();
  });

  it("points a model's fallbacks at the emulator too, so the chain can be built and answers", async () => {
    const main = new LLMConfig({ api_type: "bedrock_async", model: "anthropic.claude-3-5-haiku-20241022-v1:0", region: "us-east-1", endpoint: "emulator", fallbacks: ["spare"] }, { name: "main", env: {} });
    const spare = new LLMConfig({ api_type: "bedrock_async", model: "amazon.nova-lite-v1:0", region: "us-west-2", endpoint: "emulator" }, { name: "spare", env: {} });
    const resolved = await useModel(configWith({ main, spare }, "main"));
    try {
      assert.equal(resolved.models?.["spare"]?.endpoint, resolved.emulatorUrl);
      const llm = createLlmProvider(resolved.config, { models: resolved.models! });
      assert.ok(llm instanceof FallbackProvider);
      const completion = await llm.generateStreamResponse([{ role: "user", content: "hi" }]);
      assert.deepEqual(completion.route, { name: "main", model: "anthropic.claude-3-5-haiku-20241022-v1:0", position: 1, skipped: [] });
      await llm.close();
    } finally {
      await resolved.close();
    }
  });
});
