/**
 * One non-streaming InvokeModel on the provider's transport, keeping the response headers: embedding models
 * report their input tokens only in x-amzn-bedrock-input-token-count. The read mirrors
 * BedrockTransport.invoke (bounded size, idle timeout, errors typed and scrubbed).
 */
import { NetworkError, TimeoutError } from "../../../schema/errors.js";
import type { BedrockTransport } from "../transport/bedrock-transport.js";
import { networkErrorOf } from "../transport/network-error.js";
import { parseJsonBody } from "../transport/parse-json-body.js";
import { readResponseBody } from "../transport/read-response-body.js";
import { encodeUriSegment } from "../transport/encode-uri-segment.js";

/** Embeddings of 96 texts at 1536 floats are ~3 MB of JSON; this bounds a runaway answer. */
const MAX_BODY = 64 * 1024 * 1024;

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
  const response = await transport.open(path, JSON.stringify(body), { accept: "application/json" }, { ...options, headersAreIdle: false });
  const read = await readResponseBody(response, { maxBytes: MAX_BODY, idleMs: options.idleMs }).catch((error: unknown) => {
    throw options.signal.aborted ? options.signal.reason : networkErrorOf(error, transport.secrets, "while reading the response");
  });
  if (read.outcome === "idle") throw new TimeoutError("idle", options.idleMs!);
  if (read.outcome === "too_large") throw new NetworkError(`The response from Bedrock is larger than ${MAX_BODY} bytes; it was not read.`, false, { networkCode: "response_too_large" });
  const header = Number(response.headers["x-amzn-bedrock-input-token-count"]);
  return { body: parseJsonBody<Record<string, unknown>>(read.body, transport.secrets), inputTokens: Number.isFinite(header) && header >= 0 ? header : undefined };
}
