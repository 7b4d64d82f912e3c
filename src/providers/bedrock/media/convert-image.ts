/**
 * Image parts -> Anthropic base64 image blocks, checked before anything is sent: a supported media type
 * (png, jpeg, gif, webp), data that is base64 and at most MAX_IMAGE_BYTES once decoded, and a media type that
 * matches the bytes. Remote URLs are rejected (Bedrock takes no URLs; download the image and pass its data).
 */
import { InvalidRequestError } from "../../../schema/errors.js";
import type { AnthropicImageBlock } from "../anthropic/anthropic-types.js";

export const SUPPORTED_IMAGE_TYPES: ReadonlySet<string> = new Set(["image/png", "image/jpeg", "image/gif", "image/webp"]);

/** Bedrock's limit for one image in a Claude request (3.75 MB decoded). */
export const MAX_IMAGE_BYTES = 3_932_160;

const DATA_URL = /^data:([^;,]+)(;[^,]*)?,/;

export interface ImageSource {
  /** Base64 data or a data URL. */
  data: string;
  mediaType?: string | undefined;
}

/** Parses a `data:` URL into media type + base64 data (only base64 data URLs are accepted). */
export function parseDataUrl(url: string, where: string): { mediaType: string; data: string } {
  const match = DATA_URL.exec(url);
  if (!match) throw new InvalidRequestError(`${where}: "${url.slice(0, 40)}..." is not a data URL.`);
  if (!(match[2] ?? "").split(";").includes("base64")) {
    throw new InvalidRequestError(`${where}: only base64 data URLs are supported (data:<type>;base64,<data>).`);
  }
  return { mediaType: match[1]!.toLowerCase(), data: url.slice(match[0].length) };
}

export function toImageBlock(source: ImageSource, where: string): AnthropicImageBlock {
  let { data } = source;
  let mediaType = source.mediaType?.toLowerCase();
  if (typeof data !== "string" || data.length === 0) throw new InvalidRequestError(`${where}: image data is empty.`);
  if (data.startsWith("data:")) {
    const parsed = parseDataUrl(data, where);
    data = parsed.data;
    mediaType = mediaType ?? parsed.mediaType;
  } else if (/^https?:\/\//i.test(data)) {
    throw new InvalidRequestError(`${where}: remote image URLs are not sent to Bedrock; download the image and pass its base64 data or a data URL.`);
  }
  if (mediaType === "image/jpg") mediaType = "image/jpeg";
  if (!mediaType) throw new InvalidRequestError(`${where}: base64 image data needs a mediaType (image/png, image/jpeg, image/gif or image/webp).`);
  if (!SUPPORTED_IMAGE_TYPES.has(mediaType)) {
    throw new InvalidRequestError(`${where}: image type "${mediaType}" is not supported; use image/png, image/jpeg, image/gif or image/webp.`);
  }
  const bytes = decodedLength(data);
  if (bytes > MAX_IMAGE_BYTES) {
    throw new InvalidRequestError(`${where}: image is ${(bytes / 1048576).toFixed(2)} MB; Bedrock accepts at most 3.75 MB per image. Resize or recompress it.`);
  }
  const sniffed = sniffImageType(data);
  if (sniffed === undefined) throw new InvalidRequestError(`${where}: image data is not base64 of a PNG, JPEG, GIF or WebP image.`);
  if (sniffed !== mediaType) throw new InvalidRequestError(`${where}: image data is ${sniffed} but its mediaType says ${mediaType}.`);
  return { type: "image", source: { type: "base64", media_type: mediaType, data } };
}

function decodedLength(base64: string): number {
  let padding = 0;
  if (base64.endsWith("==")) padding = 2;
  else if (base64.endsWith("=")) padding = 1;
  return Math.floor((base64.length * 3) / 4) - padding;
}

/** The image type from the first bytes of base64 data, or undefined when it is none of the supported ones. */
export function sniffImageType(base64: string): string | undefined {
  const head = Buffer.from(base64.slice(0, 24), "base64");
  if (head.length >= 8 && head[0] === 0x89 && head[1] === 0x50 && head[2] === 0x4e && head[3] === 0x47) return "image/png";
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return "image/jpeg";
  if (head.length >= 6 && head.toString("latin1", 0, 4) === "GIF8") return "image/gif";
  if (head.length >= 12 && head.toString("latin1", 0, 4) === "RIFF" && head.toString("latin1", 8, 12) === "WEBP") return "image/webp";
  return undefined;
}
