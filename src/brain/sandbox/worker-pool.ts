/**
 * The warm pool of sandbox worker threads, per memory limit. A run takes an idle worker (or starts one), has it
 * to itself, and gives it back; a worker that was killed, broke or hit its memory ceiling is never reused, and
 * a fresh one is started in the background so the next run finds a warm worker. Idle workers are unref'd: they
 * never keep the process alive.
 */
import { Worker } from "node:worker_threads";
import type { WorkerMessage } from "./sandbox-protocol.js";

/** Idle workers kept per memory limit. */
const MAX_IDLE = 2;

/** One worker thread with its engine loaded. */
export class SandboxWorker {
  readonly thread: Worker;
  readonly memoryLimitBytes: number;
  /** Resolves once the engine is loaded; rejects if the worker failed to start. */
  readonly ready: Promise<void>;
  dead = false;
  /** The current run's handlers: every message, and the worker's death (error or exit). */
  onMessage: ((message: WorkerMessage) => void) | undefined;
  onDeath: ((reason: string) => void) | undefined;

  constructor(memoryLimitBytes: number) {
    this.memoryLimitBytes = memoryLimitBytes;
    this.thread = new Worker(workerEntry(), { workerData: { memoryLimitBytes }, resourceLimits: workerResourceLimits(memoryLimitBytes) });
    this.thread.unref();
    this.ready = new Promise<void>((resolve, reject) => {
      this.thread.on("message", (message: WorkerMessage) => {
        if (message.type === "ready") resolve();
        else this.onMessage?.(message);
      });
      const die = (reason: string): void => {
        if (this.dead) return;
        this.dead = true;
        forget(this);
        reject(new Error(reason));
        this.onDeath?.(reason);
      };
      this.thread.on("error", (error) => die(error.message));
      this.thread.on("exit", (code) => die(`the worker exited (code ${code})`));
    });
    this.ready.catch(() => undefined);
  }

  /** Ends the thread now, whatever it is doing (a guest stuck in a loop or in a native call included). */
  kill(): void {
    if (this.dead) return;
    this.dead = true;
    forget(this);
    void this.thread.terminate().catch(() => undefined);
  }
}

const idle = new Map<number, SandboxWorker[]>();
const starting = new Map<number, SandboxWorker[]>();

/** A ready worker for one run: an idle one, one already starting, or a new one. */
export async function acquireWorker(memoryLimitBytes: number): Promise<SandboxWorker> {
  const worker = idle.get(memoryLimitBytes)?.pop() ?? starting.get(memoryLimitBytes)?.shift() ?? new SandboxWorker(memoryLimitBytes);
  worker.thread.ref();
  try {
    await worker.ready;
  } catch (error) {
    worker.kill();
    throw error;
  }
  return worker;
}

/** Gives a worker back after a clean run; extra workers are ended. */
export function releaseWorker(worker: SandboxWorker): void {
  worker.onMessage = undefined;
  worker.onDeath = undefined;
  worker.thread.unref();
  if (worker.dead) return;
  const pool = idle.get(worker.memoryLimitBytes) ?? [];
  if (pool.length >= MAX_IDLE) {
    worker.kill();
    return;
  }
  pool.push(worker);
  idle.set(worker.memoryLimitBytes, pool);
}

/** Kills a worker that must not run again, and starts a replacement in the background. */
export function discardWorker(worker: SandboxWorker): void {
  worker.onMessage = undefined;
  worker.onDeath = undefined;
  worker.kill();
  void warmWorkers(worker.memoryLimitBytes, 1);
}

/** Starts workers in the background until `count` are idle or starting; resolves once those starting are ready. */
export function warmWorkers(memoryLimitBytes: number, count: number): Promise<void> {
  const have = (idle.get(memoryLimitBytes)?.length ?? 0) + (starting.get(memoryLimitBytes)?.length ?? 0);
  for (let i = have; i < Math.min(count, MAX_IDLE); i++) {
    const worker = new SandboxWorker(memoryLimitBytes);
    const list = starting.get(memoryLimitBytes) ?? [];
    list.push(worker);
    starting.set(memoryLimitBytes, list);
    worker.ready.then(
      () => {
        // Still waiting in the starting list means no run took it meanwhile.
        if (remove(starting, worker) && !worker.dead) releaseWorker(worker);
      },
      () => remove(starting, worker),
    );
  }
  const pending = (starting.get(memoryLimitBytes) ?? []).map((worker) => worker.ready.catch(() => undefined));
  return Promise.all(pending).then(() => undefined);
}

/** Ends every idle worker (a run in progress keeps its own). */
export async function closeIdleWorkers(): Promise<void> {
  const all = [...idle.values(), ...starting.values()].flat();
  idle.clear();
  starting.clear();
  await Promise.all(all.map((worker) => { worker.dead = true; return worker.thread.terminate().catch(() => undefined); }));
}

function forget(worker: SandboxWorker): void {
  remove(idle, worker);
  remove(starting, worker);
}

function remove(map: Map<number, SandboxWorker[]>, worker: SandboxWorker): boolean {
  const list = map.get(worker.memoryLimitBytes);
  const at = list?.indexOf(worker) ?? -1;
  if (at < 0) return false;
  list!.splice(at, 1);
  return true;
}

/**
 * The worker's V8 heap only holds what crosses the bridge (output, tool arguments and results, each bounded),
 * never the guest's heap, which lives in WebAssembly memory outside it; the cap is a backstop.
 */
function workerResourceLimits(memoryLimitBytes: number): { maxOldGenerationSizeMb: number; stackSizeMb: number } {
  return { maxOldGenerationSizeMb: Math.max(128, Math.ceil((3 * memoryLimitBytes) / (1024 * 1024))), stackSizeMb: 4 };
}

/**
 * The worker's entry. Built code runs sandbox-worker.js directly; from TypeScript sources (tsx, tests) a worker
 * does not inherit the tsx loader, so a tiny bootstrap registers it first.
 */
function workerEntry(): URL {
  const fromSource = import.meta.url.endsWith(".ts");
  const target = new URL(fromSource ? "./sandbox-worker.ts" : "./sandbox-worker.js", import.meta.url);
  if (!fromSource) return target;
  const tsxApi = import.meta.resolve("tsx/esm/api");
  const bootstrap = `const { register } = await import(${JSON.stringify(tsxApi)}); register(); await import(${JSON.stringify(target.href)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`);
}
