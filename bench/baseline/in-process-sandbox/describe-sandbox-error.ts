/** Turns what went wrong inside the sandbox into a readable SandboxRunError (with hints for the model). */
import type { SandboxRunError } from "./sandbox-types.js";

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

export interface RawGuestError {
  name?: unknown;
  message?: unknown;
}

export function describeGuestError(raw: RawGuestError | string | undefined): SandboxRunError {
  const name = typeof raw === "object" && raw && typeof raw.name === "string" ? raw.name : "Error";
  let message: string;
  if (typeof raw === "string") message = raw;
  else if (raw && typeof raw.message === "string") message = raw.message;
  else message = String(raw);
  if (name === "InternalError" && /out of memory/i.test(message)) return memoryError();
  if (/stack overflow/i.test(message)) {
    return { kind: "stack", name, message: `${name}: ${message} (the sandbox's stack limit was reached; avoid deep recursion)` };
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
  };
}

export function memoryError(limitBytes?: number): SandboxRunError {
  const limit = limitBytes === undefined ? "" : ` of ${formatBytes(limitBytes)}`;
  return {
    kind: "memory",
    name: "SandboxLimitError",
    message: `The code ran out of memory: it needed more than the sandbox memory limit${limit} and was stopped.`,
  };
}

export function abortedError(): SandboxRunError {
  return { kind: "aborted", name: "AbortError", message: "The run was aborted by its AbortSignal." };
}

export function stuckError(): SandboxRunError {
  return {
    kind: "stuck",
    name: "SandboxLimitError",
    message: "The code awaits a promise that can never settle (there are no timers or events in the sandbox) and was stopped.",
  };
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MiB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KiB`;
  return `${bytes} bytes`;
}
