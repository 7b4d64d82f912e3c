import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { loadConfig } from "../../../src/config/load-config.js";
import { createLlmProvider } from "../../../src/providers/registry.js";
import { FallbackProvider } from "../../../src/providers/routing/fallback-provider.js";
import { ConfigError } from "../../../src/schema/errors.js";

const roots: string[] = [];
after(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

/** A project whose config/config.yaml is `yaml`, and the options that load it (and only it). */
function project(yaml: string) {
  const root = mkdtempSync(join(tmpdir(), "minion-fallbacks-"));
  roots.push(root);
  mkdirSync(join(root, "config"));
  writeFileSync(join(root, "config", "config.yaml"), yaml);
  return { cwd: root, homeDir: join(root, "home"), env: {}, warn: () => {} };
}

const MODELS = `
  claude-us: {api_type: bedrock_async, model: anthropic.claude-3-5-haiku-20241022-v1:0, region: us-east-1}
  claude-eu: {api_type: bedrock_async, model: anthropic.claude-3-5-haiku-20241022-v1:0, region: eu-west-1}
  nova: {api_type: bedrock_async, model: amazon.nova-lite-v1:0, region: us-east-1}
`;

function rejects(build: () => unknown, ...patterns: RegExp[]): void {
  assert.throws(build, (error: Error) => {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${error.name}`);
    for (const pattern of patterns) assert.match(error.message, pattern);
    return true;
  });
}

describe("fallbacks in the config", () => {
  it("builds a FallbackProvider over the listed models, in order, each with its own region", async () => {
    const options = project(`llm: main\nmodels:${MODELS}  main: {api_type: bedrock_async, model: us.anthropic.claude-sonnet-4-20250514-v1:0, region: us-west-2, fallbacks: [claude-eu, nova]}\n`);
    const byName = createLlmProvider("main", options);
    assert.ok(byName instanceof FallbackProvider);
    assert.deepEqual(byName.chain, [
      { name: "main", model: "us.anthropic.claude-sonnet-4-20250514-v1:0" },
      { name: "claude-eu", model: "anthropic.claude-3-5-haiku-20241022-v1:0" },
      { name: "nova", model: "amazon.nova-lite-v1:0" },
    ]);
    assert.match(JSON.stringify(byName), /"region":"eu-west-1"/);
    const config = await loadConfig(options);
    assert.ok(createLlmProvider(config.models["main"]!) instanceof FallbackProvider, "an LLMConfig of a loaded config finds its siblings");
    assert.ok(createLlmProvider(undefined, options) instanceof FallbackProvider, "the default model too");
    assert.ok(!(createLlmProvider("nova", options) instanceof FallbackProvider), "a model without fallbacks is a plain provider");
    await byName.close();
  });

  it("rejects an unknown name, saying which names exist and the closest one", () => {
    const options = project(`models:${MODELS}  main: {api_type: bedrock_async, model: m, region: us-east-1, fallbacks: [claude-uk]}\n`);
    rejects(() => createLlmProvider("main", options), /fallbacks of model 'main'/, /no model named 'claude-uk'/, /did you mean 'claude-us'/, /known models: claude-us, claude-eu, nova, main/);
  });

  it("rejects a repeat, the model itself, and a fallback with fallbacks of its own", () => {
    const repeat = project(`models:${MODELS}  main: {api_type: bedrock_async, model: m, fallbacks: [nova, claude-eu, nova]}\n`);
    rejects(() => createLlmProvider("main", repeat), /'nova' is listed twice/, /remove the repeat/);
    const self = project(`models:${MODELS}  main: {api_type: bedrock_async, model: m, fallbacks: [claude-eu, main]}\n`);
    rejects(() => createLlmProvider("main", self), /'main' is the model itself/);
    const nested = project(`models:${MODELS}  middle: {api_type: bedrock_async, model: m2, fallbacks: [nova]}\n  main: {api_type: bedrock_async, model: m, fallbacks: [middle]}\n`);
    rejects(() => createLlmProvider("main", nested), /'middle' lists fallbacks of its own \(nova\)/, /do not nest/, /list every model to try, in order, in the fallbacks of 'main'/);
  });

  it("rejects a fallback that cannot be used, saying why", () => {
    const invalid = project(`models:${MODELS}  broken: {api_type: bedrock_async, model: m2, temperature: 7}\n  main: {api_type: bedrock_async, model: m, fallbacks: [broken]}\n`);
    rejects(() => createLlmProvider("main", invalid), /'broken' cannot be used/, /temperature must be a number from 0 to 1/);
    const unknownType = project(`models:${MODELS}  odd: {api_type: nonesuch, model: m2}\n  main: {api_type: bedrock_async, model: m, fallbacks: [odd]}\n`);
    rejects(() => createLlmProvider("main", unknownType), /Fallback 'odd' of model 'main' cannot be used/, /Unknown api_type "nonesuch"/);
    const unset = project(`models:${MODELS}  keyed: {api_type: bedrock_async, model: m2, access_key_id: "\${NOT_SET_ANYWHERE}", secret_access_key: "\${NOT_SET_EITHER}"}\n  main: {api_type: bedrock_async, model: m, fallbacks: [keyed]}\n`);
    rejects(() => createLlmProvider("main", unset), /Fallback 'keyed'/, /NOT_SET_ANYWHERE/);
  });

  it("rejects fallbacks of a config built in code without models to look in, and finds them with { models }", () => {
    const config = { api_type: "bedrock_async", model: "m", region: "us-east-1", fallbacks: ["backup"] };
    rejects(() => createLlmProvider(config), /lists fallbacks \(backup\)/, /pass \{ models \}/);
    const llm = createLlmProvider(config, { models: { backup: { api_type: "bedrock_async", model: "amazon.nova-lite-v1:0", region: "us-east-1" } } });
    assert.ok(llm instanceof FallbackProvider);
    assert.deepEqual(llm.chain.map((entry) => entry.model), ["m", "amazon.nova-lite-v1:0"]);
    rejects(() => createLlmProvider(config, { models: [] as never }), /must be a mapping of model name to config/);
    const models = { backup: { api_type: "bedrock_async", model: "amazon.nova-lite-v1:0" }, broken: { api_type: "bedrock_async", model: "x", top_p: 9 } };
    assert.ok(createLlmProvider(config, { models }) instanceof FallbackProvider, "an invalid model no one names does not matter");
    rejects(() => createLlmProvider({ ...config, fallbacks: ["broken"] }, { models }), /'broken' cannot be used/, /top_p must be a number from 0 to 1/);
    rejects(() => createLlmProvider("broken", { models }), /top_p must be a number from 0 to 1/);
  });

  it("rejects a fallbacks value that is not a list of names", () => {
    const options = project(`models:\n  main: {api_type: bedrock_async, model: m, fallbacks: nova}\n`);
    rejects(() => createLlmProvider("main", options), /fallbacks must be a list of model names from the same config/);
  });
});
