/** The output line of one request: its answer, usage and cost, or the error it failed with for good. */
import { CostManager } from "../providers/cost-manager.js";
import { findModelPrice } from "../providers/prices/find-model-price.js";
import type { ChatCompletion, ChatCompletionUsage } from "../schema/chat-completion.js";
import { BedrockServiceError, MinionError, ProviderError } from "../schema/errors.js";
import type { ToolCall } from "../schema/message.js";
import type { BatchId } from "./batch-request.js";

export interface BatchRecordError {
  /** The error class, e.g. "BedrockServiceError", "InvalidRequestError", "TimeoutError". */
  name: string;
  code?: string;
  /** The AWS error name, e.g. "ThrottlingException" or "ValidationException". */
  awsName?: string;
  status?: number;
  retryable: boolean;
  message: string;
}

export interface BatchRecord {
  id: BatchId;
  output?: string | null;
  /** The validated object, when the input line gave a `schema`. */
  object?: unknown;
  tool_calls?: ToolCall[];
  finish_reason?: string;
  usage?: ChatCompletionUsage;
  /** USD at on-demand prices (0 for a model missing from the price table). */
  cost?: number;
  /** How many times the runner sent the request (the provider's own retries are inside each attempt). */
  attempts: number;
  error?: BatchRecordError;
}

export function successRecord(id: BatchId, model: string, completion: ChatCompletion, attempts: number, object?: unknown): BatchRecord {
  const choice = completion.choices[0];
  return {
    id,
    output: choice?.message.content ?? null,
    ...(object !== undefined ? { object } : {}),
    ...(choice?.message.tool_calls?.length ? { tool_calls: choice.message.tool_calls } : {}),
    ...(choice ? { finish_reason: choice.finish_reason } : {}),
    usage: completion.usage,
    cost: usageCost(model, completion.usage),
    attempts,
  };
}

export function errorRecord(id: BatchId, error: unknown, attempts: number): BatchRecord {
  return { id, attempts, error: describeError(error) };
}

const MAX_MESSAGE_LENGTH = 2000;

/** The library's errors carry messages written to be shown (no credentials); anything else is cut short. */
export function describeError(error: unknown): BatchRecordError {
  const message = error instanceof Error ? error.message : String(error);
  const base: BatchRecordError = {
    name: error instanceof Error ? error.name : "Error",
    retryable: error instanceof ProviderError ? error.retryable : false,
    message: message.length > MAX_MESSAGE_LENGTH ? `${message.slice(0, MAX_MESSAGE_LENGTH)}...` : message,
  };
  if (error instanceof MinionError) base.code = error.code;
  if (error instanceof BedrockServiceError) {
    base.awsName = error.awsName;
    if (error.status !== undefined) base.status = error.status;
  }
  return base;
}

/** Cost of one call, priced like the provider's running total. */
export function usageCost(model: string, usage: ChatCompletionUsage): number {
  if (!findModelPrice(model)) return 0;
  const costs = new CostManager();
  costs.update({
    model,
    promptTokens: usage.prompt_tokens,
    completionTokens: usage.completion_tokens,
    cacheReadTokens: usage.cache_read_input_tokens ?? 0,
    cacheWriteTokens: usage.cache_write_input_tokens ?? 0,
  });
  return costs.snapshot().totalCost;
}
