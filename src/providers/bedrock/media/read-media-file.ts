/**
 * Reads an image or document from a local file for sending to Bedrock: the size is checked before reading
 * (Bedrock's limits: images 3.75 MB, documents 4.5 MB) and the type is recognised from the bytes.
 */
import { open } from "node:fs/promises";
import { extname } from "node:path";
import { InvalidRequestError } from "../../../schema/errors.js";
import {
  detectMediaFormat,
  formatForExtension,
  MAX_DOCUMENT_BYTES,
  MAX_IMAGE_BYTES,
  SUPPORTED_DOCUMENT_FORMATS,
  SUPPORTED_IMAGE_TYPES,
  type MediaFormat,
  type MediaKind,
} from "./detect-media-type.js";

export interface MediaBytes {
  bytes: Uint8Array;
  format: MediaFormat;
}

export function maxBytesFor(kind: MediaKind): number {
  return kind === "image" ? MAX_IMAGE_BYTES : MAX_DOCUMENT_BYTES;
}

const megabytes = (n: number): string => `${(n / (1024 * 1024)).toFixed(2).replace(/\.?0+$/, "")} MB`;

/** Raises InvalidRequestError unless `size` is within Bedrock's limit for the kind. */
export function checkMediaSize(kind: MediaKind, size: number, what: string): void {
  const limit = maxBytesFor(kind);
  if (size > limit) {
    throw new InvalidRequestError(`${what} is ${megabytes(size)}; Bedrock accepts ${kind}s of at most ${megabytes(limit)}. Resize or split it before sending.`);
  }
  if (size === 0) throw new InvalidRequestError(`${what} is empty; send a non-empty ${kind}.`);
}

/**
 * Checks that the bytes are a supported format of the expected kind and returns the format the BYTES are:
 * `hint` (extension or declared media type) only separates look-alikes (docx/xlsx, doc/xls, txt/csv/md/html).
 */
export function checkMediaBytes(kind: MediaKind, bytes: Uint8Array, hint: MediaFormat | undefined, what: string): MediaFormat {
  checkMediaSize(kind, bytes.length, what);
  const format = detectMediaFormat(bytes, hint);
  const supported = kind === "image" ? `images: ${SUPPORTED_IMAGE_TYPES.join(", ")}` : `documents: ${SUPPORTED_DOCUMENT_FORMATS.join(", ")}`;
  if (format === undefined) {
    throw new InvalidRequestError(`${what} is not a supported ${kind} format (Bedrock accepts ${supported}${kind === "document" ? "; for doc, docx, xls and xlsx give the file extension or mediaType" : ""}).`);
  }
  if (format.kind !== kind) {
    throw new InvalidRequestError(`${what} contains ${format.mediaType} data, not an ${kind}; send it as a${format.kind === "image" ? "n image" : " document"} part.`);
  }
  return format;
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
    const bytes = new Uint8Array(await handle.readFile());
    const hint = formatForExtension(extname(path));
    const format = checkMediaBytes(kind, bytes, hint?.kind === kind ? hint : undefined, what);
    return { bytes, format };
  } finally {
    await handle.close();
  }
}
