/**
 * A proposal for src/providers/bedrock/idle-timeout.ts (measured by stream-timeouts.ts, not used by the
 * library): the same contract as withStreamTimeouts, but one abort listener and one idle timer per stream
 * (re-armed with timer.refresh()) instead of a new Promise, listener and timer per stream part.
 */
export interface StreamTimeoutOptions {
  idleMs?: number | undefined;
  signal?: AbortSignal | undefined;
  onIdle?: ((error: Error) => void) | undefined;
  /** Builds the idle error (the library throws its TimeoutError "idle"). */
  idleError?: (idleMs: number) => Error;
}

export async function* withStreamTimeoutsSingleListener<T>(source: AsyncIterable<T>, options: StreamTimeoutOptions): AsyncGenerator<T, void, undefined> {
  const { idleMs, signal } = options;
  const iterator = source[Symbol.asyncIterator]();
  let rejectWait: ((error: unknown) => void) | undefined;
  let failure: unknown;
  const cut = (error: unknown): void => {
    failure ??= error;
    rejectWait?.(failure);
  };
  const onAbort = (): void => cut(signal?.reason);
  signal?.addEventListener("abort", onAbort, { once: true });
  const timer =
    idleMs === undefined
      ? undefined
      : setTimeout(() => {
          const error = options.idleError?.(idleMs) ?? new Error(`no chunk for ${idleMs} ms`);
          cut(error);
          options.onIdle?.(error);
        }, idleMs);
  let finished = false;
  try {
    while (true) {
      if (failure !== undefined) throw failure;
      if (signal?.aborted) throw signal.reason;
      const result = await new Promise<IteratorResult<T>>((resolve, reject) => {
        rejectWait = reject;
        iterator.next().then(resolve, reject);
      });
      rejectWait = undefined;
      if (result.done) {
        finished = true;
        return;
      }
      timer?.refresh();
      yield result.value;
    }
  } finally {
    if (timer) clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
    if (!finished) void Promise.resolve(iterator.return?.()).catch(() => undefined);
  }
}
