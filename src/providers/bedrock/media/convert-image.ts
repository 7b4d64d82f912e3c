/**
 * A resolved image part -> an Anthropic base64 image block. Resolution (resolve-media-parts.ts) has already
 * parsed data URLs, read files, checked the size and taken the media type from the bytes, once; nothing is
 * checked twice here.
 */
import type { AnthropicImageBlock } from "../anthropic/anthropic-types.js";
import { resolvedMedia } from "./resolve-media-parts.js";

export function toImageBlock(part: Record<string, unknown>, where: string): AnthropicImageBlock {
  const { data, mediaType } = resolvedMedia(part, "image", where);
  return { type: "image", source: { type: "base64", media_type: mediaType, data } };
}
