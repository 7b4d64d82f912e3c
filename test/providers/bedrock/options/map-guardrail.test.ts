import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { anthropicResponseToParts } from "../../../../src/providers/bedrock/anthropic/decode-anthropic-response.js";
import { anthropicEventToParts } from "../../../../src/providers/bedrock/anthropic/decode-anthropic-stream.js";
import { guardrailConverseConfig, guardrailInvokeParams, invokeGuardrailParts } from "../../../../src/providers/bedrock/options/map-guardrail.js";
import { StreamAccumulator } from "../../../../src/providers/bedrock/output/stream-accumulator.js";
import type { ModelStreamPart } from "../../../../src/providers/bedrock/output/model-stream-part.js";
import { InvalidRequestError } from "../../../../src/schema/errors.js";

describe("guardrail mapping", () => {
  it("maps the option to InvokeModel parameters and Converse guardrailConfig", () => {
    assert.deepEqual(guardrailInvokeParams({ identifier: "gr", version: "DRAFT" }), { guardrailIdentifier: "gr", guardrailVersion: "DRAFT", trace: "DISABLED" });
    assert.deepEqual(guardrailConverseConfig({ identifier: "arn:aws:bedrock:us-east-1:123456789012:guardrail/gr", version: "3", trace: true }), {
      guardrailIdentifier: "arn:aws:bedrock:us-east-1:123456789012:guardrail/gr",
      guardrailVersion: "3",
      trace: "enabled",
    });
    assert.equal(guardrailInvokeParams({ identifier: "arn:aws-us-gov:bedrock:us-gov-west-1:123456789012:guardrail/gr", version: "1" }).guardrailIdentifier, "arn:aws-us-gov:bedrock:us-gov-west-1:123456789012:guardrail/gr");
    assert.deepEqual(guardrailInvokeParams(undefined), {});
    assert.throws(() => guardrailInvokeParams({ identifier: "", version: "1" }), InvalidRequestError);
    // Bedrock's GuardrailIdentifier pattern: a header value with a line break would split the request.
    for (const identifier of ["gr\nx-injected: 1", "GR1", "gr-1", "arn:aws:bedrock:us-east-1:1:guardrail/gr", "arn:aws-\n:bedrock:us-east-1:123456789012:guardrail/gr", "x".repeat(2049)]) {
      assert.throws(() => guardrailInvokeParams({ identifier, version: "1" }), /guardrail.identifier must be the guardrail's id/, JSON.stringify(identifier.slice(0, 40)));
    }
    assert.throws(() => guardrailConverseConfig({ identifier: "gr", version: "v1" }), /DRAFT/);
  });

  it("reports an InvokeModel intervention (amazon-bedrock-guardrailAction) as content_filter with the trace", () => {
    const trace = { guardrail: { inputAssessment: { gr: { topicPolicy: { topics: [{ name: "x", action: "BLOCKED" }] } } } } };
    const body = {
      id: "msg_1",
      content: [{ type: "text" as const, text: "Sorry, I can't help with that." }],
      stop_reason: "end_turn",
      stop_sequence: null,
      usage: { input_tokens: 5, output_tokens: 0 },
      "amazon-bedrock-guardrailAction": "INTERVENED",
      "amazon-bedrock-trace": trace,
    };
    for (const parts of [anthropicResponseToParts(body), [...anthropicEventToParts({ type: "message_delta", delta: { stop_reason: "end_turn" } }), ...invokeGuardrailParts({ type: "message_stop", ...body })]]) {
      const accumulator = new StreamAccumulator("m", []);
      parts.forEach((part: ModelStreamPart) => accumulator.push(part));
      const completion = accumulator.completion();
      assert.equal(completion.choices[0]!.finish_reason, "content_filter");
      assert.equal(completion.stop_reason, "guardrail_intervened");
      assert.deepEqual(completion.trace, trace);
    }
    assert.deepEqual(invokeGuardrailParts({ "amazon-bedrock-guardrailAction": "NONE" }), []);
  });

  it("keeps thinking signatures and redacted thinking from a non-streamed InvokeModel answer", () => {
    const accumulator = new StreamAccumulator("m", []);
    anthropicResponseToParts({
      content: [
        { type: "thinking", thinking: "hmm", signature: "sig" },
        { type: "redacted_thinking", data: "ZGF0YQ==" },
        { type: "text", text: "ok" },
      ],
      stop_reason: "end_turn",
    }).forEach((part) => accumulator.push(part));
    assert.deepEqual(accumulator.completion().choices[0]!.message.thinking_blocks, [
      { type: "thinking", thinking: "hmm", signature: "sig" },
      { type: "redacted_thinking", data: "ZGF0YQ==" },
    ]);
  });
});
