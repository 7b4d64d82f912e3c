/**
 * `--dry-run`: what a batch would send and cost, without sending anything (the output is only read).
 * Input tokens are estimated at 4 characters a token (text only). Output tokens are the `max_tokens` of each
 * request (an upper bound) unless the caller gives an expected count per request. Bedrock Batch Inference
 * is priced at 50% of on-demand (see docs/batch.md for the source).
 */
import { findModelPrice } from "../providers/prices/find-model-price.js";
import { BatchInputError } from "./batch-errors.js";
import { readDoneIds } from "./read-done-ids.js";
import { scanInput } from "./scan-input.js";

export const BATCH_PRICE_FACTOR = 0.5;

export interface PlanBatchOptions {
  input: string;
  output: string;
  /** The model id requests go to (for its price). */
  model: string;
  /** Expected output tokens per request; default: each request's max_tokens, else `defaultMaxTokens`. */
  outputTokensPerRequest?: number;
  /** The model config's max_tokens, used for requests that set none. */
  defaultMaxTokens?: number;
}

export interface CostEstimate {
  input: number;
  output: number;
  total: number;
}

export interface BatchPlan {
  total: number;
  /** Already in the output (skipped by a run). */
  skipped: number;
  /** Requests a run would send. */
  requests: number;
  inputTokens: number;
  /** Undefined when some requests have no max_tokens and no expected count was given. */
  outputTokens: number | undefined;
  /** Whether outputTokens is an upper bound (max_tokens) rather than an expectation. */
  outputIsUpperBound: boolean;
  /** Undefined when the model is not in the price table. */
  onDemand: CostEstimate | undefined;
  bedrockBatch: CostEstimate | undefined;
}

export async function planBatch(options: PlanBatchOptions): Promise<BatchPlan> {
  const done = await readDoneIds(options.output, { repair: false });
  const scan = await scanInput(options.input, done.ids);
  if (scan.problemCount > 0) throw new BatchInputError(options.input, scan.problems, scan.problemCount);
  const outputTokens = expectedOutput(options, scan.pending, scan.pendingMaxOutputTokens, scan.unboundedRequests);
  const match = findModelPrice(options.model);
  const onDemand = match ? estimate(scan.pendingInputTokens, outputTokens ?? 0, match.price.input, match.price.output, 1) : undefined;
  const bedrockBatch = match ? estimate(scan.pendingInputTokens, outputTokens ?? 0, match.price.input, match.price.output, BATCH_PRICE_FACTOR) : undefined;
  return {
    total: scan.total,
    skipped: scan.total - scan.pending,
    requests: scan.pending,
    inputTokens: scan.pendingInputTokens,
    outputTokens,
    outputIsUpperBound: options.outputTokensPerRequest === undefined,
    onDemand,
    bedrockBatch,
  };
}

function expectedOutput(options: PlanBatchOptions, pending: number, maxTokens: number, unbounded: number): number | undefined {
  if (options.outputTokensPerRequest !== undefined) return options.outputTokensPerRequest * pending;
  if (unbounded === 0) return maxTokens;
  return options.defaultMaxTokens === undefined ? undefined : maxTokens + unbounded * options.defaultMaxTokens;
}

function estimate(inputTokens: number, outputTokens: number, inputPrice: number, outputPrice: number, factor: number): CostEstimate {
  const input = ((inputTokens * inputPrice) / 1_000_000) * factor;
  const output = ((outputTokens * outputPrice) / 1_000_000) * factor;
  return { input, output, total: input + output };
}
