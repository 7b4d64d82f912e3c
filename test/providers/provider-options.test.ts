import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { EXAMPLE_CREDENTIALS, startEmulator, type Emulator } from "../../src/emulator/index.js";
import { CostManager } from "../../src/providers/cost-manager.js";
import { createEmbeddingProvider } from "../../src/providers/embedding-registry.js";
import { createLlmProvider, registerProvider, unregisterProvider } from "../../src/providers/registry.js";
import type { TelemetryCall, TelemetryError, TelemetryResponse, TelemetryUsageEvent } from "../../src/providers/telemetry/index.js";
import { ConfigError } from "../../src/schema/errors.js";

const CHAT = "anthropic.claude-3-5-haiku-20241022-v1:0";
const EMBED = "amazon.titan-embed-text-v2:0";

describe("createLlmProvider / createEmbeddingProvider options: telemetry hooks and a shared cost manager", () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({ script: { rules: [{ match: { text: "deny me" }, respond: { error: { name: "AccessDeniedException" } } }] } as never });
  });
  after(() => emulator.close());

  const config = (model: string) => ({
    api_type: "bedrock_async", model, region: "us-east-1", endpoint: emulator.url, max_attempts: 1,
    access_key_id: EXAMPLE_CREDENTIALS.accessKeyId, secret_access_key: EXAMPLE_CREDENTIALS.secretAccessKey,
  });

  it("createLlmProvider: the hooks see each call, and two providers add up in one cost manager", async () => {
    const requests: TelemetryCall[] = [];
    const responses: TelemetryResponse[] = [];
    const errors: TelemetryError[] = [];
    const usages: TelemetryUsageEvent[] = [];
    const costManager = new CostManager();
    const options = { costManager, onRequest: (c: TelemetryCall) => requests.push(c), onResponse: (r: TelemetryResponse) => responses.push(r), onError: (e: TelemetryError) => errors.push(e), onUsage: (u: TelemetryUsageEvent) => usages.push(u) };
    const first = createLlmProvider(config(CHAT), options);
    const second = createLlmProvider(config("amazon.nova-lite-v1:0"), options);
    await first.generate([{ role: "user", content: "one" }]);
    await second.generate([{ role: "user", content: "two" }]);
    await assert.rejects(first.generate([{ role: "user", content: "deny me" }]));
    assert.deepEqual(requests.map((c) => c.requestModel), [CHAT, "amazon.nova-lite-v1:0", CHAT]);
    assert.deepEqual(responses.map((r) => r.responseModel), [CHAT, "amazon.nova-lite-v1:0"]);
    assert.deepEqual(errors.map((e) => e.errorType), ["AccessDeniedException"]);
    assert.equal(usages.length, 2);
    const total = costManager.snapshot();
    assert.equal(total.totalCompletionTokens, usages[0]!.outputTokens + usages[1]!.outputTokens);
    assert.deepEqual(first.getCost(), total, "the providers share the one cost manager");
    await Promise.all([first.close(), second.close()]);
  });

  it("createEmbeddingProvider: the hooks see each embed call, and the cost goes to the shared cost manager", async () => {
    const requests: TelemetryCall[] = [];
    const usages: TelemetryUsageEvent[] = [];
    const costManager = new CostManager();
    const embedder = createEmbeddingProvider({ ...config(EMBED), api_type: "bedrock_embedding" }, { costManager, onRequest: (c) => requests.push(c), onUsage: (u) => usages.push(u) });
    const vectors = await embedder.embed(["alpha", "beta"]);
    assert.equal(vectors.length, 2);
    assert.deepEqual(requests.map((c) => [c.operation, c.requestModel]), [["embeddings", EMBED]]);
    const billed = usages.reduce((sum, u) => sum + u.inputTokens, 0);
    assert.ok(billed > 0);
    assert.equal(costManager.snapshot().totalPromptTokens, billed);
    await embedder.close();
  });

  it("a hook that is not a function, or a costManager that is not a CostManager, fails at creation with a ConfigError", () => {
    assert.throws(() => createLlmProvider(config(CHAT), { onUsage: "log" as never }), (e: unknown) => e instanceof ConfigError && /onUsage must be a function/.test(e.message));
    assert.throws(() => createEmbeddingProvider(config(EMBED), { onError: 1 as never }), (e: unknown) => e instanceof ConfigError && /onError must be a function/.test(e.message));
    assert.throws(() => createLlmProvider(config(CHAT), { costManager: { update() {} } as never }), (e: unknown) => e instanceof ConfigError && /costManager must be a CostManager/.test(e.message));
  });

  it("a registered factory gets the provider options as its second argument", () => {
    let seen: unknown;
    const onUsage = () => undefined;
    registerProvider("options_probe", (cfg, options) => {
      seen = options;
      return createLlmProvider({ ...config(CHAT), model: cfg.model });
    });
    try {
      createLlmProvider({ api_type: "options_probe", model: CHAT }, { onUsage, cwd: "/nonexistent" });
      assert.deepEqual(seen, { onUsage }, "only the provider's options, not the config-loading ones");
    } finally {
      unregisterProvider("options_probe");
    }
  });
});
