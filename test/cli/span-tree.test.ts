import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatSpanTree, type TreeSpan } from "../../src/cli/span-tree.js";

const span = (spanId: string, parentSpanId: string | undefined, name: string, startMs: number, attributes: Record<string, unknown> = {}, error?: string): TreeSpan => ({
  name, spanId, parentSpanId, startMs, durationMs: 12.345, attributes, error,
});

describe("formatSpanTree", () => {
  it("nests children by parent, in start order, with branch lines", () => {
    const tree = formatSpanTree([
      span("t2", "root", "execute_tool lookup", 3, { "gen_ai.tool.call.id": "c1" }),
      span("root", "outside", "invoke_agent minion.brain", 0, { "minion.brain.route": "react" }),
      span("c1", "root", "chat m", 1, { "gen_ai.request.model": "m", "gen_ai.response.model": "m", "gen_ai.usage.input_tokens": 5, "gen_ai.response.finish_reasons": ["tool_calls"] }),
      span("inner", "t2", "chat other", 4, { "error.type": "ThrottlingException" }, "ThrottlingException: slow down"),
      span("c2", "root", "chat m", 9, { "gen_ai.request.model": "m", "gen_ai.response.model": "fallback-model" }),
    ]);
    assert.equal(
      tree,
      [
        "invoke_agent minion.brain  12.3 ms  route=react",
        "├─ chat m  12.3 ms  in=5  finish=tool_calls",
        "├─ execute_tool lookup  12.3 ms  call=c1",
        "│  └─ chat other  12.3 ms  error=ThrottlingException",
        "└─ chat m  12.3 ms  model=fallback-model",
      ].join("\n"),
    );
  });
});
