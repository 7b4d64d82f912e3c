/**
 * generateSync's blocking call: the same call runs on a worker thread (a provider rebuilt there from the
 * same config), and this thread sleeps in Atomics.wait on a SharedArrayBuffer until the worker has posted
 * its answer — no busy loop. The answer (text, usage, telemetry outcome) or the error (same class, name, message and fields)
 * is read with receiveMessageOnPort. One worker per provider, started on first use, unref'd. The wait is
 * bounded (see DEFAULT_SYNC_TIMEOUT_MS), and a call that an emulator on this very thread would have to answer
 * is refused up front (sync-call-guard.ts).
 */
import { MessageChannel, Worker, receiveMessageOnPort } from "node:worker_threads";
import type { MessageInput } from "../schema/message.js";
import { ConfigError, InvalidRequestError, ProviderError, TimeoutError } from "../schema/errors.js";
import type { GenerateOptions } from "./llm-provider.js";
import { deserializeError, type SerializedError } from "./serialize-error.js";
import { assertNotServedByThisThread } from "./sync-call-guard.js";
import type { CallOutcome } from "./telemetry/call-trace.js";

export interface SyncWorkerSpec {
  /** URL of the module exporting the provider class. */
  moduleUrl: string;
  exportName: string;
  /** Constructor arguments (structured-cloneable: plain config fields, runtime options). */
  args: unknown[];
  /** The endpoint the calls go to, checked against emulators running in the calling thread. */
  endpoint?: string | undefined;
  /** The provider's default total timeout (the config's `timeout`), in ms. */
  timeout?: number | undefined;
  /** Overrides SYNC_WORKER_GRACE_MS. */
  workerGraceMs?: number | undefined;
  /** Overrides SYNC_WORKER_START_MS. */
  workerStartMs?: number | undefined;
}

/**
 * How long generateSync blocks at most when neither the call nor the config sets `timeout` (the worker's call
 * keeps the provider's own defaults): Bedrock inference requests can take up to 60 minutes, and AWS
 * recommends a 3,600 s read timeout for long generations.
 */
export const DEFAULT_SYNC_TIMEOUT_MS = 3_600_000;

/** Extra time the blocked thread waits past the call's timeout, for the worker to start and report it. */
export const SYNC_WORKER_GRACE_MS = 30_000;

/** How long a new worker may take to load its module before generateSync gives up on it. */
export const SYNC_WORKER_START_MS = 30_000;

export interface SyncWorkerHandle {
  spec: SyncWorkerSpec;
  worker?: Worker;
}

/** What the worker receives: the spec, and a flag it raises once its module runs. */
export interface SyncWorkerData extends SyncWorkerSpec {
  started: Int32Array;
}

export interface SyncCallUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

export interface SyncCallResult {
  text: string;
  usage: SyncCallUsage;
  /** What the calling thread's telemetry reports (response model and id, finish reasons, usage). */
  outcome: CallOutcome;
  /** The model id the call was sent with, when not the provider's `model` (an inference profile id). */
  model?: string | undefined;
}

/** What the worker posts back. */
export type SyncReply = { ok: true; result: SyncCallResult } | { ok: false; error: SerializedError };

/** Flag values in the shared Int32Array. */
export const SYNC_PENDING = 0;
export const SYNC_DONE = 1;

/** Where generateSync's worker imports a provider class from: the module's URL and the class's export name. */
export interface SyncModule {
  url: string;
  exportName: string;
}

/**
 * The worker rebuilds the provider from its class's OWN `static syncModule`. An inherited one would rebuild
 * the parent class and silently drop the subclass's overrides, so a subclass without its own is refused.
 */
export function syncModuleOf(providerClass: Function): SyncModule {
  const own = Object.getOwnPropertyDescriptor(providerClass, "syncModule")?.value as Partial<SyncModule> | undefined;
  if (typeof own?.url === "string" && typeof own.exportName === "string") return { url: own.url, exportName: own.exportName };
  const name = providerClass.name || "this provider class";
  throw new ConfigError(
    `generateSync runs the call on a worker thread, which rebuilds the provider from its class, and ${name} does not say where it is exported from. ` +
      `Add \`static override readonly syncModule = { url: import.meta.url, exportName: "${name}" }\` to ${name} (its constructor must take the same arguments as its parent's), or call the async generate() instead.`,
  );
}

/**
 * The worker's entry, next to `moduleUrl` (this file's URL). Built code (dist/*.js) starts
 * sync-call-worker.js directly and loads nothing else. Only when the library runs from its TypeScript
 * sources (this repository's tests and benchmarks, under tsx) is the entry a .ts file, which a Node 20
 * worker cannot load on its own: it does not inherit the main thread's loader, and tsx registers itself in
 * the main thread only. That case registers tsx (a dev dependency, present wherever the sources run) first.
 */
export function workerEntryFor(moduleUrl: string): URL {
  const fromSource = moduleUrl.endsWith(".ts");
  const target = new URL(fromSource ? "./sync-call-worker.ts" : "./sync-call-worker.js", moduleUrl);
  if (!fromSource) return target;
  const tsxApi = import.meta.resolve("tsx/esm/api");
  const bootstrap = `const { register } = await import(${JSON.stringify(tsxApi)}); register(); await import(${JSON.stringify(target.href)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`);
}

export function runSyncCall(handle: SyncWorkerHandle, messages: MessageInput[], options: Omit<GenerateOptions, "signal">): { result: SyncCallResult } {
  if ((options as GenerateOptions).signal !== undefined) {
    throw new InvalidRequestError("generateSync takes no AbortSignal (this thread is blocked while it runs); use the timeout option.");
  }
  assertNotServedByThisThread(handle.spec.endpoint);
  const timeout = options.timeout ?? handle.spec.timeout ?? DEFAULT_SYNC_TIMEOUT_MS;
  if (typeof timeout !== "number" || !(timeout > 0) || !Number.isFinite(timeout)) {
    throw new InvalidRequestError(`timeout must be a positive number of milliseconds, got ${String(timeout)}.`);
  }
  const worker = (handle.worker ??= startWorker(handle));
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  try {
    try {
      worker.postMessage({ flag, port: port2, messages, options }, [port2]);
    } catch (error) {
      throw new InvalidRequestError(`generateSync needs plain data for messages and options (no functions or class instances with methods): ${(error as Error).message}`, { cause: error });
    }
    if (!waitForWorker(flag, timeout + (handle.spec.workerGraceMs ?? SYNC_WORKER_GRACE_MS))) {
      // The worker did not even report its own timeout: it is stuck. Drop it; the next call starts a new one.
      handle.worker = undefined;
      void worker.terminate();
      throw new TimeoutError("total", timeout);
    }
    const received = receiveMessageOnPort(port1);
    if (!received) {
      handle.worker = undefined;
      void worker.terminate();
      throw new Error("generateSync: the worker thread stopped without answering.");
    }
    const reply = received.message as SyncReply;
    if (!reply.ok) throw deserializeError(reply.error);
    return { result: reply.result };
  } finally {
    port1.close();
  }
}

/** Sleeps until the worker flags its answer; false when `limitMs` passed first. */
function waitForWorker(flag: Int32Array, limitMs: number): boolean {
  const deadline = performance.now() + limitMs;
  while (Atomics.load(flag, 0) === SYNC_PENDING) {
    const left = deadline - performance.now();
    if (left <= 0) return false;
    Atomics.wait(flag, 0, SYNC_PENDING, left);
  }
  return true;
}

/**
 * Starts the worker and waits (bounded) until its module runs. A worker that fails to load reports it only as
 * an event on this thread, which the blocked caller would never see; without this wait the call would sit out
 * its whole timeout.
 */
function startWorker(handle: SyncWorkerHandle): Worker {
  const { spec } = handle;
  const started = new Int32Array(new SharedArrayBuffer(4));
  const workerData: SyncWorkerData = { ...spec, started };
  const worker = new Worker(workerEntryFor(import.meta.url), { workerData, execArgv: workerExecArgv(process.execArgv) });
  worker.unref();
  // A worker that fails (to load, or later) reports it as an event; unheard, that event would end the process.
  // The call waiting on it has its own bounds; the next call starts a new worker.
  const forget = (): void => {
    if (handle.worker === worker) handle.worker = undefined;
  };
  worker.on("error", forget).on("exit", forget);
  if (!waitForWorker(started, spec.workerStartMs ?? SYNC_WORKER_START_MS)) {
    void worker.terminate();
    throw new ProviderError(
      "generateSync: its worker thread did not start. A Node option of this process that a worker cannot take is the usual cause " +
        "(process.execArgv is passed on); call the async generate() instead, or start Node without that option.",
      "sync_worker_failed",
      false,
    );
  }
  return worker;
}

/** This process's Node options minus those a worker refuses: `--input-type` applies only to -e/-p/stdin input. */
export function workerExecArgv(execArgv: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    if (execArgv[i] === "--input-type") i++;
    else if (!execArgv[i]!.startsWith("--input-type=")) kept.push(execArgv[i]!);
  }
  return kept;
}
