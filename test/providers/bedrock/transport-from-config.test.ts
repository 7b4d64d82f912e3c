/**
 * The model config's `transport` (YAML `transport: http2`): loaded, validated, and used by the chat and
 * embedding providers, with the provider option winning over it. The emulator records the protocol of each
 * request it received ("h2" or "http/1.1").
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, beforeEach, describe, it } from "node:test";
import { getModelConfig, loadConfig } from "../../../src/config/load-config.js";
import { LLMConfig } from "../../../src/config/llm-config.js";
import { EXAMPLE_CREDENTIALS, type Emulator } from "../../../src/emulator/index.js";
import { BedrockEmbeddingProvider } from "../../../src/providers/bedrock/embeddings/bedrock-embedding-provider.js";
import type { LlmProvider } from "../../../src/providers/llm-provider.js";
import { createLlmProvider } from "../../../src/providers/registry.js";
import { ConfigError } from "../../../src/schema/errors.js";
import { collect, emulatorWith, MODEL, providerFor } from "./emulator-fixture.js";

const hi = [{ role: "user" as const, content: "hi" }];
const roots: string[] = [];
let emulator: Emulator;

before(async () => {
  emulator = await emulatorWith();
});
after(async () => {
  await emulator.close();
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});
beforeEach(() => emulator.clearRequests());

/** A project whose config/config.yaml has one model `emu` on the emulator, with `lines` added to it. */
function project(lines: string[]): { cwd: string; homeDir: string } {
  const root = mkdtempSync(join(tmpdir(), "minion-transport-"));
  roots.push(root);
  mkdirSync(join(root, "project", "config"), { recursive: true });
  mkdirSync(join(root, "home"));
  const model = ["models:", "  emu:", "    api_type: bedrock_async", `    model: ${MODEL}`, `    endpoint: ${emulator.url}`, "    region: us-east-1"];
  const keys = [`    access_key_id: ${EXAMPLE_CREDENTIALS.accessKeyId}`, '    secret_access_key: "${EMU_SECRET}"'];
  writeFileSync(join(root, "project", "config", "config.yaml"), [...model, ...keys, ...lines.map((line) => `    ${line}`), ""].join("\n"));
  return { cwd: join(root, "project"), homeDir: join(root, "home") };
}

const protocols = (): string[] => emulator.requests.map((request) => request.protocol);

async function generateAndStream(provider: LlmProvider): Promise<void> {
  try {
    assert.match(await provider.generate(hi), /You said: hi/);
    assert.match((await collect(provider.generateStream(hi))).join(""), /You said: hi/);
  } finally {
    await provider.close();
  }
}

describe("transport in the model config", () => {
  it("YAML `transport: ${VAR}` reaches createLlmProvider: calls go out as HTTP/2 streams", async () => {
    const where = project(['transport: "${EMU_TRANSPORT}"']);
    const env = { EMU_SECRET: EXAMPLE_CREDENTIALS.secretAccessKey, EMU_TRANSPORT: "http2" };
    assert.equal((await loadConfig({ ...where, env })).models["emu"]!.transport, "http2");
    await generateAndStream(createLlmProvider("emu", { ...where, env }));
    assert.deepEqual(protocols(), ["h2", "h2"]);
  });

  it("without it (or with http1) calls use HTTP/1.1", async () => {
    const env = { EMU_SECRET: EXAMPLE_CREDENTIALS.secretAccessKey };
    await generateAndStream(createLlmProvider("emu", { ...project([]), env }));
    await generateAndStream(createLlmProvider("emu", { ...project(["transport: http1"]), env }));
    assert.deepEqual(protocols(), ["http/1.1", "http/1.1", "http/1.1", "http/1.1"]);
  });

  it("the provider option wins over the config, both ways", async () => {
    await generateAndStream(providerFor(emulator, { transport: "http2" }, { transport: "http1" }));
    await generateAndStream(providerFor(emulator, { transport: "http1" }, { transport: "http2" }));
    assert.deepEqual(protocols(), ["http/1.1", "http/1.1", "h2", "h2"]);
  });

  it("the embedding provider shares it", async () => {
    const config = { api_type: "bedrock_embedding", model: "amazon.titan-embed-text-v2:0", endpoint: emulator.url, region: "us-east-1", access_key_id: EXAMPLE_CREDENTIALS.accessKeyId, secret_access_key: EXAMPLE_CREDENTIALS.secretAccessKey };
    for (const transport of ["http2", "http1"] as const) {
      const provider = new BedrockEmbeddingProvider({ ...config, transport });
      try {
        assert.equal((await provider.embed(["one", "two"])).length, 2);
      } finally {
        await provider.close();
      }
    }
    assert.deepEqual(protocols(), ["h2", "h2", "http/1.1", "http/1.1"]);
  });
});

describe("a bad transport is refused when the config is loaded, before any call", () => {
  const says = (got: string) => (error: unknown) => {
    assert.ok(error instanceof ConfigError, String(error));
    assert.ok(error.message.includes(`transport must be "http1" or "http2" (got ${got})`), error.message);
    return true;
  };

  it("in YAML (also through ${VAR}): the model is skipped with a warning, and using it is a ConfigError", async () => {
    for (const [line, env, got] of [
      ["transport: h3", {}, '"h3"'],
      // A value from a variable is shown as written (it could be a secret put in the wrong setting).
      ['transport: "${EMU_TRANSPORT}"', { EMU_TRANSPORT: "HTTP2" }, "\"${EMU_TRANSPORT}\"; the variable's value is not shown"],
      ["transport: 2", {}, "2"],
    ] as const) {
      const where = project([line]);
      const warnings: string[] = [];
      const config = await loadConfig({ ...where, env: { EMU_SECRET: "x", ...env }, warn: (message) => warnings.push(message) });
      assert.deepEqual(Object.keys(config.invalidModels), ["emu"]);
      assert.match(warnings.join("\n"), /models\.emu cannot be used/);
      assert.throws(() => getModelConfig(config, "emu"), says(got));
      assert.throws(() => createLlmProvider("emu", { ...where, env: { EMU_SECRET: "x", ...env }, warn: () => {} }), says(got));
    }
    assert.equal(emulator.requests.length, 0);
  });

  it("in code: new LLMConfig and createLlmProvider with a plain object", () => {
    // As from untyped JavaScript or JSON: the type allows only "http1" | "http2".
    const input = { api_type: "bedrock_async", model: MODEL, region: "us-east-1", endpoint: emulator.url, transport: "h3" as "http2" };
    assert.throws(() => new LLMConfig(input), says('"h3"'));
    assert.throws(() => createLlmProvider(input), says('"h3"'));
    assert.throws(() => createLlmProvider({ ...input, transport: "http/2" as "http2" }), says('"http/2"'));
  });
});
