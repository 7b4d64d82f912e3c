/** Default sandbox limits and their validation. */
import { InvalidRequestError } from "../../schema/errors.js";
import type { SandboxLimits, ToolCallLimits } from "./sandbox-types.js";

export const DEFAULT_SANDBOX_LIMITS: Readonly<Required<SandboxLimits>> = Object.freeze({
  timeoutMs: 5_000,
  memoryLimitBytes: 64 * 1024 * 1024,
  maxStackBytes: 256 * 1024,
  maxOutputChars: 20_000,
  maxToolCalls: 100,
  maxConcurrentToolCalls: 8,
  maxToolBytes: 1024 * 1024,
});

export const TOOL_LIMIT_KEYS = ["maxToolCalls", "maxConcurrentToolCalls", "maxToolBytes"] as const satisfies ReadonlyArray<keyof ToolCallLimits>;

/**
 * QuickJS's stack check measures the WebAssembly shadow stack, while deep guest recursion also consumes the
 * worker's native stack; above this size that stack could overflow before QuickJS notices.
 */
export const MAX_STACK_BYTES = 256 * 1024;

const INTEGER_LIMITS = new Set<keyof SandboxLimits>(["maxToolCalls", "maxConcurrentToolCalls", "maxToolBytes", "maxOutputChars"]);

/** `base` with every limit `over` sets, each checked (a positive number; counts are integers). */
export function resolveLimits(base: Readonly<Required<SandboxLimits>>, over: SandboxLimits): Required<SandboxLimits> {
  const out = { ...base };
  for (const key of Object.keys(DEFAULT_SANDBOX_LIMITS) as Array<keyof SandboxLimits>) {
    const value = over[key];
    if (value === undefined) continue;
    if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
      throw new InvalidRequestError(`Sandbox limit ${key} must be a positive number, got ${String(value)}.`);
    }
    if (INTEGER_LIMITS.has(key) && !Number.isInteger(value)) throw new InvalidRequestError(`Sandbox limit ${key} must be a whole number, got ${value}.`);
    out[key] = value;
  }
  if (out.maxStackBytes > MAX_STACK_BYTES) {
    throw new InvalidRequestError(`Sandbox limit maxStackBytes must be at most ${MAX_STACK_BYTES} (256 KiB), got ${out.maxStackBytes}.`);
  }
  return out;
}
