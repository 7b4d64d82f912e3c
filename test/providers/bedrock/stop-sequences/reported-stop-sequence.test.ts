import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { converseProtocol } from "../../../../src/providers/bedrock/converse/converse-protocol.js";
import { fillStopSequence } from "../../../../src/providers/bedrock/stop-sequences/reported-stop-sequence.js";
import type { MessageInput } from "../../../../src/schema/message.js";
import { invokeWith, lastBody, startHarness, streamWith, type Harness } from "../converse/protocol-harness.js";

const NOVA = "amazon.nova-pro-v1:0";
const CLAUDE = "us.anthropic.claude-3-7-sonnet-20250219-v1:0";

let harness: Harness;
before(async () => {
  harness = await startHarness({ script: { rules: [{ match: { text: "count to five" }, respond: { text: "one two three STOP four five" } }] } });
});
after(() => harness.close());

describe("the stop sequence that ended a Converse answer", () => {
  it("is asked for (/stop_sequence) and read back for Claude, streamed and not", async () => {
    const messages: MessageInput[] = [{ role: "user", content: "count to five" }];
    for (const stream of [false, true]) {
      const completion = stream ? (await streamWith(converseProtocol, harness, CLAUDE, messages, { stop: ["STOP", "END"] })).completion : await invokeWith(converseProtocol, harness, CLAUDE, messages, { stop: ["STOP", "END"] });
      const body = lastBody(harness);
      assert.deepEqual(body["inferenceConfig"].stopSequences, ["STOP", "END"]);
      assert.deepEqual(body["additionalModelResponseFieldPaths"], ["/stop_sequence"]);
      assert.equal(completion.stop_reason, "stop_sequence");
      assert.equal(completion.stop_sequence, "STOP");
      assert.equal(completion.choices[0]!.message.content, "one two three ");
    }
  });

  it("is not asked of other families; it is the one sent when exactly one was, else unknown", async () => {
    const messages: MessageInput[] = [{ role: "user", content: "count to five" }];
    const nova = await invokeWith(converseProtocol, harness, NOVA, messages, { stop: ["STOP"] });
    assert.equal(lastBody(harness)["additionalModelResponseFieldPaths"], undefined);
    assert.equal(nova.stop_sequence, "STOP");
    const novaTwo = (await streamWith(converseProtocol, harness, NOVA, messages, { stop: ["STOP", "END"] })).completion;
    assert.equal(novaTwo.stop_reason, "stop_sequence");
    assert.equal(novaTwo.stop_sequence, null);
  });

  it("is not asked for when only whitespace stops are set (they never reach the server)", async () => {
    await invokeWith(converseProtocol, harness, CLAUDE, [{ role: "user", content: "count to five" }], { stop: ["\n\n"] });
    const body = lastBody(harness);
    assert.equal(body["additionalModelResponseFieldPaths"], undefined);
    assert.equal(body["inferenceConfig"]?.stopSequences, undefined);
  });

  it("fills only a stop_sequence finish that names none", () => {
    const unnamed = { type: "finish", stopReason: "stop_sequence", stopSequence: null } as const;
    assert.deepEqual(fillStopSequence(unnamed, ["END"]), { ...unnamed, stopSequence: "END" });
    assert.deepEqual(fillStopSequence({ ...unnamed, stopSequence: "STOP" }, ["END"]), { ...unnamed, stopSequence: "STOP" });
    assert.deepEqual(fillStopSequence({ ...unnamed, stopReason: "end_turn" }, ["END"]), { ...unnamed, stopReason: "end_turn" });
    assert.deepEqual(fillStopSequence(unnamed, []), unnamed);
    const text = { type: "text", blockIndex: 0, text: "END" } as const;
    assert.deepEqual(fillStopSequence(text, ["END"]), text);
  });
});
