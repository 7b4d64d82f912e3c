import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { LLMConfig } from "../../src/config/llm-config.js";
import { CostManager } from "../../src/providers/cost-manager.js";
import type { CostSnapshot, LlmProvider } from "../../src/providers/llm-provider.js";
import { createLlmProvider, registerProvider, registeredApiTypes, unregisterProvider } from "../../src/providers/registry.js";
import { ConfigError } from "../../src/schema/errors.js";

const ZERO: CostSnapshot = new CostManager().snapshot();

class FakeProvider implements LlmProvider {
  readonly model: string;
  constructor(readonly config: LLMConfig) {
    this.model = config.model;
  }
  async generate(_messages?: unknown): Promise<string> {
    return `fake:${this.model}`;
  }
  async *generateStream(): AsyncIterable<string> {
    yield "fake";
  }
  generateStreamResponse(): never {
    throw new Error("not used");
  }
  async *streamEvents(): AsyncIterable<never> {}
  generateObject(): never {
    throw new Error("not used");
  }
  async *streamObject(): AsyncIterable<never> {}
  generateSync(): string {
    return "fake";
  }
  getCost(): CostSnapshot {
    return ZERO;
  }
  reset(): void {}
  async close(): Promise<void> {}
}

registerProvider("fake_test", FakeProvider);
after(() => unregisterProvider("fake_test"));

describe("createLlmProvider", () => {
  it("builds the registered provider from an LLMConfig", async () => {
    const provider = createLlmProvider(new LLMConfig({ api_type: "fake_test", model: "m-1" }));
    assert.ok(provider instanceof FakeProvider);
    assert.equal(await provider.generate([{ role: "user", content: "hi" }]), "fake:m-1");
  });

  it("accepts a plain object with snake_case keys or the provider alias", () => {
    const provider = createLlmProvider({ provider: "fake_test", model: "m-2", temperature: 0.3 }) as FakeProvider;
    assert.ok(provider.config instanceof LLMConfig);
    assert.equal(provider.config.temperature, 0.3);
  });

  it("accepts a factory function and matches api_type case-insensitively", () => {
    let seen: LLMConfig | undefined;
    registerProvider("Fake_Factory", (config) => {
      seen = config;
      return new FakeProvider(config);
    });
    try {
      createLlmProvider({ api_type: "FAKE_FACTORY", model: "m-3" });
      assert.equal(seen?.model, "m-3");
    } finally {
      unregisterProvider("fake_factory");
    }
  });

  it("rejects an unknown api_type, listing the known ones", () => {
    assert.throws(() => createLlmProvider({ api_type: "openai", model: "gpt-4o" }), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /Unknown api_type "openai"\. Known api types: .*fake_test/);
      for (const known of registeredApiTypes()) assert.ok(error.message.includes(known));
      return true;
    });
  });

  it("refuses to build a provider whose ${VAR} is unset, naming the variable", () => {
    const config = new LLMConfig({ api_type: "fake_test", model: "m", access_key_id: "${MINION_TEST_UNSET_AK}" }, { name: "x", env: {} });
    assert.throws(() => createLlmProvider(config), /MINION_TEST_UNSET_AK is not set \(used by access_key_id of model 'x'\)/);
  });

  it("resolves a model name (and no argument: the default model) through the config files", () => {
    const root = mkdtempSync(join(tmpdir(), "minion-registry-"));
    after(() => rmSync(root, { recursive: true, force: true }));
    mkdirSync(join(root, "config"));
    writeFileSync(join(root, "config", "config.yaml"), "llm: b\nmodels:\n  a: {api_type: fake_test, model: id-a}\n  b: {api_type: fake_test, model: id-b}\n");
    const options = { cwd: root, homeDir: join(root, "home"), env: {} };
    assert.equal(createLlmProvider("a", options).model, "id-a");
    assert.equal(createLlmProvider(undefined, options).model, "id-b");
    assert.throws(() => createLlmProvider("zzz", options), /Unknown model 'zzz'\. Known models: a, b/);
  });

  it("rejects input that is not a config", () => {
    assert.throws(() => createLlmProvider(42 as never), ConfigError);
  });
});

describe("built-in providers", () => {
  it("bedrock_async and bedrock both resolve, to the Bedrock provider classes", async () => {
    const { BedrockAsyncProvider, BedrockProvider } = await import("../../src/providers/bedrock/index.js");
    assert.ok(registeredApiTypes().includes("bedrock_async"));
    assert.ok(registeredApiTypes().includes("bedrock"));
    const settings = { model: "anthropic.claude-3-haiku-20240307-v1:0", region: "us-east-1", endpoint: "http://127.0.0.1:9", access_key_id: "AKIAIOSFODNN7EXAMPLE", secret_access_key: "x" };
    const asyncProvider = createLlmProvider({ api_type: "bedrock_async", ...settings });
    const syncNamed = createLlmProvider({ provider: "bedrock", ...settings });
    try {
      assert.ok(asyncProvider instanceof BedrockAsyncProvider);
      assert.ok(syncNamed instanceof BedrockProvider);
      assert.equal(asyncProvider.model, settings.model);
    } finally {
      await asyncProvider.close();
      await syncNamed.close();
    }
  });
});

describe("an api_type from an unset variable", () => {
  it("is reported by the variable's name, not as an unknown api_type", () => {
    const config = new LLMConfig({ api_type: "${MINION_TEST_PROVIDER}", model: "m" }, { env: {} });
    assert.throws(() => createLlmProvider(config), /MINION_TEST_PROVIDER is not set \(used by api_type of this LLMConfig\)/);
  });
});

describe("endpoint: emulator outside the CLI", () => {
  it("is a clear error saying how to point a provider at the emulator", () => {
    assert.throws(() => createLlmProvider({ api_type: "fake_test", model: "m", endpoint: "emulator" }), /endpoint: emulator is understood by the minion CLI only.*startEmulator/);
  });
});
