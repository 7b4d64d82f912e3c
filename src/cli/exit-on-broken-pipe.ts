/**
 * `minion ask ... | head`: when the reader of stdout (or stderr) goes away, the next write fails with EPIPE.
 * That is the reader's choice, not an error: the process exits quietly with code 0 instead of printing an
 * unhandled 'error' event stack.
 */
export function exitQuietlyOnBrokenPipe(streams: NodeJS.WritableStream[] = [process.stdout, process.stderr], exit: (code: number) => void = process.exit): void {
  for (const stream of streams) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EPIPE") exit(0);
      else throw error;
    });
  }
}
