/**
 * The host's side of one run on a worker: sends the code, collects printed lines as they come, runs the tools
 * the guest asks for (JSON text in, JSON text out, within the caps), and ends the run. A run that has not ended
 * at `timeoutMs` plus a short grace, or whose signal aborts, is ended by killing its worker outright; the host
 * never waits on guest code, so its event loop keeps running whatever the guest does.
 */
import { BoundedOutput } from "./bounded-output.js";
import { abortedError, clipText, engineError, memoryError, timeoutError, toolLimitError, withModuleHint } from "./describe-sandbox-error.js";
import { parseUntrustedJson, toJsonText } from "./json-crossing.js";
import type { RunRequest, WorkerMessage } from "./sandbox-protocol.js";
import type { HostFunction, SandboxCall, SandboxLimits, SandboxRunError, SandboxRunResult } from "./sandbox-types.js";
import { acquireWorker, discardWorker, releaseWorker, type SandboxWorker } from "./worker-pool.js";

/** How long past `timeoutMs` the worker may take to stop the guest itself before it is killed. */
export const KILL_GRACE_MS = 200;

let nextRunId = 0;

export interface HostRunInput {
  code: string;
  globalsJson: string;
  functions: ReadonlyMap<string, HostFunction>;
  limits: Required<SandboxLimits>;
  signal: AbortSignal | undefined;
  keepCalls: boolean;
}

export async function runOnWorker(input: HostRunInput): Promise<SandboxRunResult> {
  const { signal, limits } = input;
  if (signal?.aborted) return failed(abortedError());
  const acquiring = acquireWorker(limits.memoryLimitBytes);
  const aborted = abortOf(signal);
  let worker: SandboxWorker | "aborted";
  try {
    worker = await Promise.race([acquiring, aborted.promise]);
  } catch (error) {
    return failed(engineError(`a sandbox worker could not start: ${error instanceof Error ? error.message : String(error)}`));
  } finally {
    aborted.dispose();
  }
  if (worker === "aborted" || signal?.aborted) {
    acquiring.then(releaseWorker, () => undefined);
    return failed(abortedError());
  }
  return new HostRun(worker, input).done;
}

/** A promise of "aborted" when the signal fires (never, without a signal), and the removal of its listener. */
function abortOf(signal: AbortSignal | undefined): { promise: Promise<"aborted">; dispose(): void } {
  let listener: (() => void) | undefined;
  const promise = new Promise<"aborted">((resolve) => {
    listener = () => resolve("aborted");
    signal?.addEventListener("abort", listener, { once: true });
  });
  return { promise, dispose: () => signal?.removeEventListener("abort", listener!) };
}

function failed(error: SandboxRunError): SandboxRunResult {
  return { ok: false, output: "", calls: [], error };
}

class HostRun {
  readonly done: Promise<SandboxRunResult>;
  private readonly runId = ++nextRunId;
  private readonly output: BoundedOutput;
  private readonly calls: SandboxCall[] = [];
  private callCount = 0;
  private readonly callController = new AbortController();
  private readonly limits: Required<SandboxLimits>;
  private readonly killTimer: NodeJS.Timeout;
  private inFlight = 0;
  private finished = false;
  private resolve!: (result: SandboxRunResult) => void;

  constructor(
    private readonly worker: SandboxWorker,
    private readonly input: HostRunInput,
  ) {
    this.limits = input.limits;
    this.output = new BoundedOutput(input.limits.maxOutputChars);
    this.done = new Promise((resolve) => (this.resolve = resolve));
    worker.onMessage = (message) => this.onMessageSafely(message);
    worker.onDeath = (reason) => this.finish(deathError(reason, this.limits), "discard");
    input.signal?.addEventListener("abort", this.onAbort, { once: true });
    this.killTimer = setTimeout(() => this.finish(timeoutError(this.limits.timeoutMs), "discard"), this.limits.timeoutMs + KILL_GRACE_MS);
    const request: RunRequest = {
      type: "run",
      runId: this.runId,
      code: input.code,
      globalsJson: input.globalsJson,
      functionNames: [...input.functions.keys()],
      limits: input.limits,
    };
    worker.thread.postMessage(request);
  }

  private readonly onAbort = (): void => this.finish(abortedError(), "discard");

  /** A message the host cannot read (JSON nested too deep) ends the run; it must never throw in the worker's listener. */
  private onMessageSafely(message: WorkerMessage): void {
    try {
      this.onMessage(message);
    } catch (error) {
      this.finish(engineError(`the sandbox sent what the host could not read: ${error instanceof Error ? error.message : String(error)}`), "discard");
    }
  }

  private onMessage(message: WorkerMessage): void {
    if (this.finished || !("runId" in message) || message.runId !== this.runId) return;
    switch (message.type) {
      case "write":
        this.output.write(message.text);
        return;
      case "call":
        this.startCall(message.callId, message.name, message.argsJson);
        return;
      case "done": {
        this.output.drop(message.droppedChars);
        const result = this.result(message.error && withModuleHint(message.error, this.input.code));
        if (!message.error && message.finalAnswerJson !== undefined) result.finalAnswer = { value: parseUntrustedJson(message.finalAnswerJson) };
        this.finishWith(result, message.retire ? "discard" : "release");
        return;
      }
    }
  }

  /** Runs one tool for the guest; the caps are checked again here, whatever the worker let through. */
  private startCall(callId: number, name: string, argsJson: string): void {
    const fn = this.input.functions.get(name);
    if (this.callCount >= this.limits.maxToolCalls) return this.finish(toolLimitError("maxToolCalls", this.limits.maxToolCalls), "discard");
    if (this.inFlight >= this.limits.maxConcurrentToolCalls) {
      return this.finish(toolLimitError("maxConcurrentToolCalls", this.limits.maxConcurrentToolCalls), "discard");
    }
    if (!fn || Buffer.byteLength(argsJson) > this.limits.maxToolBytes) return this.finish(toolLimitError("maxToolBytes", this.limits.maxToolBytes), "discard");
    const args = parseUntrustedJson(argsJson);
    const record: SandboxCall = { name, args };
    this.callCount++;
    if (this.input.keepCalls) this.calls.push(record);
    this.inFlight++;
    const reply = (body: { ok: true; json: string | undefined } | { ok: false; message: string } | { ok: false; limit: SandboxRunError }): void => {
      if (!this.finished) this.worker.thread.postMessage({ type: "reply", runId: this.runId, callId, ...body });
    };
    (async () => fn(args, { signal: this.callController.signal }))()
      .then(
        (value) => {
          let json: string | undefined;
          try {
            json = toJsonText(value);
          } catch (error) {
            record.error = `${name}() returned ${(error as Error).message}`;
            return reply({ ok: false, message: record.error });
          }
          if (json !== undefined && Buffer.byteLength(json) > this.limits.maxToolBytes) {
            const limit = toolLimitError("maxToolBytes", this.limits.maxToolBytes, "result");
            record.error = limit.message;
            return reply({ ok: false, limit });
          }
          if (json !== undefined) record.result = parseUntrustedJson(json);
          reply({ ok: true, json });
        },
        (error: unknown) => {
          record.error = clipText(error instanceof Error ? error.message : String(error), this.limits.maxOutputChars);
          reply({ ok: false, message: record.error });
        },
      )
      .finally(() => this.inFlight--)
      .catch(() => undefined);
  }

  private result(error: SandboxRunError | undefined): SandboxRunResult {
    const result: SandboxRunResult = { ok: error === undefined, output: this.output.toString(), calls: this.calls };
    if (error) result.error = { ...error, message: clipText(error.message, this.limits.maxOutputChars) };
    return result;
  }

  private finish(error: SandboxRunError, worker: "discard"): void {
    this.finishWith(this.result(error), worker);
  }

  private finishWith(result: SandboxRunResult, worker: "release" | "discard"): void {
    if (this.finished) return;
    this.finished = true;
    clearTimeout(this.killTimer);
    this.input.signal?.removeEventListener("abort", this.onAbort);
    this.callController.abort();
    if (worker === "release") releaseWorker(this.worker);
    else discardWorker(this.worker);
    this.resolve(result);
  }
}

function deathError(reason: string, limits: Required<SandboxLimits>): SandboxRunError {
  return /memory limit|out of memory/i.test(reason) ? memoryError(limits.memoryLimitBytes) : engineError(reason);
}
