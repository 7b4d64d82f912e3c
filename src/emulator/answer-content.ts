import { createHash } from "node:crypto";
import type { AnswerCitation, AnswerPlan, AnswerUsage } from "./answer-plan.js";

/** The model name Anthropic reports for a Bedrock model id, e.g. "claude-3-5-sonnet-20240620". */
export function anthropicModelName(modelId: string): string {
  const lastSegment = modelId.includes("/") ? modelId.slice(modelId.lastIndexOf("/") + 1) : modelId;
  const withoutProfile = lastSegment.replace(/^(us|eu|apac|us-gov|global|jp|au|ca)\./, "");
  const withoutProvider = withoutProfile.replace(/^anthropic\./, "");
  return withoutProvider.replace(/-v\d+(:\d+)?$/, "");
}

/** A stable message id derived from the answer (same answer -> same id), shaped like Bedrock's. */
export function messageId(plan: AnswerPlan, modelId: string): string {
  const hash = createHash("sha256").update(modelId).update(JSON.stringify(plan.blocks)).digest("base64url");
  return `msg_bdrk_01${hash.slice(0, 22)}`;
}

/** Anthropic `content` blocks for a plan. */
export function anthropicContent(plan: AnswerPlan): unknown[] {
  return plan.blocks.map((block) => {
    switch (block.type) {
      case "text":
        return block.citations ? { type: "text", text: block.text, citations: block.citations.map(anthropicCitation) } : { type: "text", text: block.text };
      case "tool_use":
        return { type: "tool_use", id: block.id, name: block.name, input: block.input };
      case "thinking":
        return { type: "thinking", thinking: block.thinking, signature: block.signature };
      case "redacted_thinking":
        return { type: "redacted_thinking", data: block.data };
    }
  });
}

/** Anthropic's `usage` object, with the cache writes (when there are any) split by TTL in `cache_creation`. */
export function anthropicUsage(usage: AnswerUsage): Record<string, unknown> {
  return {
    input_tokens: usage.inputTokens,
    cache_creation_input_tokens: usage.cacheWriteInputTokens,
    cache_read_input_tokens: usage.cacheReadInputTokens,
    ...(usage.cacheWriteInputTokens > 0 ? { cache_creation: anthropicCacheCreation(usage) } : {}),
    output_tokens: usage.outputTokens,
  };
}

export function anthropicCacheCreation(usage: AnswerUsage): Record<string, number> {
  const oneHour = Math.min(usage.cacheWrite1hInputTokens ?? 0, usage.cacheWriteInputTokens);
  return { ephemeral_5m_input_tokens: usage.cacheWriteInputTokens - oneHour, ephemeral_1h_input_tokens: oneHour };
}

/** A citation in Claude's Messages shape (`char_location` / `page_location`). */
export function anthropicCitation(citation: AnswerCitation): Record<string, unknown> {
  const common = { cited_text: citation.citedText, document_index: citation.documentIndex, document_title: citation.title };
  return citation.location.kind === "char"
    ? { type: "char_location", ...common, start_char_index: citation.location.start, end_char_index: citation.location.end }
    : { type: "page_location", ...common, start_page_number: citation.location.start, end_page_number: citation.location.end };
}

/** A citation in Converse's `Citation` shape (location union `documentChar` / `documentPage`). */
export function converseCitation(citation: AnswerCitation): Record<string, unknown> {
  const where = { documentIndex: citation.documentIndex, start: citation.location.start, end: citation.location.end };
  return {
    title: citation.title,
    sourceContent: [{ text: citation.citedText }],
    location: citation.location.kind === "char" ? { documentChar: where } : { documentPage: where },
  };
}

/** Converse `ContentBlock`s for a plan. */
export function converseContent(plan: AnswerPlan): unknown[] {
  return plan.blocks.map((block) => {
    switch (block.type) {
      case "text":
        return block.citations ? { citationsContent: { content: [{ text: block.text }], citations: block.citations.map(converseCitation) } } : { text: block.text };
      case "tool_use":
        return { toolUse: { toolUseId: block.id, name: block.name, input: block.input } };
      case "thinking":
        return { reasoningContent: { reasoningText: { text: block.thinking, signature: block.signature } } };
      case "redacted_thinking":
        return { reasoningContent: { redactedContent: Buffer.from(block.data, "utf8").toString("base64") } };
    }
  });
}

/**
 * Converse `usage` (TokenUsage); totalTokens counts input, output and cache tokens. `cacheDetails` splits the
 * cache writes by TTL, 1h before 5m, when there are writes.
 */
export function converseUsage(usage: AnswerUsage): Record<string, unknown> {
  const out: Record<string, unknown> = {
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    totalTokens: usage.inputTokens + usage.outputTokens + usage.cacheReadInputTokens + usage.cacheWriteInputTokens,
    cacheReadInputTokens: usage.cacheReadInputTokens,
    cacheWriteInputTokens: usage.cacheWriteInputTokens,
  };
  if (usage.cacheWriteInputTokens > 0) {
    const split = anthropicCacheCreation(usage);
    out["cacheDetails"] = [
      { ttl: "1h", inputTokens: split["ephemeral_1h_input_tokens"]! },
      { ttl: "5m", inputTokens: split["ephemeral_5m_input_tokens"]! },
    ].filter((detail) => detail.inputTokens > 0);
  }
  return out;
}

/** `additionalModelResponseFields` for the paths a Converse request asked for (only /stop_sequence is known). */
export function additionalResponseFields(body: unknown, plan: AnswerPlan): Record<string, unknown> | undefined {
  const paths = (body as { additionalModelResponseFieldPaths?: unknown } | null)?.additionalModelResponseFieldPaths;
  if (!Array.isArray(paths) || !paths.includes("/stop_sequence")) return undefined;
  return { stop_sequence: plan.stopSequence };
}

/**
 * InvokeModel's guardrail fields (body, or the final stream event): `amazon-bedrock-guardrailAction` when a
 * guardrail was applied, and `amazon-bedrock-trace` when the request asked for a trace
 * (`X-Amzn-Bedrock-Trace: ENABLED` or `ENABLED_FULL`).
 */
export function invokeGuardrailFields(plan: AnswerPlan, headers: Record<string, string>): Record<string, unknown> {
  if (!plan.guardrail) return {};
  const fields: Record<string, unknown> = { "amazon-bedrock-guardrailAction": plan.guardrail.action };
  const traceHeader = (headers["x-amzn-bedrock-trace"] ?? "").toUpperCase();
  if (plan.guardrail.trace && traceHeader.startsWith("ENABLED")) fields["amazon-bedrock-trace"] = { guardrail: plan.guardrail.trace };
  return fields;
}

/** Converse's `trace`, when the plan carries a guardrail trace. */
export function converseTrace(plan: AnswerPlan): Record<string, unknown> | undefined {
  return plan.guardrail?.trace ? { guardrail: plan.guardrail.trace } : undefined;
}
