/**
 * generateSync's blocking call: the same call runs on a worker thread (a provider rebuilt there from the
 * same config), and this thread sleeps in Atomics.wait on a SharedArrayBuffer until the worker has posted
 * its answer — no busy loop. The answer (text + usage) or the error (same class, name, message and fields)
 * is read with receiveMessageOnPort. One worker per provider, started on first use, unref'd.
 */
import { MessageChannel, Worker, receiveMessageOnPort } from "node:worker_threads";
import type { MessageInput } from "../schema/message.js";
import { InvalidRequestError } from "../schema/errors.js";
import type { GenerateOptions } from "./llm-provider.js";
import { deserializeError, type SerializedError } from "./serialize-error.js";

export interface SyncWorkerSpec {
  /** URL of the module exporting the provider class. */
  moduleUrl: string;
  exportName: string;
  /** Constructor arguments (structured-cloneable: plain config fields, runtime options). */
  args: unknown[];
}

export interface SyncWorkerHandle {
  spec: SyncWorkerSpec;
  worker?: Worker;
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
}

/** What the worker posts back. */
export type SyncReply = { ok: true; result: SyncCallResult } | { ok: false; error: SerializedError };

/** Flag values in the shared Int32Array. */
export const SYNC_PENDING = 0;
export const SYNC_DONE = 1;

/**
 * The worker's entry. Built code runs sync-call-worker.js directly; from TypeScript sources (tsx, tests) a
 * worker does not inherit the tsx loader, so a tiny bootstrap registers it first.
 */
function workerEntry(): URL {
  const fromSource = import.meta.url.endsWith(".ts");
  const target = new URL(fromSource ? "./sync-call-worker.ts" : "./sync-call-worker.js", import.meta.url);
  if (!fromSource) return target;
  const tsxApi = import.meta.resolve("tsx/esm/api");
  const bootstrap = `const { register } = await import(${JSON.stringify(tsxApi)}); register(); await import(${JSON.stringify(target.href)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`);
}

export function runSyncCall(handle: SyncWorkerHandle, messages: MessageInput[], options: Omit<GenerateOptions, "signal">): { result: SyncCallResult } {
  if ((options as GenerateOptions).signal !== undefined) {
    throw new InvalidRequestError("generateSync takes no AbortSignal (this thread is blocked while it runs); use the timeout option.");
  }
  const worker = (handle.worker ??= startWorker(handle.spec));
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  try {
    try {
      worker.postMessage({ flag, port: port2, messages, options }, [port2]);
    } catch (error) {
      throw new InvalidRequestError(`generateSync needs plain data for messages and options (no functions or class instances with methods): ${(error as Error).message}`, { cause: error });
    }
    while (Atomics.load(flag, 0) === SYNC_PENDING) Atomics.wait(flag, 0, SYNC_PENDING);
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

function startWorker(spec: SyncWorkerSpec): Worker {
  const worker = new Worker(workerEntry(), { workerData: spec });
  worker.unref();
  return worker;
}
