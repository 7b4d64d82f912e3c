/**
 * Test helpers: how long the host's event loop went without ticking, the host's RSS after a GC, and host
 * functions that count the calls reaching them.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/** Starts a 10 ms interval; `stop()` returns the longest time between two ticks (ms). */
export function watchEventLoop(): { stop(): number } {
  let last = performance.now();
  let maxGap = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    maxGap = Math.max(maxGap, now - last);
    last = now;
  }, 10);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(maxGap, performance.now() - last);
    },
  };
}

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

/** Process RSS in MiB after a full GC (workers included: they are threads of this process). */
export async function settledRssMiB(): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, 100));
  gc();
  return process.memoryUsage().rss / (1024 * 1024);
}

export const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Host functions that count how many calls are running at once, and in total. */
export function countedEcho(ms: number) {
  const stats = { inFlight: 0, maxInFlight: 0, total: 0 };
  const echo = async (args: unknown): Promise<unknown> => {
    stats.total++;
    stats.inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    await delay(ms);
    stats.inFlight--;
    return args;
  };
  return { stats, echo };
}

/** Runs `work`, timing it and watching the event loop meanwhile. */
export async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number; maxGap: number }> {
  const loop = watchEventLoop();
  const start = performance.now();
  const value = await work();
  return { value, ms: performance.now() - start, maxGap: loop.stop() };
}


/** V8 heap in use, in MiB, after a full GC: what the host itself holds on to. */
export async function settledHeapMiB(): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, 100));
  gc();
  return process.memoryUsage().heapUsed / (1024 * 1024);
}
