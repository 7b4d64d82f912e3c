/** How long the event loop went without ticking: for benchmarks and tests that watch a host stay responsive. */

/** Starts a 10 ms interval; `stop()` returns the longest time between two ticks (ms), the time since the last one included. */
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
