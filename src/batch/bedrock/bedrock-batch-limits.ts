/**
 * Bedrock Batch Inference's limits, checked before anything is submitted. These are the default service
 * quotas named in "Format and upload your batch inference data" (Bedrock user guide): "Minimum number of
 * records per batch inference job" (100), "Records per input file per batch inference job" and "Records per
 * batch inference job" (50,000), "Batch inference input file size" (1 GB) and "Batch inference job size"
 * (5 GB). They are set per model and some can be raised, so each can be overridden (see docs/batch.md).
 */
export interface BedrockBatchLimits {
  minRecords: number;
  maxRecordsPerFile: number;
  maxRecordsPerJob: number;
  maxFileBytes: number;
  maxJobBytes: number;
}

export const DEFAULT_BEDROCK_BATCH_LIMITS: Readonly<BedrockBatchLimits> = Object.freeze({
  minRecords: 100,
  maxRecordsPerFile: 50_000,
  maxRecordsPerJob: 50_000,
  maxFileBytes: 1024 ** 3,
  maxJobBytes: 5 * 1024 ** 3,
});

/** The runner writes input files of at most this size (well under the 1 GB limit), so memory stays bounded. */
export const PART_FILE_BYTES = 64 * 1024 ** 2;
