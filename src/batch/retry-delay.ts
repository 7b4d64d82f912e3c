/** When and whether the runner sends a failed request again (on top of the provider's own retries). */
import { BedrockServiceError } from "../schema/errors.js";

const THROTTLE_NAMES = new Set(["ThrottlingException", "TooManyRequestsException", "ServiceQuotaExceededException"]);
const MAX_DELAY_MS = 60_000;

/** A throttling answer: the account's quota is the limit, so the runner sends less at once. */
export function isThrottle(error: unknown): boolean {
  return error instanceof BedrockServiceError && (THROTTLE_NAMES.has(error.awsName) || error.status === 429);
}

/** Exponential backoff with full jitter: uniform in [base * 2^(attempt-1) / 2, base * 2^(attempt-1)]. */
export function retryDelay(baseMs: number, attempt: number): number {
  const ceiling = Math.min(MAX_DELAY_MS, baseMs * 2 ** (attempt - 1));
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

/** Resolves after `ms`, or at once when the signal fires. */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted || ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}
