/**
 * Process-wide "warn once per key" helper. Warnings go to `process.emitWarning` (Node prints them to stderr
 * as `(node:PID) MinionWarning: ...`; listen with `process.on("warning", ...)` or silence with
 * `--no-warnings`), unless a `warn` callback is given.
 */
import { visibleControls } from "../schema/visible-controls.js";

/**
 * Some keys hold a value a server chose (a model id, a service tier): a server sending a new one on every call
 * must not grow this set for the life of the process. Past this many keys, new warnings are dropped.
 */
export const MAX_WARNING_KEYS = 1000;

const alreadyWarned = new Set<string>();

/** `message` may quote a config's keys or a server's values: its control characters are made visible. */
export function warnOnce(key: string, message: string, code: string, warn?: (message: string) => void): void {
  if (alreadyWarned.has(key) || alreadyWarned.size >= MAX_WARNING_KEYS) return;
  alreadyWarned.add(key);
  const shown = visibleControls(message);
  if (warn) warn(shown);
  else process.emitWarning(shown, { type: "MinionWarning", code });
}

/** Test seam: forget which warnings were given (a test counting a once-per-process warning starts clean). */
export function resetWarningsForTests(): void {
  alreadyWarned.clear();
}
