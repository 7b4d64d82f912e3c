import type { AnswerPlan } from "./answer-plan.js";
import {
  additionalResponseFields,
  anthropicContent,
  anthropicModelName,
  anthropicUsage,
  converseContent,
  converseTrace,
  converseUsage,
  invokeGuardrailFields,
  messageId,
} from "./answer-content.js";

import { converseKnobEcho, invokeKnobEchoHeaders } from "./echo-request-knobs.js";

export interface RenderedJson {
  body: Buffer;
  headers: Record<string, string>;
}

/** InvokeModel: the Anthropic Messages response plus Bedrock's x-amzn-bedrock-* headers. */
export function renderInvokeModel(plan: AnswerPlan, modelId: string, latencyMs: number, requestHeaders: Record<string, string>): RenderedJson {
  const body = {
    id: messageId(plan, modelId),
    type: "message",
    role: "assistant",
    model: anthropicModelName(modelId),
    content: anthropicContent(plan),
    stop_reason: plan.stopReason,
    stop_sequence: plan.stopSequence,
    usage: anthropicUsage(plan.usage),
    ...invokeGuardrailFields(plan, requestHeaders),
  };
  return {
    body: Buffer.from(JSON.stringify(body)),
    headers: {
      "content-type": "application/json",
      "x-amzn-bedrock-input-token-count": String(plan.usage.inputTokens),
      "x-amzn-bedrock-output-token-count": String(plan.usage.outputTokens),
      "x-amzn-bedrock-cache-read-input-token-count": String(plan.usage.cacheReadInputTokens),
      "x-amzn-bedrock-cache-write-input-token-count": String(plan.usage.cacheWriteInputTokens),
      "x-amzn-bedrock-invocation-latency": String(latencyMs),
      ...invokeKnobEchoHeaders(requestHeaders),
    },
  };
}

/** Converse: output.message, stopReason, usage, metrics and (when the plan has a guardrail trace) trace.guardrail. */
export function renderConverse(plan: AnswerPlan, requestBody: unknown, latencyMs: number): RenderedJson {
  const body: Record<string, unknown> = {
    output: { message: { role: "assistant", content: converseContent(plan) } },
    stopReason: plan.stopReason,
    usage: converseUsage(plan.usage),
    metrics: { latencyMs },
    ...converseKnobEcho(requestBody),
  };
  const additional = additionalResponseFields(requestBody, plan);
  if (additional) body["additionalModelResponseFields"] = additional;
  const trace = converseTrace(plan);
  if (trace) body["trace"] = trace;
  return { body: Buffer.from(JSON.stringify(body)), headers: { "content-type": "application/json" } };
}

/** CountTokens: `{"inputTokens": N}`. */
export function renderCountTokens(plan: AnswerPlan): RenderedJson {
  const tokens = plan.countTokens ?? plan.usage.inputTokens + plan.usage.cacheReadInputTokens + plan.usage.cacheWriteInputTokens;
  return { body: Buffer.from(JSON.stringify({ inputTokens: tokens })), headers: { "content-type": "application/json" } };
}
