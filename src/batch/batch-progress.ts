/**
 * What people see while a batch runs: on a TTY one progress line redrawn in place (done/total, rate, ETA,
 * running cost); otherwise a log line every `intervalMs`. At the end, a summary.
 */
export interface BatchProgress {
  /** Requests in the input, and those already in the output before this run. */
  total: number;
  skipped: number;
  /** Written by this run: answers and errors. */
  succeeded: number;
  failed: number;
  inputTokens: number;
  outputTokens: number;
  /** USD at on-demand prices, for this run. */
  cost: number;
  /** Requests in flight now, and the adaptive concurrency limit. */
  inFlight: number;
  concurrency: number;
  elapsedMs: number;
}

export interface ProgressReporter {
  update(progress: BatchProgress): void;
  finish(progress: BatchProgress, interrupted: boolean): void;
}

const TTY_REDRAW_MS = 200;

export function createProgressReporter(stream: NodeJS.WritableStream & { isTTY?: boolean }, intervalMs = 10_000): ProgressReporter {
  const tty = stream.isTTY === true;
  let last = 0;
  return {
    update(progress) {
      const now = Date.now();
      if (now - last < (tty ? TTY_REDRAW_MS : intervalMs)) return;
      last = now;
      stream.write(tty ? `\r\x1b[2K${progressLine(progress)}` : `minion batch: ${progressLine(progress)}\n`);
    },
    finish(progress, interrupted) {
      if (tty && last !== 0) stream.write("\r\x1b[2K");
      stream.write(`${summaryLine(progress, interrupted)}\n`);
    },
  };
}

export function progressLine(progress: BatchProgress): string {
  const written = progress.succeeded + progress.failed;
  const finished = progress.skipped + written;
  const seconds = progress.elapsedMs / 1000;
  const rate = seconds > 0 ? written / seconds : 0;
  const remaining = progress.total - finished;
  const eta = rate > 0 ? formatDuration(remaining / rate) : "?";
  const percent = progress.total > 0 ? Math.floor((finished / progress.total) * 100) : 100;
  return (
    `${bar(percent)} ${finished}/${progress.total} (${percent}%) ${rate.toFixed(1)} req/s, ETA ${eta}, ` +
    `${progress.failed} failed, $${progress.cost.toFixed(4)}, in flight ${progress.inFlight}/${progress.concurrency}`
  );
}

export function summaryLine(progress: BatchProgress, interrupted: boolean): string {
  const head = interrupted ? "batch interrupted (run the same command again to finish)" : "batch done";
  return (
    `minion: ${head}: ${progress.succeeded} succeeded, ${progress.failed} failed, ${progress.skipped} already in the output, ` +
    `of ${progress.total}; ${progress.inputTokens} input + ${progress.outputTokens} output tokens; ` +
    `cost $${progress.cost.toFixed(6)} in ${formatDuration(progress.elapsedMs / 1000)}`
  );
}

function bar(percent: number): string {
  const filled = Math.round(percent / 5);
  return `[${"#".repeat(filled)}${".".repeat(20 - filled)}]`;
}

function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  const whole = Math.round(seconds);
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = whole % 60;
  if (hours > 0) return `${hours}h${String(minutes).padStart(2, "0")}m`;
  if (minutes > 0) return `${minutes}m${String(rest).padStart(2, "0")}s`;
  return `${rest}s`;
}
