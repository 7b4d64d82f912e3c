/** A record's modelOutput is read by its job type's decoder, every field checked: a hostile one throws, never passes. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { modelOutputParts } from "../../../src/batch/bedrock/decode-model-output.js";

const converse = {
  output: { message: { role: "assistant", content: [{ text: "Hello END" }] } },
  stopReason: "stop_sequence",
  usage: { inputTokens: 5, outputTokens: 2, totalTokens: 7 },
};

describe("modelOutputParts", () => {
  it("reads a Converse response, naming the one stop sequence sent (Converse does not say which matched)", () => {
    const parts = modelOutputParts("Converse", converse, ["END"]);
    assert.deepEqual(parts.find((part) => part.type === "text"), { type: "text", blockIndex: 0, text: "Hello END" });
    assert.deepEqual(parts.at(-1), { type: "finish", stopReason: "stop_sequence", stopSequence: "END" });
    assert.deepEqual(modelOutputParts("Converse", converse, ["END", "STOP"]).at(-1), { type: "finish", stopReason: "stop_sequence", stopSequence: null });
  });

  it("reads an InvokeModel (Anthropic) body", () => {
    const parts = modelOutputParts("InvokeModel", { id: "msg_1", content: [{ type: "text", text: "Hi" }], stop_reason: "end_turn", usage: { input_tokens: 3, output_tokens: 1 } }, []);
    assert.ok(parts.some((part) => part.type === "text" && part.text === "Hi"));
  });

  it("throws, naming the field, on output that is not the job type's", () => {
    for (const output of [null, "text", [1], 42]) assert.throws(() => modelOutputParts("Converse", output, []), /modelOutput is not a JSON object/);
    assert.throws(() => modelOutputParts("Converse", { output: { message: { content: "not a list" } }, stopReason: "end_turn" }, []), /output\.message\.content/);
    assert.throws(() => modelOutputParts("Converse", { ...converse, stopReason: 7 }, []), /stopReason/);
    // An Anthropic body in a Converse job (or the reverse) is not read as an answer.
    assert.throws(() => modelOutputParts("Converse", { content: [{ type: "text", text: "Hi" }], usage: { input_tokens: 1, output_tokens: 1 } }, []), /output/);
  });
});
