/**
 * Process-wide "warn once per key" helper. Warnings go to `process.emitWarning` (Node prints them to stderr
 * as `(node:PID) MinionWarning: ...`; listen with `process.on("warning", ...)` or silence with
 * `--no-warnings`), unless a `warn` callback is given.
 */
import { visibleControls } from "../schema/visible-controls.js";

const alreadyWarned = new Set<string>();

/** `message` may quote a config's keys or a server's values: its control characters are made visible. */
export function warnOnce(key: string, message: string, code: string, warn?: (message: string) => void): void {
  if (alreadyWarned.has(key)) return;
  alreadyWarned.add(key);
  const shown = visibleControls(message);
  if (warn) warn(shown);
  else process.emitWarning(shown, { type: "MinionWarning", code });
}
