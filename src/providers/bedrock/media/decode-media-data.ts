/**
 * Inline media (base64 text or a `data:` URL) -> checked base64 and the format its bytes are. The size is
 * computed from the base64 text, so an oversized item is refused before it is decoded.
 */
import { InvalidRequestError } from "../../../schema/errors.js";
import { checkMediaFormat, checkMediaSize, maxBytesFor } from "./check-media.js";
import { formatForMediaType, type MediaFormat, type MediaKind } from "./detect-media-type.js";

export interface DecodedMedia {
  /** Base64 without whitespace or a `data:` prefix. */
  data: string;
  format: MediaFormat;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** `data:<media type>[;params];base64,<data>` -> its parts. */
export function parseDataUrl(url: string, what: string): { data: string; mediaType: string } {
  const comma = url.indexOf(",");
  const header = comma < 0 ? "" : url.slice(0, comma);
  if (!/^data:[^;,]*(;[^;,]+)*;base64$/i.test(header)) {
    throw new InvalidRequestError(`${what} is a data: URL without base64 data; use data:<media type>;base64,<data>.`);
  }
  return { mediaType: header.slice("data:".length).split(";")[0]!, data: url.slice(comma + 1) };
}

/** The number of bytes base64 text (without whitespace) decodes to; undefined when it is not base64. */
function decodedLength(base64: string): number | undefined {
  if (!BASE64.test(base64) || base64.length % 4 === 1) return undefined;
  const padding = base64.endsWith("==") ? 2 : base64.endsWith("=") ? 1 : 0;
  if (padding > 0 && base64.length % 4 !== 0) return undefined;
  return Math.floor((base64.length * 3) / 4) - padding;
}

/**
 * Checks inline media of `kind`: base64 syntax, size (against `limit`), declared media type and the format of
 * the bytes. `data` may be a `data:` URL, whose media type then counts as the declared one.
 */
export function decodeMediaData(kind: MediaKind, data: string, mediaType: string | undefined, what: string, limit: number = maxBytesFor(kind)): DecodedMedia {
  if (data.startsWith("data:")) ({ data, mediaType } = parseDataUrl(data, what));
  const declared = mediaType ? formatForMediaType(mediaType) : undefined;
  if (mediaType && declared === undefined) {
    throw new InvalidRequestError(`${what} has media type "${mediaType}", which is not supported for ${kind}s by Bedrock.`);
  }
  const base64 = data.replace(/\s/g, "");
  const size = decodedLength(base64);
  if (size === undefined) throw new InvalidRequestError(`${what} is not valid base64 data; give base64 text, a data: URL or a file path.`);
  checkMediaSize(kind, size, what, limit);
  const format = checkMediaFormat(kind, new Uint8Array(Buffer.from(base64, "base64")), declared?.kind === kind ? declared : undefined, what);
  return { data: base64, format };
}
