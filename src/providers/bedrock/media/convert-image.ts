/** A resolved image part -> an Anthropic base64 image block (resolution checked it: nothing is checked here). */
import type { AnthropicImageBlock } from "../anthropic/anthropic-types.js";
import { resolvedMediaOf } from "./resolved-media.js";

export function toImageBlock(part: object, where: string): AnthropicImageBlock {
  const { data, format } = resolvedMediaOf(part, "image", where);
  return { type: "image", source: { type: "base64", media_type: format.mediaType, data } };
}
