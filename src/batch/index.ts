export { runBatch, DEFAULT_CONCURRENCY, type RunBatchOptions, type BatchSummary } from "./run-batch.js";
export { planBatch, BATCH_PRICE_FACTOR, type PlanBatchOptions, type BatchPlan, type CostEstimate } from "./plan-batch.js";
export type { BatchProgress } from "./batch-progress.js";
export type { BatchRecord, BatchRecordError } from "./batch-record.js";
export type { BatchId } from "./batch-request.js";
export { BatchInputError, BatchOutputError, type InputProblem } from "./batch-errors.js";
