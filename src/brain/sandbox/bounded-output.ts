/** Collects printed lines up to a character budget, then notes how much was dropped. */
export class BoundedOutput {
  private readonly lines: string[] = [];
  private used = 0;
  private dropped = 0;

  constructor(private readonly maxChars: number) {}

  write(line: string): void {
    const room = this.maxChars - this.used;
    if (room <= 0) {
      this.dropped += line.length + 1;
      return;
    }
    const kept = line.length + 1 > room ? line.slice(0, Math.max(0, room - 1)) : line;
    this.lines.push(kept);
    this.used += kept.length + 1;
    this.dropped += line.length - kept.length;
  }

  /** Counts characters that were printed but never reached this collector. */
  drop(chars: number): void {
    this.dropped += chars;
  }

  toString(): string {
    const text = this.lines.join("\n");
    if (this.dropped === 0) return text;
    return `${text}\n[output truncated: ${this.dropped} more characters were printed than the ${this.maxChars}-character limit keeps]`;
  }
}
