/** A one-line progress indicator on stderr (rewritten in place on a terminal, one line per job otherwise). */
import { performance } from "node:perf_hooks";

export class Progress {
  private label = "";
  private startedAt = 0;
  private readonly tty = process.stderr.isTTY === true;

  start(label: string): void {
    this.label = label;
    this.startedAt = performance.now();
    if (this.tty) this.write(`${label} starting...`);
  }

  update(done: number, total: number, inFlight: number): void {
    if (!this.tty) return;
    const seconds = ((performance.now() - this.startedAt) / 1000).toFixed(1);
    const width = 20;
    const filled = Math.round((Math.min(done, total) / Math.max(1, total)) * width);
    const bar = `${"#".repeat(filled)}${".".repeat(width - filled)}`;
    this.write(`${this.label} [${bar}] ${done}/${total} in-flight ${inFlight} ${seconds}s`);
  }

  done(summary: string): void {
    const seconds = ((performance.now() - this.startedAt) / 1000).toFixed(1);
    const line = `${this.label}: ${summary} (${seconds}s)`;
    if (this.tty) this.write(`${line}\n`);
    else process.stderr.write(`${line}\n`);
  }

  private write(text: string): void {
    process.stderr.write(`\r\x1b[K${text}`);
  }
}
