/**
 * One non-streaming InvokeModel on the provider's transport, keeping the response headers: embedding models
 * report their input tokens only in x-amzn-bedrock-input-token-count. The body is parsed from its bytes
 * (parse-json-bytes.ts): an answer of 96 Cohere vectors is ~98,000 numbers. Fields named in `skip` are checked
 * but not built (Cohere echoes the ~17 KB of input texts), and the arrays the parser found to hold only finite
 * numbers come back in `numberArrays`, so the vectors are not checked twice.
 */
import type { BedrockTransport } from "../transport/bedrock-transport.js";
import { parseJsonChunksBody } from "../transport/parse-json-body.js";
import { encodeUriSegment } from "../transport/encode-uri-segment.js";

export interface InvokeJsonResult {
  body: Record<string, unknown>;
  /** From x-amzn-bedrock-input-token-count; undefined when absent. */
  inputTokens: number | undefined;
  /** The non-empty arrays in `body` that hold only finite numbers. */
  numberArrays: ReadonlySet<unknown>;
}

export async function invokeJson(
  transport: BedrockTransport,
  model: string,
  body: Record<string, unknown>,
  options: { signal: AbortSignal; idleMs: number | undefined; skip?: ReadonlySet<string> },
): Promise<InvokeJsonResult> {
  const path = `/model/${encodeUriSegment(model)}/invoke`;
  const answer = await transport.invokeChunks(path, JSON.stringify(body), { accept: "application/json" }, options);
  const header = Number(answer.headers["x-amzn-bedrock-input-token-count"]);
  const numberArrays = new Set<unknown[]>();
  const parsed = parseJsonChunksBody<Record<string, unknown>>(answer.chunks, { skip: options.skip, numberArrays });
  return { body: parsed, inputTokens: Number.isFinite(header) && header >= 0 ? header : undefined, numberArrays };
}
