/**
 * Timeouts that work on streams. Each wait for the next chunk races against (1) the idle timer — the longest
 * silence allowed between two chunks — and (2) the call's signal, which fires for the total timeout or the
 * caller's abort. When either wins, the stream's connection is released (the call is aborted and the
 * source iterator returned, without waiting for a source that may hang) and a typed error is thrown:
 * TimeoutError kind "idle", or the signal's reason (TimeoutError kind "total", AbortError).
 */
import { InvalidRequestError, MinionError, TimeoutError } from "../../schema/errors.js";

export interface StreamTimeoutOptions {
  /** Longest silence between two chunks, ms; undefined = no idle timeout. */
  idleMs?: number | undefined;
  /** The call's signal (total timeout and the caller's abort); its reason is thrown when it fires. */
  signal?: AbortSignal | undefined;
  /** Called once when the idle timeout fires, to cut the call (abort the request). */
  onIdle?: ((error: TimeoutError) => void) | undefined;
}

/** Checks an idle timeout value from a call option or the config (`idle_timeout`). */
export function checkIdleTimeout(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new InvalidRequestError(`idleTimeout must be a positive number of milliseconds, got ${JSON.stringify(value)}.`);
  }
  return value;
}

function reasonOf(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof MinionError ? reason : reason instanceof Error ? reason : new Error(String(reason));
}

export async function* withStreamTimeouts<T>(source: AsyncIterable<T>, options: StreamTimeoutOptions): AsyncGenerator<T, void, undefined> {
  const idleMs = checkIdleTimeout(options.idleMs);
  const { signal } = options;
  const iterator = source[Symbol.asyncIterator]();
  let finished = false;
  try {
    while (true) {
      if (signal?.aborted) throw reasonOf(signal);
      const result = await nextWithin(iterator, idleMs, signal, options.onIdle);
      if (result.done) {
        finished = true;
        return;
      }
      yield result.value;
    }
  } finally {
    if (!finished) void Promise.resolve(iterator.return?.()).catch(() => undefined);
  }
}

function nextWithin<T>(
  iterator: AsyncIterator<T>,
  idleMs: number | undefined,
  signal: AbortSignal | undefined,
  onIdle: StreamTimeoutOptions["onIdle"],
): Promise<IteratorResult<T>> {
  if (idleMs === undefined && signal === undefined) return iterator.next();
  return new Promise<IteratorResult<T>>((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onAbort = (): void => settle(() => reject(reasonOf(signal!)));
    const settle = (action: () => void): void => {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      signal?.removeEventListener("abort", onAbort);
      action();
    };
    if (idleMs !== undefined) {
      timer = setTimeout(() => {
        const error = new TimeoutError("idle", idleMs);
        settle(() => reject(error));
        onIdle?.(error);
      }, idleMs);
    }
    signal?.addEventListener("abort", onAbort, { once: true });
    iterator.next().then(
      (result) => settle(() => resolve(result)),
      (error: unknown) => settle(() => reject(signal?.aborted ? reasonOf(signal) : error)),
    );
  });
}
