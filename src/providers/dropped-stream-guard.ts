/**
 * Ends a stream whose iterator the caller dropped without finishing it or calling return() (a function that
 * returned early, an exception between two next() calls). Such a generator's `finally` never runs; once the
 * iterator is garbage, the guard runs the release the generator left with it: the call is aborted (its
 * connection, slot and timers freed) and the attempt ended (its usage recorded), as a `break` out of
 * `for await` does. Without it a stalled answer would hold them until the call's timeout (60 minutes by
 * default). The release must not refer to the iterator, or the iterator would never be garbage.
 */
export class DroppedStreamGuard {
  static readonly #registry = new FinalizationRegistry<DroppedStreamGuard>((guard) => guard.#dropped());
  #release: (() => void) | undefined;
  readonly #alsoOnDrop: (() => void) | undefined;

  /** `alsoOnDrop`: what else a drop ends that lives outside the generator (a trace's span); it may run after a normal end too. */
  constructor(alsoOnDrop?: () => void) {
    this.#alsoOnDrop = alsoOnDrop;
  }

  /** Watches `iterator` (the object the caller holds) and returns it. */
  watch<T extends object>(iterator: T): T {
    DroppedStreamGuard.#registry.register(iterator, this);
    return iterator;
  }

  /** What a drop runs; `undefined` once the stream has ended on its own. */
  set release(release: (() => void) | undefined) {
    this.#release = release;
  }

  #dropped(): void {
    this.#release?.();
    this.#alsoOnDrop?.();
  }
}
