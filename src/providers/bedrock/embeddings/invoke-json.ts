/**
 * One non-streaming InvokeModel on the provider's transport, keeping the response headers: embedding models
 * report their input tokens only in x-amzn-bedrock-input-token-count.
 */
import type { BedrockTransport } from "../transport/bedrock-transport.js";
import { parseJsonBody } from "../transport/parse-json-body.js";
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
  const answer = await transport.invokeWithHeaders(path, JSON.stringify(body), { accept: "application/json" }, options);
  const header = Number(answer.headers["x-amzn-bedrock-input-token-count"]);
  return { body: parseJsonBody<Record<string, unknown>>(answer.body, transport.secrets), inputTokens: Number.isFinite(header) && header >= 0 ? header : undefined };
}
