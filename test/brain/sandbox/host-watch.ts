/** Test helpers: how long the host's event loop went without ticking, and the host's RSS after a GC. */
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
