/**
 * Token counts as reported by a service are untrusted input: a count that is not a whole number from 0 to
 * Number.MAX_SAFE_INTEGER (negative, fractional, NaN, Infinity, 1e308, a string) is rejected and counted as
 * 0, with one warning per process (code MINION_INVALID_USAGE), so that totals and costs stay finite.
 */
import { warnOnce } from "../config/warn-once.js";

export function tokenCount(value: unknown, field: string, warn?: (message: string) => void): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return value;
  warnOnce(
    "invalid-usage",
    `The service reported an invalid token count for ${field} (${describe(value)}); it is counted as 0. ` +
      "Token counts must be whole numbers from 0 to 2^53-1; costs may be under-reported for this call.",
    "MINION_INVALID_USAGE",
    warn,
  );
  return 0;
}

function describe(value: unknown): string {
  if (typeof value !== "number") return `a ${typeof value}, not a number`;
  if (Number.isNaN(value)) return "NaN";
  if (value < 0) return "a negative number";
  if (!Number.isFinite(value) || value > Number.MAX_SAFE_INTEGER) return "too large to be a token count";
  return "not a whole number";
}
