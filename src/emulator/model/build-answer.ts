import type { AnswerBlock, AnswerPlan, AnswerTiming, AnswerUsage, Operation, Plan, StopReason } from "../answer-plan.js";
import { STREAMING_OPERATIONS } from "../answer-plan.js";
import { applyLimits } from "./apply-limits.js";
import { builtinAnswer, redactedThinkingBlock, requestSeed, thinkingBlock } from "./builtin-model.js";
import { citedBlocks } from "./cite-documents.js";
import type { Conversation } from "./conversation.js";
import { inputTokens, outputTokens, promptSegments } from "./count-tokens.js";
import { faultWithoutStream, makeStreamFault, type RateFaults } from "./faults.js";
import { GUARDRAIL_BLOCKED_MESSAGE, answerTriggersGuardrail, guardrailIntervenes, guardrailTrace } from "./guardrail.js";
import type { PromptCache } from "./prompt-cache.js";
import { errorPlan } from "./request-rejected.js";
import type { ScriptRespond } from "./script-schema.js";
import { toolUseId } from "./tool-use-id.js";

/** Everything needed to turn a validated request (and maybe a scripted response) into a plan. */
export interface AnswerContext {
  operation: Operation;
  /** Scope of the prompt cache: prefixes are cached per model. */
  cacheScope: string;
  conversation: Conversation;
  respond: ScriptRespond | null;
  timing: AnswerTiming;
  cache: PromptCache;
  rates: RateFaults;
  /** Retry-After for throttling errors a script asks for without giving one. */
  retryAfterSeconds: number;
}

export function buildAnswer(context: AnswerContext): Plan {
  const { respond, conversation } = context;
  const timing = scriptedTiming(context.timing, respond);
  if (respond?.error) {
    const plan = errorPlan(respond.error.name, respond.error.message, respond.error.status);
    if (respond.error.name === "ThrottlingException") plan.retryAfterSeconds = respond.retryAfterSeconds ?? context.retryAfterSeconds;
    return { ...plan, timing: { firstByteLatencyMs: timing.firstByteLatencyMs } };
  }
  if (respond?.connectionFault) return { kind: "connection_fault", type: respond.connectionFault };
  if (guardrailIntervenes(conversation)) return guardrailAnswer(context, timing);
  const answered = answerBlocks(conversation, respond);
  const cited = answered.some((block) => block.type === "tool_use") ? [] : citedBlocks(conversation);
  const limited = applyLimits([...answered, ...cited], conversation.maxTokens, conversation.stopSequences, respond?.stopReason);
  if (answerTriggersGuardrail(conversation, limited.blocks)) {
    return { ...guardrailAnswer(context, timing, "output"), usage: usageOf(context, limited.blocks) };
  }
  const plan: AnswerPlan = {
    kind: "answer",
    blocks: limited.blocks,
    stopReason: limited.stopReason,
    stopSequence: limited.stopSequence,
    usage: { ...usageOf(context, limited.blocks), ...respond?.usage },
    timing,
  };
  if (conversation.guardrail) plan.guardrail = { action: "NONE" };
  return attachFault(context, plan, respond);
}

function answerBlocks(conversation: Conversation, respond: ScriptRespond | null): AnswerBlock[] {
  if (!respond || (respond.text === undefined && respond.toolCalls === undefined && respond.thinking === undefined && respond.redactedThinking === undefined)) {
    return builtinAnswer(conversation);
  }
  const blocks: AnswerBlock[] = [];
  if (respond.thinking !== undefined) blocks.push(thinkingBlock(respond.thinking));
  if (respond.redactedThinking !== undefined) blocks.push(redactedThinkingBlock(respond.redactedThinking));
  if (respond.text !== undefined && respond.text.length > 0) blocks.push({ type: "text", text: respond.text });
  const seed = requestSeed(conversation);
  respond.toolCalls?.forEach((call, index) => {
    blocks.push({ type: "tool_use", id: call.id ?? toolUseId(conversation.format, seed, index), name: call.name, input: call.input });
  });
  return blocks;
}

function usageOf(context: AnswerContext, blocks: AnswerBlock[]): AnswerUsage {
  const segments = promptSegments(context.conversation);
  const total = inputTokens(context.conversation);
  const cached = context.cache.use(context.cacheScope, segments);
  return {
    inputTokens: total - cached.cacheReadInputTokens - cached.cacheWriteInputTokens,
    outputTokens: outputTokens(blocks),
    ...cached,
  };
}

function guardrailAnswer(context: AnswerContext, timing: AnswerTiming, on: "input" | "output" = "input"): AnswerPlan {
  const usage = on === "input" ? usageOf(context, []) : zeroUsage();
  return {
    kind: "answer",
    blocks: [{ type: "text", text: GUARDRAIL_BLOCKED_MESSAGE }],
    stopReason: "guardrail_intervened" satisfies StopReason,
    stopSequence: null,
    usage,
    timing,
    guardrail: guardrailTrace(context.conversation, on),
  };
}

function zeroUsage(): AnswerUsage {
  return { inputTokens: 0, outputTokens: 0, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 };
}

function scriptedTiming(base: AnswerTiming, respond: ScriptRespond | null): AnswerTiming {
  return {
    firstByteLatencyMs: respond?.firstByteLatencyMs ?? base.firstByteLatencyMs,
    chunkDelayMs: respond?.chunkDelayMs ?? base.chunkDelayMs,
    chunksPerAnswer: respond?.chunksPerAnswer ?? base.chunksPerAnswer,
  };
}

function attachFault(context: AnswerContext, plan: AnswerPlan, respond: ScriptRespond | null): Plan {
  const scripted = respond?.fault ? makeStreamFault(respond.fault.type, respond.fault.afterChunks, respond.fault.name, respond.fault.message) : undefined;
  const fault = scripted ?? context.rates.streamFault(context.operation, plan.timing.chunksPerAnswer);
  if (!fault) return plan;
  if (STREAMING_OPERATIONS.has(context.operation)) return { ...plan, fault };
  return faultWithoutStream(fault) ?? plan;
}
