/**
 * Runs untrusted JavaScript in QuickJS compiled to WebAssembly (quickjs-emscripten), on a worker thread from a
 * warm pool, never in Node's own context or on the host's thread. Every run gets a fresh runtime + context with
 * its own time, memory and stack limits; a run that overstays its time limit, or is aborted, is ended by killing
 * its worker. Only JSON text crosses between host and guest, within caps on the tool calls the code can make.
 */
import { InvalidRequestError } from "../../schema/errors.js";
import { runOnWorker } from "./host-run.js";
import { DEFAULT_SANDBOX_LIMITS, resolveLimits } from "./sandbox-limits.js";
import { checkSandboxNames } from "./sandbox-names.js";
import type { HostFunction, SandboxLimits, SandboxOptions, SandboxRunOptions, SandboxRunResult } from "./sandbox-types.js";
import { warmWorkers } from "./worker-pool.js";

export { DEFAULT_SANDBOX_LIMITS, MAX_STACK_BYTES } from "./sandbox-limits.js";

export class Sandbox {
  readonly limits: Readonly<Required<SandboxLimits>>;
  private readonly functions: ReadonlyMap<string, HostFunction>;

  /** Limits for every run, and host functions every run gets; a bad limit or function name is an InvalidRequestError. */
  constructor(options: SandboxOptions = {}) {
    const { functions, ...limits } = options;
    this.limits = Object.freeze(resolveLimits(DEFAULT_SANDBOX_LIMITS, limits));
    this.functions = checkedFunctions(new Map(), functions);
  }

  /** Runs `code` (the body of an async function, so top-level `await` works) and reports what happened. */
  async run(code: string, options: SandboxRunOptions = {}): Promise<SandboxRunResult> {
    if (typeof code !== "string") throw new InvalidRequestError("Sandbox.run needs the code as a string.");
    const limits = resolveLimits(this.limits, options);
    const functions = checkedFunctions(this.functions, options.functions);
    if (options.keepCalls !== undefined && typeof options.keepCalls !== "boolean") throw new InvalidRequestError(`keepCalls must be true or false, got ${JSON.stringify(options.keepCalls)}.`);
    return runOnWorker({ code, globalsJson: globalsJson(options.globals), functions, limits, signal: options.signal, keepCalls: options.keepCalls ?? true });
  }

  /**
   * Starts worker threads in the background (default 1, at most 2), so the next runs skip the start-up; the
   * promise resolves when they are ready (it never rejects: a worker that fails to start is reported by run).
   */
  warm(count = 1): Promise<void> {
    return warmWorkers(this.limits.memoryLimitBytes, count);
  }
}

function checkedFunctions(base: ReadonlyMap<string, HostFunction>, extra: Record<string, HostFunction> | undefined): ReadonlyMap<string, HostFunction> {
  if (extra === undefined) return base;
  if (typeof extra !== "object" || extra === null) throw new InvalidRequestError("Sandbox functions must be an object of name -> function.");
  checkSandboxNames(Object.keys(extra));
  const merged = new Map(base);
  for (const [name, fn] of Object.entries(extra)) {
    if (typeof fn !== "function") throw new InvalidRequestError(`Sandbox function "${name}" must be a function.`);
    merged.set(name, fn);
  }
  return merged;
}

function globalsJson(globals: Record<string, unknown> | undefined): string {
  try {
    return JSON.stringify(globals ?? {});
  } catch (error) {
    throw new InvalidRequestError(`Sandbox globals must be JSON values: ${error instanceof Error ? error.message : String(error)}.`);
  }
}
