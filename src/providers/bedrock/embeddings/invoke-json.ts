/**
 * One non-streaming InvokeModel on the provider's transport, keeping the response headers: embedding models
 * report their input tokens only in x-amzn-bedrock-input-token-count. The body is parsed from its bytes
 * (parse-json-bytes.ts): an answer of 96 Cohere vectors is ~98,000 numbers.
 */
import type { BedrockTransport } from "../transport/bedrock-transport.js";
import { parseJsonChunksBody } from "../transport/parse-json-body.js";
import { encodeUriSegment } from "../transport/encode-uri-segment.js";

export interface InvokeJsonResult {
  body: Record<string, unknown>;
  /** From x-amzn-bedrock-input-token-count; undefined when absent. */
  inputTokens: number | undefined;
}

export async function invokeJson(
  transport: BedrockTransport,
  model: string,
  body: Record<string, unknown>,
  options: { signal: AbortSignal; idleMs: number | undefined },
): Promise<InvokeJsonResult> {
  const path = `/model/${encodeUriSegment(model)}/invoke`;
  const answer = await transport.invokeChunks(path, JSON.stringify(body), { accept: "application/json" }, options);
  const header = Number(answer.headers["x-amzn-bedrock-input-token-count"]);
  return { body: parseJsonChunksBody<Record<string, unknown>>(answer.chunks), inputTokens: Number.isFinite(header) && header >= 0 ? header : undefined };
}
