import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createPlanner, parseScriptText } from "../../../src/emulator/model/index.js";
import { anthropicBody, asAnswer, request, textOf } from "./helpers.js";

const DOC = fileURLToPath(new URL("../../../docs/emulator-scripts.md", import.meta.url));

function yamlBlocks(): string[] {
  const text = readFileSync(DOC, "utf8");
  return [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1] as string);
}

describe("docs/emulator-scripts.md examples", () => {
  it("are all valid scripts", () => {
    const blocks = yamlBlocks();
    assert.ok(blocks.length >= 5, `found ${blocks.length} yaml blocks`);
    blocks.forEach((block, index) => {
      assert.doesNotThrow(() => parseScriptText(block, `example-${index}.yaml`), `example ${index}:\n${block}`);
    });
  });

  it("the agent-loop example answers with tool calls, then the final text", async () => {
    const block = yamlBlocks().find((text) => text.includes("It is 21°C and sunny in Paris."));
    assert.ok(block);
    const planner = createPlanner({ script: parseScriptText(block, "agent.yaml") });
    const body = anthropicBody({}, "What is the weather in Paris?");
    const first = asAnswer(await planner(request("InvokeModel", body)));
    assert.deepEqual(first.blocks.map((b) => (b.type === "tool_use" ? b.name : b.type)), ["get_weather", "get_time"]);
    const second = asAnswer(await planner(request("InvokeModel", body)));
    assert.equal(textOf(second), "It is 21°C and sunny in Paris.");
  });
});
