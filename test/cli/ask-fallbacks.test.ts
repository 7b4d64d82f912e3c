import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { runMinion, tempProject } from "./run-cli-helpers.js";

// The CLI's in-process emulator answers 404 ResourceNotFoundException for a well-formed id of no known family.
const project = tempProject({
  "project/config/config.yaml": [
    "llm: main",
    "models:",
    "  main:",
    "    api_type: bedrock_async",
    "    model: acme.rocket-v1:0",
    "    endpoint: emulator",
    "    region: us-east-1",
    "    max_attempts: 1",
    "    fallbacks: [spare]",
    "  spare:",
    "    api_type: bedrock_async",
    "    model: anthropic.claude-3-5-haiku-20241022-v1:0",
    "    endpoint: emulator",
    "    region: us-west-2",
    "",
  ].join("\n"),
});
after(() => project.cleanup());

describe("minion ask with fallbacks", () => {
  it("answers from the fallback and says on stderr why it moved on", async () => {
    const result = await runMinion(["ask", "where am I?"], project);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /You said: where am I\?/);
    assert.match(result.stderr, /minion: model 'main' failed \(ResourceNotFoundException\); trying its fallback 'spare'/);
  });

  it("streams from the fallback too", async () => {
    const result = await runMinion(["ask", "--stream", "stream it"], project);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /You said: stream it/);
    assert.match(result.stderr, /trying its fallback 'spare'/);
  });
});
