/**
 * Text from a server, a model or a config file, made safe to show on a terminal: control characters (ESC
 * starts sequences that set the clipboard, clear the screen or rewrite what was shown; a bare CR overwrites
 * the line) are shown as `\xHH` instead. Tabs and line ends stay.
 */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]|\r(?!\n)/g;

export function visibleControls(text: string): string {
  return text.replace(CONTROL, (char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, "0")}`);
}
