/**
 * Timeouts that work on streams. Each wait for the next chunk races against (1) the idle timer — the longest
 * silence allowed between two chunks — and (2) the call's signal, which fires for the total timeout or the
 * caller's abort. When either wins, the stream's connection is released (the call is aborted and the
 * source iterator returned, without waiting for a source that may hang) and a typed error is thrown:
 * TimeoutError kind "idle", or the signal's reason (TimeoutError kind "total", AbortError).
 */
import { MinionError, TimeoutError } from "../../../schema/errors.js";
import { timeoutOption } from "./transport-timeouts.js";

export interface StreamTimeoutOptions {
  /** Longest silence between two chunks, ms; undefined or 0 = no idle timeout. */
  idleMs?: number | undefined;
  /** The call's signal (total timeout and the caller's abort); its reason is thrown when it fires. */
  signal?: AbortSignal | undefined;
  /** Called once when the idle timeout fires, to cut the call (abort the request). */
  onIdle?: ((error: TimeoutError) => void) | undefined;
}

function reasonOf(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof MinionError ? reason : reason instanceof Error ? reason : new Error(String(reason));
}

/**
 * One abort listener and one idle timer per stream (re-armed with `refresh()` before each wait), rather than
 * a listener and a timer per chunk: this runs for every stream part, so it is on the hot path.
 */
export async function* withStreamTimeouts<T>(source: AsyncIterable<T>, options: StreamTimeoutOptions): AsyncGenerator<T, void, undefined> {
  const idleMs = timeoutOption("idleTimeout", options.idleMs, undefined);
  const { signal } = options;
  const iterator = source[Symbol.asyncIterator]();
  let rejectWait: ((error: unknown) => void) | undefined;
  let failure: Error | undefined;
  const cut = (error: Error): void => {
    failure ??= error;
    rejectWait?.(failure);
  };
  const onAbort = (): void => cut(reasonOf(signal!));
  signal?.addEventListener("abort", onAbort, { once: true });
  // The timer only counts while we wait for the source: time the consumer spends on a chunk is not silence.
  const timer =
    idleMs === undefined
      ? undefined
      : setTimeout(() => {
          if (rejectWait === undefined) return;
          const error = new TimeoutError("idle", idleMs);
          cut(error);
          options.onIdle?.(error);
        }, idleMs);
  let finished = false;
  try {
    while (true) {
      if (failure !== undefined) throw failure;
      if (signal?.aborted) throw reasonOf(signal);
      timer?.refresh();
      const result = await new Promise<IteratorResult<T>>((resolve, reject) => {
        rejectWait = reject;
        iterator.next().then(resolve, (error: unknown) => reject(signal?.aborted ? reasonOf(signal) : error));
      });
      rejectWait = undefined;
      if (result.done) {
        finished = true;
        return;
      }
      yield result.value;
    }
  } finally {
    rejectWait = undefined;
    if (timer !== undefined) clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
    if (!finished) void Promise.resolve(iterator.return?.()).catch(() => undefined);
  }
}
