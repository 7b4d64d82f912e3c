/** Model output on a terminal: no escape sequences of the model's reach it (schema/visible-controls.ts). */
import { visibleControls } from "../schema/visible-controls.js";

export { visibleControls };

/** Model output: made visible on a terminal, written as it is when piped (to a file or another program). */
export function forOutput(stream: NodeJS.WritableStream, text: string): string {
  return (stream as { isTTY?: boolean }).isTTY === true ? visibleControls(text) : text;
}
