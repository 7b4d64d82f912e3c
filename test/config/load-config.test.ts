import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { getModelConfig, loadConfig, PACKAGE_CONFIG_PATH } from "../../src/config/load-config.js";
import { assertResolved } from "../../src/config/assert-resolved.js";
import { ConfigError } from "../../src/schema/errors.js";

const roots: string[] = [];
after(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

/** A temp home and project directory, with files written relative to the root. */
function sandbox(files: Record<string, string>): { home: string; cwd: string; root: string } {
  const root = mkdtempSync(join(tmpdir(), "minion-config-"));
  roots.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return { root, home: join(root, "home"), cwd: join(root, "project") };
}

const quiet = { warn: () => {} };

describe("loadConfig", () => {
  it("reads the project file and picks models.default, then the first model", async () => {
    const { home, cwd } = sandbox({
      "project/config/config.yaml": `models:\n  first:\n    api_type: bedrock\n    model: m1\n  default:\n    api_type: bedrock_async\n    model: m2\n`,
    });
    const config = await loadConfig({ cwd, homeDir: home, env: {}, ...quiet });
    assert.deepEqual(Object.keys(config.models), ["first", "default"]);
    assert.equal(config.llmName, "default");
    assert.equal(config.llm.model, "m2");
    assert.equal(config.models["first"]!.name, "first");

    const only = sandbox({ "project/config/config.yaml": `models:\n  a:\n    api_type: bedrock\n  b:\n    api_type: bedrock\n` });
    const second = await loadConfig({ cwd: only.cwd, homeDir: only.home, env: {} });
    assert.equal(second.llmName, "a");
    assert.equal(second.llm.model, "a", "a model entry without `model` uses its key");
  });

  it("honours llm: as a model name or an inline model", async () => {
    const named = sandbox({ "project/config/config.yaml": `llm: b\nmodels:\n  a: {api_type: bedrock, model: x}\n  b: {api_type: bedrock, model: y}\n` });
    assert.equal((await loadConfig({ cwd: named.cwd, homeDir: named.home, env: {} })).llm.model, "y");
    const inline = sandbox({ "project/config/config.yaml": `llm:\n  api_type: bedrock\n  model: inline-id\n` });
    const config = await loadConfig({ cwd: inline.cwd, homeDir: inline.home, env: {} });
    assert.equal(config.llm.model, "inline-id");
    assert.equal(config.llmName, undefined);
  });

  it("rejects llm: naming an unknown model, listing the known ones", async () => {
    const { cwd, home } = sandbox({ "project/config/config.yaml": `llm: nope\nmodels:\n  a: {api_type: bedrock}\n` });
    await assert.rejects(loadConfig({ cwd, homeDir: home, env: {} }), /llm in .*config\.yaml names model 'nope', which is not in models \(known: a\)/);
  });

  it("merges ~/.minion/config.yaml under the project file, per model name", async () => {
    const { cwd, home } = sandbox({
      "home/.minion/config.yaml": `llm: personal\nenvironment:\n  A: home\n  B: home\nmodels:\n  personal: {api_type: bedrock, model: p, region: eu-west-1}\n  shared: {api_type: bedrock, model: from-home, temperature: 0.1}\n`,
      "project/config/config.yaml": `environment:\n  B: project\nmodels:\n  shared: {api_type: bedrock_async, model: from-project}\n`,
    });
    const env: Record<string, string> = {};
    const config = await loadConfig({ cwd, homeDir: home, env });
    assert.deepEqual(Object.keys(config.models).sort(), ["personal", "shared"]);
    assert.equal(config.models["shared"]!.model, "from-project");
    assert.equal(config.models["shared"]!.apiType, "bedrock_async");
    assert.equal(config.models["shared"]!.temperature, undefined, "the project's entry replaces the user's entry as a whole");
    assert.equal(config.llmName, "personal", "llm from the home file applies when the project has none");
    assert.deepEqual(config.environment, { A: "home", B: "project" });
    assert.equal(config.files.length, 2);
  });

  it("loads env_file entries relative to the declaring file, and environment: without overriding set variables", async () => {
    const { cwd, home } = sandbox({
      "project/config/config.yaml": [
        "env_file:",
        "  - ../secrets/.env",
        "  - missing.env",
        "environment:",
        "  REGION_FROM_SECTION: eu-central-1",
        "  ALREADY: from-section",
        "models:",
        "  m:",
        "    api_type: bedrock_async",
        "    model: anthropic.claude-3-haiku-20240307-v1:0",
        '    access_key_id: "${AK}"',
        '    secret_access_key: "${SK}"',
        '    region: "${REGION_FROM_SECTION}"',
        "",
      ].join("\n"),
      "project/secrets/.env": "AK=AKIAIOSFODNN7EXAMPLE\nSK=secret-from-dotenv\nALREADY=from-dotenv\n",
    });
    const env: Record<string, string> = { ALREADY: "from-shell" };
    // Trusted: an untrusted project's env file may not supply a model's credentials (config-trust.test.ts).
    const config = await loadConfig({ cwd, homeDir: home, env, trustProjectConfig: true });
    const model = config.models["m"]!;
    assert.equal(model.accessKeyId, "AKIAIOSFODNN7EXAMPLE");
    assert.equal(model.secretAccessKey, "secret-from-dotenv");
    assert.equal(model.region, "eu-central-1");
    assert.equal(env["ALREADY"], "from-shell");
    assert.equal(env["REGION_FROM_SECTION"], "eu-central-1");
    assert.equal(config.envFile.length, 1);
    assert.match(config.envFile[0]!, /secrets[/\\]\.env$/);
  });

  it("override_env: true lets env_file and environment: replace set variables", async () => {
    const { cwd, home } = sandbox({
      "project/config/config.yaml": "override_env: true\nenv_file: .env\nenvironment:\n  B: section\n",
      "project/config/.env": "A=dotenv\n",
    });
    const env: Record<string, string> = { A: "shell", B: "shell" };
    await loadConfig({ cwd, homeDir: home, env, trustProjectConfig: true }); // (a project you did not trust only adds variables: config-trust.test.ts)
    assert.deepEqual(env, { A: "dotenv", B: "section" });
  });

  it("reports unset variables by name when the provider needs them, not at load", async () => {
    const { cwd, home } = sandbox({
      "project/config/config.yaml": 'models:\n  claude:\n    api_type: bedrock_async\n    model: x\n    access_key_id: "${AWS_ACCESS_KEY_ID}"\n',
    });
    const config = await loadConfig({ cwd, homeDir: home, env: {} });
    assert.deepEqual(config.models["claude"]!.unresolvedVariables().map((entry) => entry.variable), ["AWS_ACCESS_KEY_ID"]);
    assert.throws(() => assertResolved(config.models["claude"]!), /AWS_ACCESS_KEY_ID is not set \(used by access_key_id of model 'claude'\)/);
  });

  it("reports invalid YAML with the file and line", async () => {
    const { cwd, home } = sandbox({ "project/config/config.yaml": "models:\n  a:\n    api_type: bedrock\n   model: [\n" });
    await assert.rejects(loadConfig({ cwd, homeDir: home, env: {} }), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /Invalid YAML in .*project[/\\]config[/\\]config\.yaml at line 4, column \d+: /);
      return true;
    });
  });

  it("an invalid YAML line holding a secret does not reach the error (message, cause, inspect)", async () => {
    const secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETSECRET";
    const { cwd, home } = sandbox({ "project/config/config.yaml": `models:\n  a:\n    secret_access_key: ${secret}\n    secret_access_key: ${secret}\n` });
    await assert.rejects(loadConfig({ cwd, homeDir: home, env: {} }), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /Invalid YAML in .* at line 4, column \d+: Map keys must be unique/);
      assert.ok(!inspect(error, { depth: Infinity, showHidden: true }).includes(secret));
      return true;
    });
  });

  it("an invalid model entry is reported and fails when used; the other models keep working", async () => {
    const { cwd, home } = sandbox({
      "project/config/config.yaml": "models:\n  hot:\n    api_type: bedrock\n    temperature: 7\n  fine:\n    api_type: bedrock\n    model: m-fine\n",
      "home/.minion/config.yaml": "llm: mine\nmodels:\n  mine:\n    api_type: bedrock\n    top_k: -3\n  personal:\n    api_type: bedrock_async\n    model: m-personal\n",
    });
    const warnings: string[] = [];
    const config = await loadConfig({ cwd, homeDir: home, env: {}, warn: (message) => warnings.push(message) });
    assert.deepEqual(Object.keys(config.models), ["personal", "fine"]);
    assert.equal(getModelConfig(config, "fine").model, "m-fine");
    assert.equal(getModelConfig(config, "personal").model, "m-personal");
    assert.deepEqual(Object.keys(config.invalidModels).sort(), ["hot", "mine"]);
    assert.equal(warnings.length, 2);
    assert.match(warnings.join("\n"), /models\.hot cannot be used and was skipped \(the other models still work\): the config of model 'hot' \(.*project\/config\/config\.yaml\) is invalid:\n  - temperature must be a number from 0 to 1 \(got 7\)/);
    assert.throws(() => getModelConfig(config, "hot"), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /model 'hot' \(.*config\.yaml\) is invalid:\n  - temperature must be a number from 0 to 1 \(got 7\)/);
      return true;
    });
    // The user's default is the invalid one: using the default says why, naming the setting.
    assert.equal(config.llmName, "mine");
    assert.throws(() => config.llm, /model 'mine' \(.*home\/\.minion\/config\.yaml\) is invalid:\n  - top_k must be a whole number of at least 0/);
    assert.match(JSON.stringify(config), /"invalidModels":\{"mine":"the config of model 'mine'.*"hot":"the config of model 'hot'/);
  });

  it("uses MINION_CONFIG as the project file and fails clearly when it is missing", async () => {
    const { root, cwd, home } = sandbox({ "elsewhere.yaml": "models:\n  e: {api_type: bedrock}\n" });
    const config = await loadConfig({ cwd, homeDir: home, env: { MINION_CONFIG: join(root, "elsewhere.yaml") } });
    assert.deepEqual(Object.keys(config.models), ["e"]);
    await assert.rejects(loadConfig({ cwd, homeDir: home, env: {}, configPath: join(root, "nope.yaml") }), /nope\.yaml does not exist/);
  });

  it("with no project or user config, the package's own config/config.yaml serves", async () => {
    const { cwd, home } = sandbox({});
    const config = await loadConfig({ cwd, homeDir: home, env: {} });
    assert.deepEqual(config.files, [PACKAGE_CONFIG_PATH]);
    assert.equal(PACKAGE_CONFIG_PATH, fileURLToPath(new URL("../../config/config.yaml", import.meta.url)));
    assert.equal(config.llmName, "local");
    assert.equal(config.llm.endpoint, "emulator");
    assert.ok(Object.hasOwn(config.models, "claude-3-5-sonnet-bedrock-async"));
  });

  it("the package default is not mixed into a project's or user's config", async () => {
    const { cwd, home } = sandbox({ "home/.minion/config.yaml": "models:\n  mine: {api_type: bedrock}\n" });
    const config = await loadConfig({ cwd, homeDir: home, env: {} });
    assert.deepEqual(Object.keys(config.models), ["mine"]);
    assert.ok(!config.files.includes(PACKAGE_CONFIG_PATH));
  });

  it("with no config at all and packageDefault: false, loads empty and says so when the default model is needed", async () => {
    const { cwd, home } = sandbox({});
    const config = await loadConfig({ cwd, homeDir: home, env: {}, packageDefault: false });
    assert.deepEqual(config.models, {});
    assert.throws(() => config.llm, /No default model: no config file was found/);
  });

  it("getModelConfig lists the known names for an unknown one", async () => {
    const { cwd, home } = sandbox({ "project/config/config.yaml": "models:\n  a: {api_type: bedrock}\n  b: {api_type: bedrock}\n" });
    const config = await loadConfig({ cwd, homeDir: home, env: {} });
    assert.equal(getModelConfig(config, "b").name, "b");
    assert.throws(() => getModelConfig(config, "c"), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /Unknown model 'c'\. Known models: a, b/);
      return true;
    });
  });

  it("never shows credentials when the whole config is printed", async () => {
    const { cwd, home } = sandbox({
      "project/config/config.yaml":
        "environment:\n  AWS_SECRET_ACCESS_KEY: s3cr3t-env-value\nmodels:\n  m:\n    api_type: bedrock\n    access_key_id: AKIAIOSFODNN7EXAMPLE\n    secret_access_key: s3cr3t-model-value\n",
    });
    const config = await loadConfig({ cwd, homeDir: home, env: {}, trustProjectConfig: true });
    for (const text of [JSON.stringify(config), inspect(config, { depth: 10 })]) {
      assert.ok(!text.includes("s3cr3t"), text);
      assert.ok(!text.includes("AKIAIOSFODNN7EXAMPLE"));
    }
  });
});
