import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { runMinion, tempProject } from "./run-cli-helpers.js";

const SECRET = "s3cr3tValueThatMustNotPrint";
const MISSPELT = "misspeltKeyValue";
// Trusted: its models bring their own (fake) keys, which a project you did not trust may not (trust-cli.test.ts).
const fixture = tempProject({
  "project/config/config.yaml": [
    "llm: work",
    "models:",
    "  work:",
    "    api_type: bedrock_async",
    "    model: anthropic.claude-3-5-sonnet-20240620-v1:0",
    "    region: eu-west-1",
    "    access_key_id: AKIAIOSFODNN7EXAMPLE",
    `    secret_access_key: ${SECRET}`,
    `    api_kye: ${MISSPELT}-1`,
    `    aws_secrte_access_kye: ${MISSPELT}-2`,
    "  envkeys:",
    "    api_type: bedrock",
    "    model: anthropic.claude-3-haiku-20240307-v1:0",
    '    access_key_id: "${MINION_TEST_UNSET_KEY}"',
    "  local:",
    "    api_type: bedrock_async",
    "    model: anthropic.claude-3-5-haiku-20241022-v1:0",
    "    endpoint: emulator",
    "",
  ].join("\n"),
  "broken/config/config.yaml": "models:\n  a:\n    api_type: x\n   model: [\n",
});
const project = { ...fixture, env: { MINION_TRUST_PROJECT_CONFIG: "1" } };
after(() => fixture.cleanup());

describe("minion models", () => {
  it("lists names, api types, model ids and the default, with no secrets", async () => {
    const result = await runMinion(["models"], project);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.split("\n");
    assert.match(lines.find((line) => line.includes(" work "))!, /^\*\s+work\s+bedrock_async\s+anthropic\.claude-3-5-sonnet-20240620-v1:0\s+eu-west-1/);
    assert.match(lines.find((line) => line.includes("envkeys"))!, /^\s+envkeys\s+bedrock\s+anthropic\.claude-3-haiku.*unset: MINION_TEST_UNSET_KEY/);
    assert.match(lines.find((line) => line.includes("local"))!, /built-in emulator/);
    assert.ok(!result.stdout.includes(SECRET) && !result.stdout.includes("AKIAIOSFODNN7EXAMPLE"));
  });

  it("--json redacts credentials, misspelt credential keys included", async () => {
    const result = await runMinion(["models", "--json"], project);
    assert.ok(!result.stdout.includes(MISSPELT), result.stdout);
    assert.match(result.stdout, /"api_kye": "\[redacted\]"/);
    assert.equal(result.code, 0, result.stderr);
    const parsed = JSON.parse(result.stdout) as { default: string; models: Record<string, Record<string, unknown>> };
    assert.equal(parsed.default, "work");
    assert.equal(parsed.models["work"]!["secretAccessKey"], "[redacted]");
    assert.equal(parsed.models["work"]!["accessKeyId"], "AKIA****");
    assert.ok(!result.stdout.includes(SECRET));
  });
});

describe("minion errors", () => {
  it("an unknown model name lists the known ones, exit code 1, no stack trace", async () => {
    const result = await runMinion(["ask", "--model", "nope", "Hello"], project);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^minion: Unknown model 'nope'\. Known models: work, envkeys, local/);
    assert.ok(!/\n\s+at /.test(result.stderr), result.stderr);
  });

  it("an unset ${VAR} is named when the model is used", async () => {
    const result = await runMinion(["ask", "--model", "envkeys", "Hello"], project);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /MINION_TEST_UNSET_KEY is not set \(used by access_key_id of model 'envkeys'\)/);
  });

  it("invalid YAML names the file and line", async () => {
    const result = await runMinion(["models"], { ...project, cwd: `${project.root}/broken` });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^minion: Invalid YAML in .*broken\/config\/config\.yaml at line 4, column 1: /);
  });

  it("an unknown command or flag is a usage error", async () => {
    const unknown = await runMinion(["frobnicate"], project);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /Unknown command "frobnicate"/);
    const inherited = await runMinion(["constructor"], project);
    assert.equal(inherited.code, 1);
    assert.match(inherited.stderr, /Unknown command "constructor"/, "a name every object has is not a command");
    const flag = await runMinion(["ask", "--bogus", "x"], project);
    assert.equal(flag.code, 1);
    assert.match(flag.stderr, /minion: Unknown option '--bogus'/);
  });

  it("--help describes the commands", async () => {
    const result = await runMinion(["--help"], project);
    assert.equal(result.code, 0);
    for (const command of ["ask", "chat", "models", "step", "emulator"]) assert.match(result.stdout, new RegExp(`^  ${command}\\b`, "m"));
  });

  it("help COMMAND prints that command's options; help of an unknown one the list of commands", async () => {
    const ask = await runMinion(["help", "ask"], project);
    assert.equal(ask.code, 0);
    assert.match(ask.stdout, /--stream/);
    const unknown = await runMinion(["help", "toString"], project);
    assert.equal(unknown.code, 0);
    assert.match(unknown.stdout, /^Usage: minion <command>/);
  });
});

describe("one invalid model entry", () => {
  const mixed = tempProject({
    "home/.minion/config.yaml": "models:\n  broken:\n    api_type: bedrock_async\n    temperature: 9\n",
    "project/config/config.yaml": "llm: local\nmodels:\n  local:\n    api_type: bedrock_async\n    model: anthropic.claude-3-5-haiku-20241022-v1:0\n    endpoint: emulator\n",
  });
  after(() => mixed.cleanup());

  it("does not stop the other models: ask works, models lists it as unusable, using it names the problem", async () => {
    const asked = await runMinion(["ask", "Hello"], mixed);
    assert.equal(asked.code, 0, asked.stderr);
    assert.ok(asked.stdout.length > 0);
    const listed = await runMinion(["models"], mixed);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /^\s+broken\s+-\s+-\s+-\s+UNUSABLE: temperature must be a number from 0 to 1 \(got 9\)$/m);
    assert.match(listed.stdout, /^\*\s+local\s+bedrock_async/m);
    const used = await runMinion(["ask", "--model", "broken", "Hello"], mixed);
    assert.equal(used.code, 1);
    assert.match(used.stderr, /minion: the config of model 'broken' \(.*\.minion\/config\.yaml\) is invalid:\n  - temperature must be a number from 0 to 1 \(got 9\)/);
  });
});
