export { runBatch, DEFAULT_CONCURRENCY, type RunBatchOptions, type BatchSummary } from "./run-batch.js";
export { planBatch, BATCH_PRICE_FACTOR, type PlanBatchOptions, type BatchPlan, type CostEstimate } from "./plan-batch.js";
export type { BatchProgress } from "./batch-progress.js";
export type { BatchRecord, BatchRecordError } from "./batch-record.js";
export type { BatchId } from "./batch-request.js";
export { BatchInputError, BatchOutputError, type InputProblem } from "./batch-errors.js";
export {
  runBedrockBatch,
  stopBedrockBatch,
  DEFAULT_POLL_INTERVAL_MS,
  type RunBedrockBatchOptions,
  type StopBedrockBatchOptions,
  type BedrockBatchSummary,
} from "./bedrock/run-bedrock-batch.js";
export { DEFAULT_BEDROCK_BATCH_LIMITS, type BedrockBatchLimits } from "./bedrock/bedrock-batch-limits.js";
export { BedrockBatchError, BedrockBatchJobError, BedrockBatchWatchError } from "./bedrock/bedrock-batch-errors.js";
export { DEFAULT_MAX_FAILED_POLLS } from "./bedrock/poll-batch-job.js";
export { manifestCounts, type BatchManifest } from "./bedrock/batch-manifest.js";
export { MAX_OUTPUT_LINE_BYTES } from "./bedrock/collect-batch-results.js";
