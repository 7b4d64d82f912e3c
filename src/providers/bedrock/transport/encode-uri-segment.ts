/**
 * RFC 3986 encoding of one URI path segment, as AWS wants it both on the wire and in SigV4's canonical URI:
 * encodeURIComponent plus the five characters it leaves alone. Model ids and ARNs (with ":" and "/") go
 * into `/model/{modelId}/...` this way.
 */
export function encodeUriSegment(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
