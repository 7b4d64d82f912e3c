/**
 * Reads a small text file the config names (a config file, an env file): only a regular file, only up to a
 * size cap. A device (`/dev/zero`), a FIFO or a directory is a ConfigError, never a hang or an abort.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { ConfigError } from "../schema/errors.js";

/** The largest config or env file read: far above any real one, far below what could exhaust memory. */
export const MAX_CONFIG_FILE_BYTES = 1024 * 1024;

/**
 * The file's text, or undefined when it does not exist. `what` names the file in messages ("env_file entry");
 * `shown` is the path as messages give it (a path built from `${VAR}` is shown as written).
 */
export function readBoundedFile(path: string, what: string, options: { maxBytes?: number; shown?: string } = {}): string | undefined {
  const maxBytes = options.maxBytes ?? MAX_CONFIG_FILE_BYTES;
  const shown = options.shown ?? path;
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below like any non-regular file.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    // The system error names the path: it is the cause only when the path may be shown.
    throw new ConfigError(`${what} ${shown} cannot be read (${code ?? "an error"}).`, shown === path ? { cause: error } : {});
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new ConfigError(`${what} ${shown} is not a regular file (${kindOf(stats)}); point it at a text file.`);
    if (stats.size > maxBytes) throw new ConfigError(`${what} ${shown} is ${stats.size} bytes; the limit is ${maxBytes} bytes.`);
    const buffer = Buffer.alloc(maxBytes + 1);
    let length = 0;
    for (let read = -1; read !== 0 && length <= maxBytes; length += read) read = readSync(fd, buffer, length, buffer.length - length, null);
    if (length > maxBytes) throw new ConfigError(`${what} ${shown} is larger than the limit of ${maxBytes} bytes.`);
    return buffer.subarray(0, length).toString("utf8");
  } finally {
    closeSync(fd);
  }
}

function kindOf(stats: import("node:fs").Stats): string {
  if (stats.isDirectory()) return "a directory";
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return "a device";
  if (stats.isFIFO()) return "a pipe";
  if (stats.isSocket()) return "a socket";
  return "not a file";
}
