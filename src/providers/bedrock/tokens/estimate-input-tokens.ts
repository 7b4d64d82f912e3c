/**
 * The documented estimate used when Bedrock cannot count a request's tokens: about 4 characters a token for
 * every text the model reads (system prompt, messages, tool calls and results, reasoning text), tool
 * definitions by the length of their JSON, an image at IMAGE_TOKEN_ESTIMATE tokens, and a document at a
 * token per 4 bytes of its content. Structural fields (roles, ids, types, signatures, cache markers) are not
 * counted. Real counts depend on each model's tokenizer; this is for budgeting and context-window checks.
 */
export const CHARS_PER_TOKEN = 4;
/** Claude's own image cost formula tops out near 1,600 tokens for an image of about 1.15 megapixels. */
export const IMAGE_TOKEN_ESTIMATE = 1_600;

/** Fields that are structure, not text the model reads. */
const STRUCTURAL_KEYS = new Set([
  "type", "role", "id", "tool_use_id", "toolUseId", "signature", "cache_control", "cachePoint", "media_type",
  "format", "anthropic_version", "max_tokens", "status", "redactedContent", "data_type", "anthropic_beta",
]);

export function estimateTextTokens(chars: number): number {
  return Math.ceil(chars / CHARS_PER_TOKEN);
}

/** Estimates the input tokens of a request object (an Anthropic Messages body or a Converse input). */
export function estimateInputTokens(request: unknown): number {
  let chars = 0;
  let fixed = 0;
  const visit = (value: unknown, key: string | undefined): void => {
    if (key !== undefined && STRUCTURAL_KEYS.has(key)) return;
    if (typeof value === "string") chars += value.length;
    else if (value instanceof Uint8Array) chars += value.byteLength;
    else if (Array.isArray(value)) for (const item of value) visit(item, undefined);
    else if (value !== null && typeof value === "object") {
      const record = value as Record<string, unknown>;
      if (key === "tools" || key === "toolConfig" || key === "input" || key === "json") {
        chars += JSON.stringify(value, (_k, v: unknown) => (v instanceof Uint8Array ? "" : v)).length;
      } else if (key === "image" || record.type === "image") {
        fixed += IMAGE_TOKEN_ESTIMATE;
      } else if (record.type === "base64" && typeof record.data === "string") {
        chars += Math.floor((record.data.length * 3) / 4); // a base64 document: its decoded size
      } else {
        for (const [name, inner] of Object.entries(record)) visit(inner, name);
      }
    }
  };
  visit(request, undefined);
  return estimateTextTokens(chars) + fixed;
}
