/**
 * Process-wide "warn once per key" helper. Warnings go to `process.emitWarning` (Node prints them to stderr
 * as `(node:PID) MinionWarning: ...`; listen with `process.on("warning", ...)` or silence with
 * `--no-warnings`), unless a `warn` callback is given.
 */
const alreadyWarned = new Set<string>();

export function warnOnce(key: string, message: string, code: string, warn?: (message: string) => void): void {
  if (alreadyWarned.has(key)) return;
  alreadyWarned.add(key);
  if (warn) warn(message);
  else process.emitWarning(message, { type: "MinionWarning", code });
}
