/**
 * One run inside a sandbox worker: a fresh QuickJS runtime + context with the run's limits, the prelude, and
 * the model's code. The four bridge callbacks accept only strings (and a printed line's length as a number),
 * checked with `typeof`, never converted, so no guest code ever runs inside them and an interrupt can never be
 * lost there. Tool calls go to the host as messages and come back as JSON text. Everything is disposed when the
 * run ends.
 */
import type { QuickJSContext, QuickJSDeferredPromise, QuickJSHandle, QuickJSRuntime } from "quickjs-emscripten";
import { describeGuestError, engineError, memoryError, stuckError, timeoutError, toolLimitError, clipText } from "./describe-sandbox-error.js";
import { MAX_JSON_DEPTH } from "./json-crossing.js";
import type { QuickJSEngine } from "./quickjs-engine.js";
import type { CallReply, DoneMessage, RunRequest, WorkerMessage } from "./sandbox-protocol.js";
import { SANDBOX_PRELUDE } from "./sandbox-prelude.js";
import type { SandboxLimits, SandboxRunError } from "./sandbox-types.js";

/** Why the run stopped early: it reached finalAnswer, or a limit (with its error). */
type Stop = { reason: "final" } | { reason: "limit"; error: SandboxRunError };

export class GuestRun {
  private readonly runtime: QuickJSRuntime;
  private readonly context: QuickJSContext;
  private readonly limits: Required<SandboxLimits>;
  private readonly pending = new Map<number, QuickJSDeferredPromise>();
  private readonly deadline: number;
  private stop: Stop | undefined;
  private finalAnswerJson: string | undefined;
  private failure: SandboxRunError | undefined;
  private callsStarted = 0;
  private outputLeft: number;
  private droppedChars = 0;
  private wake: (() => void) | undefined;

  get runId(): number {
    return this.request.runId;
  }

  constructor(
    private readonly engine: QuickJSEngine,
    private readonly request: RunRequest,
    private readonly post: (message: WorkerMessage) => void,
  ) {
    this.limits = request.limits;
    this.outputLeft = request.limits.maxOutputChars;
    this.deadline = Date.now() + request.limits.timeoutMs;
    this.runtime = engine.module.newRuntime();
    this.runtime.setMemoryLimit(this.limits.memoryLimitBytes);
    this.runtime.setMaxStackSize(this.limits.maxStackBytes);
    this.runtime.setInterruptHandler(() => this.shouldInterrupt());
    this.context = this.runtime.newContext();
  }

  /** Runs the code to its end and says how it ended. */
  async execute(): Promise<DoneMessage> {
    let error: SandboxRunError | undefined;
    let disposed = false;
    try {
      error = await this.runCode();
    } finally {
      disposed = this.dispose();
    }
    if (this.stop?.reason === "final") error = undefined;
    // WebAssembly memory never shrinks: a worker whose heap grew past half the limit is replaced, so every run
    // starts with its whole limit available and the memory check stays meaningful. So is one whose runtime
    // could not be freed.
    const retire = !disposed || error?.kind === "memory" || this.engine.grownPastHalf();
    const done: DoneMessage = { type: "done", runId: this.request.runId, droppedChars: this.droppedChars, retire };
    if (error) done.error = error;
    else if (this.finalAnswerJson !== undefined) done.finalAnswerJson = this.finalAnswerJson;
    return done;
  }

  /** A host reply to a tool call: resolve or reject the guest promise, or end the run at a limit. */
  deliver(reply: CallReply): void {
    const deferred = this.pending.get(reply.callId);
    if (!deferred) return;
    this.pending.delete(reply.callId);
    if ("limit" in reply) {
      this.stop ??= { reason: "limit", error: reply.limit };
    } else if (this.context.alive && deferred.alive) {
      const value = reply.ok ? (reply.json === undefined ? undefined : this.context.newString(reply.json)) : this.context.newError(reply.message);
      try {
        if (reply.ok) deferred.resolve(value);
        else deferred.reject(value);
      } finally {
        value?.dispose();
      }
    }
    deferred.dispose();
    this.wake?.();
  }

  private async runCode(): Promise<SandboxRunError | undefined> {
    const runner = this.installPrelude();
    if ("kind" in runner) return runner;
    const code = this.context.newString(this.request.code);
    const started = this.context.callFunction(runner, this.context.undefined, code);
    code.dispose();
    runner.dispose();
    if (started.error) return this.uncaught(started.error);
    const promise = started.value;
    try {
      return await this.settle(promise);
    } finally {
      promise.dispose();
    }
  }

  private installPrelude(): QuickJSHandle | SandboxRunError {
    const ctx = this.context;
    const bridge = [
      ctx.newFunction("write", (text, length) => this.onWrite(text, length)),
      ctx.newFunction("final", (json) => this.onFinal(json)),
      ctx.newFunction("call", (name, json) => this.onCall(name, json)),
      ctx.newFunction("fail", (name, message) => this.onFail(name, message)),
      ctx.newString(JSON.stringify({
        functions: this.request.functionNames,
        maxConcurrent: this.limits.maxConcurrentToolCalls,
        maxBytes: this.limits.maxToolBytes,
        maxChars: this.limits.maxOutputChars,
        maxDepth: MAX_JSON_DEPTH,
      })),
      ctx.newString(this.request.globalsJson),
    ];
    try {
      const factory = ctx.evalCode(SANDBOX_PRELUDE, "sandbox-prelude.js");
      if (factory.error) return this.uncaught(factory.error) ?? engineError("the sandbox prelude failed");
      const runner = ctx.callFunction(factory.value, ctx.undefined, ...bridge);
      factory.value.dispose();
      if (runner.error) return this.uncaught(runner.error) ?? engineError("the sandbox prelude failed");
      return runner.value;
    } finally {
      for (const handle of bridge) handle.dispose();
    }
  }

  /** Drives the guest promise: runs jobs, waits for host replies, stops at finalAnswer or a limit. */
  private async settle(promise: QuickJSHandle): Promise<SandboxRunError | undefined> {
    for (;;) {
      const jobs = this.runtime.executePendingJobs(-1);
      if (jobs.error) return this.uncaught(jobs.error);
      jobs.dispose();
      if (this.stop) return this.stopError();
      const state = this.context.getPromiseState(promise);
      if (state.type === "fulfilled") {
        state.value.dispose();
        return this.failure;
      }
      if (state.type === "rejected") return this.uncaught(state.error);
      if (this.pending.size === 0) return stuckError();
      await this.waitForReply();
      if (this.stop) return this.stopError();
    }
  }

  private waitForReply(): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.stop ??= { reason: "limit", error: timeoutError(this.limits.timeoutMs) };
        done();
      }, Math.max(0, this.deadline - Date.now()));
      const done = (): void => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      this.wake = done;
    });
  }

  private shouldInterrupt(): boolean {
    if (this.stop) return true;
    if (Date.now() > this.deadline) this.stop = { reason: "limit", error: timeoutError(this.limits.timeoutMs) };
    else if (this.engine.pastLimit()) this.stop = { reason: "limit", error: memoryError(this.limits.memoryLimitBytes) };
    return this.stop !== undefined;
  }

  private stopError(): SandboxRunError | undefined {
    return this.stop?.reason === "limit" ? this.stop.error : undefined;
  }

  /**
   * The run's promise rejected, or the engine threw: only uncatchable errors get here (an interrupt, or out of
   * memory while the prelude reported an error). The value is disposed unread: reading it could run guest code.
   */
  private uncaught(handle: QuickJSHandle): SandboxRunError | undefined {
    handle.dispose();
    if (this.stop) return this.stopError();
    if (this.failure) return this.failure;
    if (this.engine.pastLimit()) return memoryError(this.limits.memoryLimitBytes);
    return { kind: "exception", name: "Error", message: "Error: the code failed with an error the sandbox could not read." };
  }

  /** A guest string copied out as C text, which ends at a NUL character: only for tool names (identifiers). */
  private text(handle: QuickJSHandle, what: string): string {
    if (this.context.typeof(handle) !== "string") throw new TypeError(`${what} must be a string`);
    return this.context.getString(handle);
  }

  /**
   * JSON text copied out. The engine copies it as UTF-8 inside its own memory; when that copy does not fit it
   * hands back "" instead (never JSON: JSON text holds no NUL), and the run ends at its memory limit.
   */
  private jsonText(handle: QuickJSHandle): string {
    if (this.context.typeof(handle) !== "string") throw new TypeError("the bridge takes JSON text");
    const text = this.context.getString(handle);
    if (text === "" && this.lengthOf(handle) > 0) {
      this.stop ??= { reason: "limit", error: memoryError(this.limits.memoryLimitBytes) };
      throw new RangeError("out of memory");
    }
    return text;
  }

  /** A string the prelude sent as JSON text (so that NUL characters and lone surrogates survive the copy). */
  private stringFromJson(handle: QuickJSHandle, what: string): string {
    const value = JSON.parse(this.jsonText(handle)) as unknown;
    if (typeof value !== "string") throw new TypeError(`${what} must be JSON text of a string`);
    return value;
  }

  /** A guest string's length, read without running guest code (length is a string primitive's own property). */
  private lengthOf(handle: QuickJSHandle): number {
    const lengthHandle = this.context.getProp(handle, "length");
    const length = this.context.getNumber(lengthHandle);
    lengthHandle.dispose();
    return length;
  }

  /** A printed line as JSON text, already clipped by the prelude to what the output can keep, and its full length. */
  private onWrite(handle: QuickJSHandle, lengthHandle: QuickJSHandle): void {
    const line = this.stringFromJson(handle, "console output");
    if (this.context.typeof(lengthHandle) !== "number") throw new TypeError("console output length must be a number");
    const printed = this.context.getNumber(lengthHandle);
    if (this.outputLeft <= 0) {
      this.droppedChars += printed + 1;
      return;
    }
    const kept = line.length + 1 > this.outputLeft ? line.slice(0, Math.max(0, this.outputLeft - 1)) : line;
    this.outputLeft -= kept.length + 1;
    // What the prelude clipped (in the guest's characters), and what is cut here.
    this.droppedChars += Math.max(0, printed - this.limits.maxOutputChars) + line.length - kept.length;
    this.post({ type: "write", runId: this.request.runId, text: kept });
  }

  private onFinal(handle: QuickJSHandle): void {
    const json = this.jsonText(handle);
    if (this.stop) return;
    this.finalAnswerJson = json;
    this.stop = { reason: "final" };
  }

  private onFail(name: QuickJSHandle, message: QuickJSHandle): void {
    const { maxOutputChars } = this.limits;
    const raw = { name: clipText(this.stringFromJson(name, "error name"), maxOutputChars), message: clipText(this.stringFromJson(message, "error message"), maxOutputChars) };
    this.failure ??= describeGuestError(raw, this.limits);
  }

  /** Starts a tool call on the host; returns the guest promise its JSON result will settle. */
  private onCall(nameHandle: QuickJSHandle, jsonHandle: QuickJSHandle): QuickJSHandle {
    const name = this.text(nameHandle, "tool name");
    if (!this.request.functionNames.includes(name)) throw new TypeError(`${name} is not a sandbox function`);
    const limit = this.callLimit(jsonHandle);
    if (limit) {
      this.stop ??= { reason: "limit", error: limit };
      throw new Error(limit.message);
    }
    const argsJson = this.jsonText(jsonHandle);
    const callId = ++this.callsStarted;
    const deferred = this.context.newPromise();
    this.pending.set(callId, deferred);
    this.post({ type: "call", runId: this.request.runId, callId, name, argsJson });
    return deferred.handle;
  }

  /** The cap a new tool call would break, checked before its argument is even copied out of the guest. */
  private callLimit(jsonHandle: QuickJSHandle): SandboxRunError | undefined {
    if (this.context.typeof(jsonHandle) !== "string") throw new TypeError("tool arguments must be JSON text");
    return this.bytesLimit(jsonHandle) ?? this.countLimit();
  }

  private countLimit(): SandboxRunError | undefined {
    if (this.callsStarted >= this.limits.maxToolCalls) return toolLimitError("maxToolCalls", this.limits.maxToolCalls);
    if (this.pending.size >= this.limits.maxConcurrentToolCalls) return toolLimitError("maxConcurrentToolCalls", this.limits.maxConcurrentToolCalls);
    return undefined;
  }

  private bytesLimit(jsonHandle: QuickJSHandle): SandboxRunError | undefined {
    const length = this.lengthOf(jsonHandle);
    // A character is 1 to 3 UTF-8 bytes (a surrogate pair is 4 bytes for 2 characters).
    if (length > this.limits.maxToolBytes) return toolLimitError("maxToolBytes", this.limits.maxToolBytes, "argument");
    if (length * 3 > this.limits.maxToolBytes && Buffer.byteLength(this.jsonText(jsonHandle)) > this.limits.maxToolBytes) {
      return toolLimitError("maxToolBytes", this.limits.maxToolBytes, "argument");
    }
    return undefined;
  }

  /**
   * Frees the run's runtime, unless jobs are still queued (a run stopped mid-storm): QuickJS asserts when a
   * runtime with live objects is freed, so that runtime is left for the worker's end (it is replaced).
   * Returns whether the engine is clean for another run.
   */
  private dispose(): boolean {
    this.wake?.();
    for (const deferred of this.pending.values()) deferred.dispose();
    this.pending.clear();
    if (this.runtime.hasPendingJob()) return false;
    try {
      this.context.dispose();
      this.runtime.dispose();
      return true;
    } catch {
      return false;
    }
  }
}
