/**
 * Reads an image or document from a local file for sending to Bedrock: the size is checked before reading
 * (Bedrock's limits: images 3.75 MB, documents 4.5 MB), no more than that size is read, and the type is
 * recognised from the bytes.
 */
import { open } from "node:fs/promises";
import { extname } from "node:path";
import { InvalidRequestError } from "../../../schema/errors.js";
import { checkMediaFormat, checkMediaSize } from "./check-media.js";
import { formatForExtension, type MediaFormat, type MediaKind } from "./detect-media-type.js";

export interface MediaBytes {
  bytes: Uint8Array;
  format: MediaFormat;
}

/** Reads `path` as an image or a document, checking existence, size and type before anything is sent. */
export async function readMediaFile(path: string, kind: MediaKind): Promise<MediaBytes> {
  const what = `The ${kind} file "${path}"`;
  let handle;
  try {
    handle = await open(path, "r");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "does not exist" : code === "EACCES" ? "cannot be read (permission denied)" : code === "EISDIR" ? "is a directory" : `cannot be opened (${code ?? "unknown error"})`;
    throw new InvalidRequestError(`${what} ${reason}.`, { cause: error });
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new InvalidRequestError(`${what} is not a regular file.`);
    checkMediaSize(kind, stats.size, what);
    // Exactly the size that was checked: a file that grows meanwhile is cut, not read whole.
    const buffer = Buffer.alloc(stats.size);
    let filled = 0;
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, filled);
    const hint = formatForExtension(extname(path));
    return { bytes, format: checkMediaFormat(kind, bytes, hint?.kind === kind ? hint : undefined, what) };
  } finally {
    await handle.close();
  }
}
