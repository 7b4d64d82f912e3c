/** Public types of the code sandbox (QuickJS compiled to WebAssembly, on a worker thread). */

/** Caps on what code can make the host do through its tools (also applied by the Brain's react route). */
export interface ToolCallLimits {
  /** Tool calls one run may start; the next one ends the run (kind `tool_calls`). Default 100. */
  maxToolCalls?: number;
  /**
   * Tool calls running at once. Further calls wait inside the sandbox for a free slot; the bridge refuses
   * more than this at once (kind `tool_concurrency`). Default 8.
   */
  maxConcurrentToolCalls?: number;
  /** UTF-8 bytes of each tool argument and each tool result, as JSON text (kind `tool_bytes`). Default 1 MiB. */
  maxToolBytes?: number;
}

/** Limits applied to every run; each can be overridden per run. */
export interface SandboxLimits extends ToolCallLimits {
  /** Wall-clock budget for one run (code + awaited tool calls), in milliseconds. Default 5000. */
  timeoutMs?: number;
  /** Heap limit of the run's QuickJS runtime, in bytes. Default 64 MiB. */
  memoryLimitBytes?: number;
  /** Stack limit of the run's QuickJS runtime, in bytes. Default and maximum 256 KiB. */
  maxStackBytes?: number;
  /** Characters kept of printed output, and of an error message, per run. Default 20000. */
  maxOutputChars?: number;
}

/** A Sandbox's limits, plus host functions every run gets (their names are checked when it is created). */
export interface SandboxOptions extends SandboxLimits {
  functions?: Record<string, HostFunction>;
}

/** Context handed to a host function called from the sandbox. */
export interface HostFunctionContext {
  /** Fires when the run ends (time limit, finalAnswer, abort) before the call settles. */
  signal: AbortSignal;
}

/**
 * A host function exposed inside the sandbox as an async function taking one JSON argument.
 * The argument arrives as a JSON copy; the returned value goes back as a JSON copy.
 */
export type HostFunction = (args: unknown, context: HostFunctionContext) => unknown;

export interface SandboxRunOptions extends SandboxLimits {
  /** Values defined as globals inside the sandbox (JSON copies; host objects never cross). */
  globals?: Record<string, unknown>;
  /** Async functions callable from the sandbox, e.g. tools: `await name({ ... })`. Added to the Sandbox's own. */
  functions?: Record<string, HostFunction>;
  signal?: AbortSignal;
  /**
   * false: the result's `calls` stays empty, and no call's argument or result is kept once the call is done
   * (for a caller that keeps its own, bounded trace). Default true.
   */
  keepCalls?: boolean;
}

/** Why a run failed. */
export type SandboxErrorKind =
  | "exception"
  | "timeout"
  | "memory"
  | "stack"
  | "aborted"
  | "stuck"
  | "engine"
  | "tool_calls"
  | "tool_concurrency"
  | "tool_bytes";

export interface SandboxRunError {
  kind: SandboxErrorKind;
  /** The error's name inside the sandbox (e.g. "ReferenceError"), or "SandboxLimitError". */
  name: string;
  /** A readable message, with a hint when the code reached for something the sandbox does not have. */
  message: string;
  /** For a limit: the option that sets it (e.g. "maxToolCalls"). */
  limit?: keyof SandboxLimits;
}

export interface SandboxRunResult {
  /** True when the code finished (or called finalAnswer) without an error. */
  ok: boolean;
  /** What the code printed with console.log / print (bounded). */
  output: string;
  /** Set when the run failed; a failed run has no finalAnswer. */
  error?: SandboxRunError;
  /** Set when the code called `finalAnswer(value)` and the run did not fail; `value` is a JSON copy. */
  finalAnswer?: { value: unknown };
  /** Host function calls made by the run, in call order. */
  calls: SandboxCall[];
}

export interface SandboxCall {
  name: string;
  args: unknown;
  /** The JSON copy returned to the sandbox, when the call succeeded. */
  result?: unknown;
  /** The error message given to the sandbox, when the call failed. */
  error?: string;
}
