/**
 * Media types of images and documents as Bedrock accepts them, recognised from the bytes themselves
 * (magic numbers), with the file extension only to tell apart formats that share a container (docx/xlsx
 * are both ZIP files, doc/xls both OLE files, and the text formats have no signature).
 */

export type MediaKind = "image" | "document";

/** Converse `format` values of images and documents. */
export type ImageFormatName = "png" | "jpeg" | "gif" | "webp";
export type DocumentFormatName = "pdf" | "csv" | "doc" | "docx" | "xls" | "xlsx" | "html" | "txt" | "md";
export type ImageMediaType = `image/${ImageFormatName}`;
export type DocumentMediaType =
  | "application/pdf"
  | "text/csv"
  | "application/msword"
  | "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
  | "application/vnd.ms-excel"
  | "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
  | "text/html"
  | "text/plain"
  | "text/markdown";

export interface ImageMediaFormat {
  kind: "image";
  mediaType: ImageMediaType;
  format: ImageFormatName;
}

export interface DocumentMediaFormat {
  kind: "document";
  mediaType: DocumentMediaType;
  format: DocumentFormatName;
}

export type MediaFormat = ImageMediaFormat | DocumentMediaFormat;

const IMAGE_FORMATS: Record<ImageFormatName, ImageMediaFormat> = {
  png: { kind: "image", mediaType: "image/png", format: "png" },
  jpeg: { kind: "image", mediaType: "image/jpeg", format: "jpeg" },
  gif: { kind: "image", mediaType: "image/gif", format: "gif" },
  webp: { kind: "image", mediaType: "image/webp", format: "webp" },
};

const DOCUMENT_FORMATS: Record<DocumentFormatName, DocumentMediaFormat> = {
  pdf: { kind: "document", mediaType: "application/pdf", format: "pdf" },
  csv: { kind: "document", mediaType: "text/csv", format: "csv" },
  doc: { kind: "document", mediaType: "application/msword", format: "doc" },
  docx: { kind: "document", mediaType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", format: "docx" },
  xls: { kind: "document", mediaType: "application/vnd.ms-excel", format: "xls" },
  xlsx: { kind: "document", mediaType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", format: "xlsx" },
  html: { kind: "document", mediaType: "text/html", format: "html" },
  txt: { kind: "document", mediaType: "text/plain", format: "txt" },
  md: { kind: "document", mediaType: "text/markdown", format: "md" },
};

const EXTENSION_ALIASES: Record<string, string> = { jpg: "jpeg", htm: "html", markdown: "md", text: "txt" };

/** Every supported format, by media type (and a few common aliases). */
export function formatForMediaType(mediaType: string): MediaFormat | undefined {
  const type = mediaType.toLowerCase().split(";")[0]!.trim();
  if (type === "image/jpg") return IMAGE_FORMATS["jpeg"];
  return [...Object.values(IMAGE_FORMATS), ...Object.values(DOCUMENT_FORMATS)].find((f) => f.mediaType === type);
}

/** The format named by a file extension (without the dot), if supported. */
export function formatForExtension(extension: string): MediaFormat | undefined {
  const ext = extension.toLowerCase().replace(/^\./, "");
  const name = Object.hasOwn(EXTENSION_ALIASES, ext) ? EXTENSION_ALIASES[ext]! : ext;
  if (Object.hasOwn(IMAGE_FORMATS, name)) return IMAGE_FORMATS[name as ImageFormatName];
  return Object.hasOwn(DOCUMENT_FORMATS, name) ? DOCUMENT_FORMATS[name as DocumentFormatName] : undefined;
}

function startsWith(bytes: Uint8Array, signature: number[], offset = 0): boolean {
  if (bytes.length < offset + signature.length) return false;
  return signature.every((byte, i) => bytes[offset + i] === byte);
}

const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));

/** True when the bytes look like text: valid UTF-8 (sampled; a character cut at the sample's end is fine), no NUL. */
function looksLikeText(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, 65536);
  if (sample.includes(0)) return false;
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(sample, { stream: sample.length < bytes.length });
    return true;
  } catch {
    return false;
  }
}

/**
 * The format of the bytes. `hint` (an extension or the declared format) decides only between formats whose
 * bytes cannot be told apart; the result never contradicts the bytes. Undefined when unsupported.
 */
export function detectMediaFormat(bytes: Uint8Array, hint?: MediaFormat): MediaFormat | undefined {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return IMAGE_FORMATS["png"];
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return IMAGE_FORMATS["jpeg"];
  if (startsWith(bytes, ascii("GIF87a")) || startsWith(bytes, ascii("GIF89a"))) return IMAGE_FORMATS["gif"];
  if (startsWith(bytes, ascii("RIFF")) && startsWith(bytes, ascii("WEBP"), 8)) return IMAGE_FORMATS["webp"];
  if (startsWith(bytes, ascii("%PDF-"))) return DOCUMENT_FORMATS["pdf"];
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) {
    return hint?.format === "xlsx" ? DOCUMENT_FORMATS["xlsx"] : hint?.format === "docx" ? DOCUMENT_FORMATS["docx"] : undefined;
  }
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) {
    return hint?.format === "xls" ? DOCUMENT_FORMATS["xls"] : hint?.format === "doc" ? DOCUMENT_FORMATS["doc"] : undefined;
  }
  if (looksLikeText(bytes)) {
    const textual = hint && ["txt", "csv", "md", "html"].includes(hint.format) ? hint : undefined;
    return textual ?? DOCUMENT_FORMATS["txt"];
  }
  return undefined;
}

/** The format of a resolved image's media type (every ImageMediaType is `image/<format>`). */
export function imageFormatOf(mediaType: ImageMediaType): ImageFormatName {
  return mediaType.slice("image/".length) as ImageFormatName;
}

/** The format of a resolved document's media type. */
export function documentFormatOf(mediaType: DocumentMediaType): DocumentFormatName {
  return Object.values(DOCUMENT_FORMATS).find((format) => format.mediaType === mediaType)!.format;
}

/** Bedrock's size limits per item. */
export const MAX_IMAGE_BYTES = 3.75 * 1024 * 1024;
export const MAX_DOCUMENT_BYTES = 4.5 * 1024 * 1024;

export const SUPPORTED_IMAGE_TYPES = Object.values(IMAGE_FORMATS).map((f) => f.mediaType);
export const SUPPORTED_DOCUMENT_FORMATS = Object.keys(DOCUMENT_FORMATS);
