/** A one-producer, one-consumer async channel: the running step pushes events, `for await` pulls them. */
export class EventChannel<T> implements AsyncIterable<T> {
  private readonly buffer: T[] = [];
  private waiting: (() => void) | undefined;
  private closed = false;
  private failure: { error: unknown } | undefined;

  push(item: T): void {
    if (this.closed) return;
    this.buffer.push(item);
    this.wakeUp();
  }

  close(): void {
    this.closed = true;
    this.wakeUp();
  }

  fail(error: unknown): void {
    if (this.closed) return;
    this.failure = { error };
    this.close();
  }

  private wakeUp(): void {
    const wake = this.waiting;
    this.waiting = undefined;
    wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      const item = this.buffer.shift();
      if (item !== undefined) {
        yield item;
        continue;
      }
      if (this.closed) {
        if (this.failure) throw this.failure.error;
        return;
      }
      await new Promise<void>((resolve) => {
        this.waiting = resolve;
      });
    }
  }
}
