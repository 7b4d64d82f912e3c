/**
 * What the Brain's trace keeps of a tool argument, result or error. A step holds its whole trace until it
 * returns, and model-written code picks the arguments, so a value whose JSON is longer than `maxChars`
 * characters is kept as the start of that JSON (of the string itself, for a string), ending with a note of how
 * many characters were cut. The tool itself always gets the full argument.
 */
import { clipText } from "./sandbox/describe-sandbox-error.js";
import { toolResultText } from "./tools.js";

export function traceValue(value: unknown, maxChars: number): unknown {
  const text = typeof value === "string" ? value : toolResultText(value);
  return text.length <= maxChars ? value : traceText(text, maxChars);
}

/**
 * `text` clipped to `maxChars`, as a string of its own: V8 makes a slice that still points into the whole
 * text, which would keep every megabyte the trace means to drop alive.
 */
export function traceText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  return JSON.parse(JSON.stringify(clipText(text, maxChars))) as string;
}
