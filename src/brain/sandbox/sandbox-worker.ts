/**
 * A sandbox worker thread: loads one QuickJS engine (its memory ceiling fixed by workerData), says "ready",
 * then runs one program at a time for the host. The host kills this thread outright when a run overstays its
 * time limit, so nothing here has to be able to stop a guest that never yields.
 */
import { parentPort, workerData } from "node:worker_threads";
import { GuestRun } from "./guest-run.js";
import { loadEngine, type QuickJSEngine } from "./quickjs-engine.js";
import type { DoneMessage, HostMessage, WorkerMessage } from "./sandbox-protocol.js";
import { engineError, memoryError, nativeStackError } from "./describe-sandbox-error.js";

const port = parentPort!;
const post = (message: WorkerMessage): void => port.postMessage(message);
let current: GuestRun | undefined;

async function runOne(engine: QuickJSEngine, message: Extract<HostMessage, { type: "run" }>): Promise<void> {
  let done: DoneMessage;
  try {
    current = new GuestRun(engine, message, post);
    done = await current.execute();
  } catch (error) {
    // The engine itself failed (a WebAssembly trap, a failed disposal): report it; the host replaces this worker.
    // QuickJS can abort when it runs out of memory at a bad moment: report that as the memory limit it is; and
    // its parser can exhaust this thread's own stack before its stack check notices: that is the stack limit.
    const detail = error instanceof Error ? error.message : String(error);
    const stackOverflow = error instanceof RangeError && /maximum call stack size/i.test(detail);
    const reported = engine.pastLimit() ? memoryError(message.limits.memoryLimitBytes) : stackOverflow ? nativeStackError() : engineError(detail);
    done = { type: "done", runId: message.runId, droppedChars: 0, retire: true, error: reported };
  } finally {
    current = undefined;
  }
  post(done);
}

const engine = await loadEngine((workerData as { memoryLimitBytes: number }).memoryLimitBytes);
port.on("message", (message: HostMessage) => {
  if (message.type === "run") void runOne(engine, message);
  else if (message.runId === current?.runId) current.deliver(message);
});
post({ type: "ready" });
