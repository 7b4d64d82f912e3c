import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { runMinion, tempProject } from "./run-cli-helpers.js";

const CONFIG = `llm: local
models:
  local:
    api_type: bedrock_async
    model: anthropic.claude-3-5-haiku-20241022-v1:0
    endpoint: emulator
  nova:
    api_type: bedrock_async
    model: amazon.nova-lite-v1:0
    endpoint: emulator
  embed:
    api_type: bedrock_embedding
    model: amazon.titan-embed-text-v2:0
    endpoint: emulator
`;

describe("minion tokens", () => {
  let project: ReturnType<typeof tempProject>;
  before(() => (project = tempProject({ "project/config/config.yaml": CONFIG })));
  after(() => project.cleanup());

  it("prints Bedrock's count for a Claude model (the emulator counts 4 characters a token)", async () => {
    const prompt = "How many tokens is this?"; // 24 characters
    const result = await runMinion(["tokens", prompt, "--system", "Be brief."], project);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, `${Math.ceil(24 / 4) + Math.ceil(9 / 4)} input tokens (counted by Bedrock)\n`);
  });

  it("--json, and a prompt from stdin", async () => {
    const result = await runMinion(["tokens", "--json"], { ...project, stdin: "abcdefgh" });
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), { model: "anthropic.claude-3-5-haiku-20241022-v1:0", inputTokens: 2, estimated: false });
  });

  it("says when the figure is an estimate (a model CountTokens does not serve)", async () => {
    const result = await runMinion(["tokens", "--model", "nova", "abcdefghijkl"], project);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, "~3 input tokens (estimate: Bedrock's CountTokens supports Anthropic Claude models only, not amazon.nova-lite-v1:0; estimated at about 4 characters a token)\n");
    const json = await runMinion(["tokens", "--model", "nova", "--json", "abcd"], project);
    assert.equal(JSON.parse(json.stdout).estimated, true);
  });

  it("rejects a missing prompt and a model that cannot count, with exit code 1", async () => {
    const none = await runMinion(["tokens"], project);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /tokens needs a prompt/);
    const embed = await runMinion(["tokens", "--model", "embed", "hi"], project);
    assert.equal(embed.code, 1);
    assert.match(embed.stderr, /Unknown api_type "bedrock_embedding" of model .embed./);
  });
});
