/**
 * Appends records to the output file. Lines queued while a write is in flight go out together in the next
 * single write, each ending in "\n", so a kill leaves at most one torn line (the last). `flush()` waits for
 * everything queued and fsyncs.
 */
import { open, type FileHandle } from "node:fs/promises";

export class OutputWriter {
  readonly #handle: FileHandle;
  #queued: string[] = [];
  #queuedBytes = 0;
  #writing: Promise<void> | undefined;
  #failure: unknown;

  private constructor(handle: FileHandle) {
    this.#handle = handle;
  }

  static async open(path: string): Promise<OutputWriter> {
    return new OutputWriter(await open(path, "a"));
  }

  /** Queues one record; resolves once the queue is short enough to take more (backpressure). */
  async append(record: object): Promise<void> {
    if (this.#failure) throw this.#failure;
    const line = `${JSON.stringify(record)}\n`;
    this.#queued.push(line);
    this.#queuedBytes += line.length;
    this.#writing ??= this.#drain();
    if (this.#queuedBytes > 1024 * 1024) await this.#writing;
  }

  async flush(): Promise<void> {
    while (this.#writing) await this.#writing;
    if (this.#failure) throw this.#failure;
    await this.#handle.sync();
  }

  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      await this.#handle.close();
    }
  }

  async #drain(): Promise<void> {
    try {
      while (this.#queued.length > 0) {
        const text = this.#queued.join("");
        this.#queued = [];
        this.#queuedBytes = 0;
        await this.#handle.write(text);
      }
    } catch (error) {
      this.#failure = error;
    } finally {
      this.#writing = undefined;
    }
  }
}
