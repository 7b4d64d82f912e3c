/**
 * The two checks every image and document goes through, once each: its size against a limit (Bedrock's by
 * default), taken before the bytes are decoded or read, and its format, recognised from the bytes.
 */
import { InvalidRequestError } from "../../../schema/errors.js";
import {
  detectMediaFormat,
  MAX_DOCUMENT_BYTES,
  MAX_IMAGE_BYTES,
  SUPPORTED_DOCUMENT_FORMATS,
  SUPPORTED_IMAGE_TYPES,
  type MediaFormat,
  type MediaKind,
} from "./detect-media-type.js";

export function maxBytesFor(kind: MediaKind): number {
  return kind === "image" ? MAX_IMAGE_BYTES : MAX_DOCUMENT_BYTES;
}

const megabytes = (n: number): string => `${(n / (1024 * 1024)).toFixed(2).replace(/\.?0+$/, "")} MB`;

/** Raises InvalidRequestError unless `size` is within `limit` (Bedrock's limit for the kind unless given). */
export function checkMediaSize(kind: MediaKind, size: number, what: string, limit: number = maxBytesFor(kind)): void {
  if (size > limit) {
    const sizeText = megabytes(size) === megabytes(limit) ? `${size.toLocaleString("en-US")} bytes` : megabytes(size);
    throw new InvalidRequestError(`${what} is ${sizeText}; ${limit === maxBytesFor(kind) ? "Bedrock accepts" : "this model accepts"} ${kind}s of at most ${megabytes(limit)}. Resize or split it before sending.`);
  }
  if (size === 0) throw new InvalidRequestError(`${what} is empty; send a non-empty ${kind}.`);
}

/**
 * Checks that the bytes are a supported format of the expected kind and returns the format the BYTES are:
 * `hint` (extension or declared media type) only separates look-alikes (docx/xlsx, doc/xls, txt/csv/md/html).
 */
export function checkMediaFormat(kind: MediaKind, bytes: Uint8Array, hint: MediaFormat | undefined, what: string): MediaFormat {
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
