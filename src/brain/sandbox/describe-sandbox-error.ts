/** Turns what went wrong inside the sandbox into a readable SandboxRunError (with hints for the model). */
import type { SandboxLimits, SandboxRunError, ToolCallLimits } from "./sandbox-types.js";

/** What the sandbox deliberately lacks, with the hint shown when code reaches for it. */
const MISSING_CAPABILITIES: Array<[RegExp, string]> = [
  [/\b(require|module|exports)\b/, "modules cannot be loaded"],
  [/\bprocess\b/, "there is no process object"],
  [/\b(fetch|XMLHttpRequest|WebSocket)\b/, "there is no network access"],
  [/\b(setTimeout|setInterval|setImmediate|queueMicrotask)\b/, "there are no timers"],
  [/\b(fs|Deno|Bun)\b/, "there is no file system"],
];

const SANDBOX_NOTE =
  "The sandbox is a bare JavaScript engine: no require/import, process, file system, network or timers; use the provided functions instead.";

/** What the prelude reports of an error the code threw: its name and message, both already strings. */
export interface RawGuestError {
  name: string;
  message: string;
}

export function describeGuestError(raw: RawGuestError, limits: Pick<SandboxLimits, "memoryLimitBytes">): SandboxRunError {
  const { name, message } = raw;
  if (name === "InternalError" && /out of memory/i.test(message)) return memoryError(limits.memoryLimitBytes);
  if (/stack overflow/i.test(message)) {
    return { kind: "stack", name, message: `${name}: ${message} (the sandbox's stack limit was reached; avoid deep recursion)`, limit: "maxStackBytes" };
  }
  return { kind: "exception", name, message: `${name}: ${message}${hintFor(name, message)}` };
}

function hintFor(name: string, message: string): string {
  const reachedForModule = /could not load module|import|module/i.test(message) && (name === "SyntaxError" || name === "ReferenceError" || name === "Error" || name === "TypeError");
  if (reachedForModule) return ` (${SANDBOX_NOTE})`;
  if (name !== "ReferenceError") return "";
  for (const [pattern, what] of MISSING_CAPABILITIES) {
    if (pattern.test(message)) return ` (${what}: ${SANDBOX_NOTE})`;
  }
  return "";
}

export function timeoutError(timeoutMs: number): SandboxRunError {
  return {
    kind: "timeout",
    name: "SandboxLimitError",
    message: `The code ran longer than the sandbox time limit of ${timeoutMs} ms and was stopped (an endless loop?).`,
    limit: "timeoutMs",
  };
}

export function memoryError(limitBytes?: number): SandboxRunError {
  const limit = limitBytes === undefined ? "" : ` of ${formatBytes(limitBytes)}`;
  return {
    kind: "memory",
    name: "SandboxLimitError",
    message: `The code ran out of memory: it needed more than the sandbox memory limit${limit} and was stopped.`,
    limit: "memoryLimitBytes",
  };
}

/** The worker thread's own stack ran out inside the engine (its parser recurses past its own stack check). */
export function nativeStackError(): SandboxRunError {
  return {
    kind: "stack",
    name: "SandboxLimitError",
    message: "The code nested too deeply for the sandbox's stack (deeply nested source code or recursion) and was stopped.",
    limit: "maxStackBytes",
  };
}

export function abortedError(): SandboxRunError {
  return { kind: "aborted", name: "AbortError", message: "The run was aborted by its AbortSignal." };
}

export function engineError(detail: string): SandboxRunError {
  return { kind: "engine", name: "SandboxEngineError", message: `The sandbox engine failed and was replaced: ${detail}` };
}

export function stuckError(): SandboxRunError {
  return {
    kind: "stuck",
    name: "SandboxLimitError",
    message: "The code awaits a promise that can never settle (there are no timers or events in the sandbox) and was stopped.",
  };
}

const TOOL_LIMIT_KIND = { maxToolCalls: "tool_calls", maxConcurrentToolCalls: "tool_concurrency", maxToolBytes: "tool_bytes" } as const;

/** A tool-call cap was reached: the run ends with this error, naming the option that raises the cap. */
export function toolLimitError(limit: keyof ToolCallLimits, value: number, what: "argument" | "result" = "argument"): SandboxRunError {
  const messages = {
    maxToolCalls: `The code started more than ${value} tool calls, the sandbox's limit per run (maxToolCalls), and was stopped. Make fewer calls, e.g. ask for several items in one call.`,
    maxConcurrentToolCalls: `The code had more than ${value} tool calls running at once, the sandbox's limit (maxConcurrentToolCalls), and was stopped.`,
    maxToolBytes: `A tool ${what} was larger than ${formatBytes(value)} as JSON, the sandbox's limit (maxToolBytes), and the code was stopped. Send or ask for less data per call.`,
  };
  return { kind: TOOL_LIMIT_KIND[limit], name: "SandboxLimitError", message: messages[limit], limit };
}

/** `text` cut to at most `maxChars` characters, ending with a note of how many were cut when there is room for it. */
export function clipText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  let note = "";
  // The note takes room from the text it counts: recount until its length stops changing (a digit more at most).
  for (let previous = -1; note.length !== previous; ) {
    previous = note.length;
    note = ` [${text.length - (maxChars - note.length)} more characters cut]`;
  }
  return note.length * 2 > maxChars ? text.slice(0, maxChars) : `${text.slice(0, maxChars - note.length)}${note}`;
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MiB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KiB`;
  return `${bytes} bytes`;
}

/** A static import/export is a SyntaxError inside the function body the code runs in; say why. */
export function withModuleHint(error: SandboxRunError, code: string): SandboxRunError {
  // [ \t]*, not \s*: \s crosses line ends, so each line start would rescan the blank lines after it (quadratic).
  if (error.name !== "SyntaxError" || !/^[ \t]*(import|export)\b/m.test(code)) return error;
  return { ...error, message: `${error.message} (import/export statements are not available: the sandbox has no modules, file system, network or process; use the provided functions instead)` };
}
