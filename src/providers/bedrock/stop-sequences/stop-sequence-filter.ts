/**
 * Client-side stop sequences over a stream of text chunks. A stop string may be split across chunks, so the
 * last (longest stop - 1) characters are held back until the next chunk shows whether they start a stop.
 * The output excludes the stop text, as the server does. Per chunk the work is one indexOf per stop over the
 * held tail plus the new chunk, never over the whole text.
 */
export interface StopFilterResult {
  /** Text that is safe to emit now. */
  text: string;
  /** The stop sequence that was found, if one was; nothing more must be emitted after it. */
  matched?: string;
}

export class StopSequenceFilter {
  readonly #stops: readonly string[];
  readonly #holdBack: number;
  #held = "";

  constructor(stops: readonly string[]) {
    this.#stops = stops;
    this.#holdBack = stops.reduce((max, stop) => Math.max(max, stop.length), 0) - 1;
  }

  get active(): boolean {
    return this.#stops.length > 0;
  }

  push(chunk: string): StopFilterResult {
    const window = this.#held + chunk;
    let cut = -1;
    let matched: string | undefined;
    for (const stop of this.#stops) {
      const at = window.indexOf(stop);
      if (at !== -1 && (cut === -1 || at < cut)) {
        cut = at;
        matched = stop;
      }
    }
    if (matched !== undefined) {
      this.#held = "";
      return { text: window.slice(0, cut), matched };
    }
    const keep = Math.min(this.#holdBack, window.length);
    this.#held = keep > 0 ? window.slice(window.length - keep) : "";
    return { text: keep > 0 ? window.slice(0, window.length - keep) : window };
  }

  /** Releases the held tail (at the end of a text block or of the stream). */
  flush(): string {
    const held = this.#held;
    this.#held = "";
    return held;
  }
}
