/**
 * The internal form of a media part after resolution (resolve-media-parts.ts): checked base64 data and the
 * format its bytes are. Request builders read it with resolvedMediaOf and trust it; they check nothing
 * again. Only parts produced by resolveMediaParts carry it, so a part that skipped resolution cannot pass for
 * a resolved one, whatever fields it has.
 */
import { InvalidRequestError } from "../../../schema/errors.js";
import type { DocumentMediaFormat, ImageMediaFormat, MediaKind } from "./detect-media-type.js";

export interface ResolvedImage {
  kind: "image";
  data: string;
  format: ImageMediaFormat;
}

export interface ResolvedDocument {
  kind: "document";
  data: string;
  format: DocumentMediaFormat;
  name: string;
}

export type ResolvedMedia = ResolvedImage | ResolvedDocument;

const resolved = new WeakMap<object, ResolvedMedia>();

/** Records that `part` (a new object made by resolution) holds `media`. */
export function markResolved<T extends object>(part: T, media: ResolvedMedia): T {
  resolved.set(part, media);
  return part;
}

/** The resolved media of a part; a part that was not resolved is a programming error in the caller: say so. */
export function resolvedMediaOf<K extends MediaKind>(part: object, kind: K, where: string): Extract<ResolvedMedia, { kind: K }> {
  const media = resolved.get(part);
  if (media?.kind !== kind) {
    throw new InvalidRequestError(`${where}: this ${kind} part was not resolved; media parts go through resolveMediaParts (which the provider calls) before a request is built.`);
  }
  return media as Extract<ResolvedMedia, { kind: K }>;
}
