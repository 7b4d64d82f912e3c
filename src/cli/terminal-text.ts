/** Model output on a terminal: no escape sequences of the model's reach it (schema/visible-controls.ts). */
import { visibleControls } from "../schema/visible-controls.js";

export { visibleControls };

/** Model output: made visible on a terminal, written as it is when piped (to a file or another program). */
export function forOutput(stream: NodeJS.WritableStream, text: string): string {
  return (stream as { isTTY?: boolean }).isTTY === true ? visibleControls(text) : text;
}

/**
 * forOutput for an answer written in pieces: on a terminal a piece's trailing CR is held back until the next
 * piece, so a CRLF split between two pieces stays a line end instead of showing as `\x0d`. Call end() once.
 */
export function streamedOutput(stream: NodeJS.WritableStream): { write(text: string): void; end(): void } {
  if ((stream as { isTTY?: boolean }).isTTY !== true) return { write: (text) => void stream.write(text), end: () => undefined };
  return visibleStreamed(stream);
}

/** Text written in pieces, always made visible (a trace on stderr), holding back a trailing CR as streamedOutput does. */
export function visibleStreamed(stream: NodeJS.WritableStream): { write(text: string): void; end(): void } {
  let heldCr = "";
  return {
    write(text) {
      const joined = heldCr + text;
      heldCr = joined.endsWith("\r") ? "\r" : "";
      const shown = visibleControls(heldCr ? joined.slice(0, -1) : joined);
      if (shown) stream.write(shown);
    },
    end() {
      if (heldCr) stream.write(visibleControls(heldCr));
      heldCr = "";
    },
  };
}
