/**
 * The job's manifest.json.out, read as untrusted: only Bedrock's six counts are kept, each only when it is a
 * whole number from 0 to Number.MAX_SAFE_INTEGER (a string, a negative, a fraction, 1e400 or NaN is dropped),
 * so a hostile or corrupt manifest can never put a wrong figure in the summary.
 */
export interface BatchManifest {
  totalRecordCount?: number;
  processedRecordCount?: number;
  successRecordCount?: number;
  errorRecordCount?: number;
  inputTokenCount?: number;
  outputTokenCount?: number;
}

const COUNT_FIELDS = ["totalRecordCount", "processedRecordCount", "successRecordCount", "errorRecordCount", "inputTokenCount", "outputTokenCount"] as const;

/** The manifest is a few hundred bytes; anything far larger is not Bedrock's and is not read whole. */
export const MAX_MANIFEST_BYTES = 64 * 1024;

export function manifestCounts(value: unknown): BatchManifest | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  const manifest: BatchManifest = {};
  for (const field of COUNT_FIELDS) {
    const count = (value as Record<string, unknown>)[field];
    if (typeof count === "number" && Number.isSafeInteger(count) && count >= 0) manifest[field] = count;
  }
  return manifest;
}

/** The manifest's counts from its text, or undefined when it is not a JSON object. */
export function parseManifest(text: string): BatchManifest | undefined {
  try {
    return manifestCounts(JSON.parse(text));
  } catch {
    return undefined;
  }
}
