/**
 * BENCH BASELINE ONLY: the in-process sandbox as it was before issue 11 (commit d81a2c8), kept so
 * bench/sandbox-overhead.ts can measure the worker-thread design against it in one run. Not shipped, not used by src/.
 */
/**
 * Runs untrusted JavaScript in QuickJS compiled to WebAssembly (quickjs-emscripten), never in Node's own
 * context. Every run gets a fresh runtime + context with its own time, memory and stack limits, and both are
 * disposed when the run ends. Only JSON text crosses between host and guest; host functions (tools) are
 * exposed as async guest functions bridged through guest promises.
 */
import type { QuickJSContext, QuickJSDeferredPromise, QuickJSHandle, QuickJSRuntime } from "quickjs-emscripten";
import { InvalidRequestError } from "../../../src/schema/errors.js";
import { BoundedOutput } from "./bounded-output.js";
import { acquireEngine, releaseEngine, type QuickJSEngine } from "./quickjs-engine.js";
import { abortedError, describeGuestError, memoryError, stuckError, timeoutError, type RawGuestError } from "./describe-sandbox-error.js";
import { BRIDGE, SANDBOX_PRELUDE } from "./sandbox-prelude.js";
import type { HostFunction, SandboxCall, SandboxLimits, SandboxRunError, SandboxRunOptions, SandboxRunResult } from "./sandbox-types.js";

export const DEFAULT_SANDBOX_LIMITS: Readonly<Required<SandboxLimits>> = Object.freeze({
  timeoutMs: 5_000,
  memoryLimitBytes: 64 * 1024 * 1024,
  maxStackBytes: 256 * 1024,
  maxOutputChars: 20_000,
});

const ERROR_READ_BUDGET_MS = 100;
const ERROR_READ_HEADROOM_BYTES = 4 * 1024 * 1024;
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * QuickJS's stack check measures the WebAssembly shadow stack, while deep guest recursion also consumes the
 * host's native stack; above this size the host's stack could overflow before QuickJS notices.
 */
export const MAX_STACK_BYTES = 256 * 1024;

export class Sandbox {
  readonly limits: Readonly<Required<SandboxLimits>>;

  constructor(limits: SandboxLimits = {}) {
    this.limits = Object.freeze(resolveLimits(DEFAULT_SANDBOX_LIMITS, limits));
  }

  /** Runs `code` (the body of an async function, so top-level `await` works) and reports what happened. */
  async run(code: string, options: SandboxRunOptions = {}): Promise<SandboxRunResult> {
    const limits = resolveLimits(this.limits, options);
    const functions = options.functions ?? {};
    for (const name of Object.keys(functions)) {
      if (!IDENTIFIER.test(name)) throw new InvalidRequestError(`Sandbox function name "${name}" is not a valid JavaScript identifier.`);
    }
    const globalsJson = JSON.stringify(options.globals ?? {});
    const engine = await acquireEngine(limits.memoryLimitBytes);
    let result: SandboxRunResult;
    let run: SandboxRun | undefined;
    try {
      run = new SandboxRun(engine, limits, functions, options.signal);
      result = await run.execute(code, globalsJson);
    } catch (error) {
      result = engineFailure(engine, error);
    }
    try {
      run?.dispose();
    } catch (error) {
      result = engineFailure(engine, error, result);
    }
    if (result.error?.kind === "memory") engine.retire();
    releaseEngine(engine);
    return result;
  }
}

/**
 * The engine itself failed (a WebAssembly abort, a host stack overflow): report it as a failed run and load
 * a fresh engine for the next run, so one hostile program cannot break later ones.
 */
function engineFailure(engine: QuickJSEngine, error: unknown, partial?: SandboxRunResult): SandboxRunResult {
  engine.retire();
  const detail = error instanceof Error ? error.message : String(error);
  return {
    ok: false,
    output: partial?.output ?? "",
    calls: partial?.calls ?? [],
    error: { kind: "engine", name: "SandboxEngineError", message: `The sandbox engine failed and was reset: ${detail}` },
  };
}

function resolveLimits(base: Readonly<Required<SandboxLimits>>, over: SandboxLimits): Required<SandboxLimits> {
  const out = { ...base };
  for (const key of Object.keys(DEFAULT_SANDBOX_LIMITS) as Array<keyof SandboxLimits>) {
    const value = over[key];
    if (value === undefined) continue;
    if (!Number.isFinite(value) || value <= 0) throw new InvalidRequestError(`Sandbox limit ${key} must be a positive number, got ${String(value)}.`);
    out[key] = value;
  }
  if (out.maxStackBytes > MAX_STACK_BYTES) {
    throw new InvalidRequestError(`Sandbox limit maxStackBytes must be at most ${MAX_STACK_BYTES} (256 KiB), got ${out.maxStackBytes}.`);
  }
  return out;
}

type StopReason = "final" | "timeout" | "aborted" | "memory";

/** One run: owns its runtime, context, pending host calls and timers, and releases all of them. */
class SandboxRun {
  private readonly runtime: QuickJSRuntime;
  private readonly context: QuickJSContext;
  private readonly output: BoundedOutput;
  private readonly calls: SandboxCall[] = [];
  private readonly pending = new Set<QuickJSDeferredPromise>();
  private readonly callController = new AbortController();
  private readonly deadline: number;
  private stopReason: StopReason | undefined;
  private finalAnswer: { value: unknown } | undefined;
  private wake: (() => void) | undefined;
  /** Set while a guest error is read after the run stopped: a short budget of its own (getters may loop). */
  private readDeadline: number | undefined;

  private readonly heapAtStart: number | undefined;

  constructor(
    private readonly engine: QuickJSEngine,
    private readonly limits: Required<SandboxLimits>,
    private readonly functions: Record<string, HostFunction>,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.output = new BoundedOutput(limits.maxOutputChars);
    this.deadline = Date.now() + limits.timeoutMs;
    this.heapAtStart = engine.heapBytes();
    this.runtime = engine.module.newRuntime();
    this.runtime.setMemoryLimit(limits.memoryLimitBytes);
    this.runtime.setMaxStackSize(limits.maxStackBytes);
    this.runtime.setInterruptHandler(() => this.shouldInterrupt());
    this.context = this.runtime.newContext();
  }

  async execute(code: string, globalsJson: string): Promise<SandboxRunResult> {
    if (this.signal?.aborted) return this.result(abortedError());
    const setupError = this.installBridge(globalsJson);
    if (setupError) return this.result(setupError);
    const evaluated = this.context.evalCode(`(async () => {\n${code}\n})()`, "model-code.js");
    if (evaluated.error) {
      const error = withModuleHint(this.takeError(evaluated.error), code);
      return this.result(this.finalAnswer ? undefined : error);
    }
    const promise = evaluated.value;
    try {
      return this.result(await this.settle(promise));
    } finally {
      promise.dispose();
    }
  }

  /** Drives the guest promise: runs jobs, waits for host calls, stops on limits. */
  private async settle(promise: QuickJSHandle): Promise<SandboxRunError | undefined> {
    for (;;) {
      const jobs = this.runtime.executePendingJobs(-1);
      if (jobs.error) {
        const error = this.takeError(jobs.error);
        return this.finalAnswer ? undefined : error;
      }
      jobs.dispose();
      if (this.stopReason) return this.stopError();
      const state = this.context.getPromiseState(promise);
      if (state.type === "fulfilled") {
        state.value.dispose();
        return undefined;
      }
      if (state.type === "rejected") {
        const error = this.takeError(state.error);
        return this.finalAnswer ? undefined : error;
      }
      if (this.finalAnswer) return undefined;
      if (this.pending.size === 0) return stuckError();
      await this.waitForHostCall();
      if (this.stopReason) return this.stopError();
    }
  }

  private waitForHostCall(): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.stopReason ??= "timeout";
        done();
      }, Math.max(0, this.deadline - Date.now()));
      const onAbort = (): void => {
        this.stopReason ??= "aborted";
        done();
      };
      const done = (): void => {
        clearTimeout(timer);
        this.signal?.removeEventListener("abort", onAbort);
        this.wake = undefined;
        resolve();
      };
      this.signal?.addEventListener("abort", onAbort, { once: true });
      this.wake = done;
    });
  }

  private shouldInterrupt(): boolean {
    if (this.readDeadline !== undefined) return Date.now() > this.readDeadline;
    if (this.stopReason) return true;
    if (this.finalAnswer) this.stopReason = "final";
    else if (this.signal?.aborted) this.stopReason = "aborted";
    else if (Date.now() > this.deadline) this.stopReason = "timeout";
    else if (this.heapGrowth() > this.limits.memoryLimitBytes) this.stopReason = "memory";
    return this.stopReason !== undefined;
  }

  /** How far the WebAssembly heap grew during this run (0 when it cannot be measured). */
  heapGrowth(): number {
    const now = this.engine.heapBytes();
    return now === undefined || this.heapAtStart === undefined ? 0 : now - this.heapAtStart;
  }

  private stopError(): SandboxRunError | undefined {
    switch (this.stopReason) {
      case "aborted":
        return abortedError();
      case "timeout":
        return timeoutError(this.limits.timeoutMs);
      case "memory":
        return memoryError(this.limits.memoryLimitBytes);
      default:
        return undefined;
    }
  }

  /**
   * Reads (and disposes) a guest error. The read gets a short time budget and a little memory headroom of its
   * own, so an error thrown at a limit can still be described, and a hostile getter cannot hang the host.
   */
  private takeError(handle: QuickJSHandle): SandboxRunError {
    this.readDeadline = Date.now() + ERROR_READ_BUDGET_MS;
    this.runtime.setMemoryLimit(this.limits.memoryLimitBytes + ERROR_READ_HEADROOM_BYTES);
    try {
      const stopped = this.stopError();
      if (stopped) return stopped;
      let raw: RawGuestError | string;
      try {
        raw = this.readErrorFields(handle);
      } catch {
        raw = { name: "Error", message: "the code threw a value that could not be read" };
      }
      const described = describeGuestError(raw);
      return described.kind === "memory" ? memoryError(this.limits.memoryLimitBytes) : described;
    } finally {
      handle.dispose();
    }
  }

  private readErrorFields(handle: QuickJSHandle): RawGuestError | string {
    if (this.context.typeof(handle) !== "object") return String(this.context.dump(handle));
    const name = this.context.getProp(handle, "name");
    const message = this.context.getProp(handle, "message");
    try {
      const text = (h: QuickJSHandle): string | undefined => (this.context.typeof(h) === "string" ? this.context.getString(h) : undefined);
      return { name: text(name), message: text(message) ?? "(no message)" };
    } finally {
      name.dispose();
      message.dispose();
    }
  }

  private installBridge(globalsJson: string): SandboxRunError | undefined {
    const ctx = this.context;
    const set = (name: string, handle: QuickJSHandle): void => {
      ctx.setProp(ctx.global, name, handle);
      handle.dispose();
    };
    set(BRIDGE.write, ctx.newFunction(BRIDGE.write, (text) => {
      this.output.write(ctx.getString(text));
    }));
    set(BRIDGE.final, ctx.newFunction(BRIDGE.final, (text) => {
      this.finalAnswer ??= { value: parseGuestJson(ctx.getString(text)) };
    }));
    set(BRIDGE.call, ctx.newFunction(BRIDGE.call, (name, args) => this.startHostCall(ctx.getString(name), ctx.getString(args))));
    set(BRIDGE.globals, ctx.newString(globalsJson));
    set(BRIDGE.functions, ctx.newString(JSON.stringify(Object.keys(this.functions))));
    const prelude = ctx.evalCode(SANDBOX_PRELUDE, "sandbox-prelude.js");
    if (prelude.error) return this.takeError(prelude.error);
    prelude.value.dispose();
    return undefined;
  }

  /** Starts a host function for the guest and returns the guest promise that will carry its JSON result. */
  private startHostCall(name: string, argsJson: string): QuickJSHandle {
    const deferred = this.context.newPromise();
    this.pending.add(deferred);
    const record: SandboxCall = { name, args: parseGuestJson(argsJson) };
    this.calls.push(record);
    const fn = this.functions[name];
    const outcome = (async () => {
      if (!fn) throw new Error(`Unknown function ${name}`);
      return fn(parseGuestJson(argsJson), { signal: this.callController.signal });
    })();
    outcome
      .then(
        (value) => {
          const text = value === undefined ? undefined : JSON.stringify(value);
          record.result = text === undefined ? undefined : parseGuestJson(text);
          this.settleDeferred(deferred, text === undefined ? undefined : this.context.newString(text), "resolve");
        },
        (error: unknown) => {
          record.error = error instanceof Error ? error.message : String(error);
          this.settleDeferred(deferred, this.context.alive ? this.context.newError(record.error) : undefined, "reject");
        },
      )
      .finally(() => {
        this.pending.delete(deferred);
        this.wake?.();
      })
      .catch(() => undefined);
    return deferred.handle;
  }

  private settleDeferred(deferred: QuickJSDeferredPromise, value: QuickJSHandle | undefined, how: "resolve" | "reject"): void {
    try {
      if (this.context.alive && deferred.alive) deferred[how](value);
    } catch {
      // The run ended (limit, abort, disposal) while the host call was in flight; nothing to deliver.
    } finally {
      if (value?.alive) value.dispose();
    }
  }

  private result(error: SandboxRunError | undefined): SandboxRunResult {
    const result: SandboxRunResult = { ok: error === undefined, output: this.output.toString(), calls: this.calls };
    if (error) result.error = error;
    if (this.finalAnswer) result.finalAnswer = this.finalAnswer;
    return result;
  }

  dispose(): void {
    this.callController.abort();
    this.wake?.();
    for (const deferred of this.pending) deferred.dispose();
    this.pending.clear();
    try {
      this.context.dispose();
    } finally {
      this.runtime.dispose();
    }
  }
}

/** A static import/export is a SyntaxError inside the function body the code runs in; say why. */
function withModuleHint(error: SandboxRunError, code: string): SandboxRunError {
  if (error.name !== "SyntaxError" || !/^\s*(import|export)\b/m.test(code)) return error;
  return { ...error, message: `${error.message} (import/export statements are not available: the sandbox has no modules, file system, network or process; use the provided functions instead)` };
}

/** Parses JSON text from the guest without letting a `__proto__` key become anything but a plain own value. */
function parseGuestJson(text: string): unknown {
  if (text === undefined) return undefined;
  return JSON.parse(text, (key, value: unknown) => (key === "__proto__" ? undefined : value));
}
