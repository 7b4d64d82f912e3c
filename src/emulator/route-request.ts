import type { Operation } from "./answer-plan.js";

const MODEL_PATH = /^\/model\/([^/]+)\/(invoke|invoke-with-response-stream|converse|converse-stream|count-tokens)$/;

const OPERATION_BY_SUFFIX: Record<string, Operation> = {
  invoke: "InvokeModel",
  "invoke-with-response-stream": "InvokeModelWithResponseStream",
  converse: "Converse",
  "converse-stream": "ConverseStream",
  "count-tokens": "CountTokens",
};

export type RouteResult =
  | { kind: "operation"; operation: Operation; modelId: string; rawPath: string }
  | { kind: "not_found"; message: string }
  | { kind: "method_not_allowed"; message: string }
  | { kind: "bad_path"; message: string };

/**
 * Matches the RAW request path (the SDK percent-encodes ':' and '/' in model ids, so an ARN is one segment),
 * then decodes the model id.
 */
export function routeRequest(method: string, url: string): RouteResult {
  const queryStart = url.indexOf("?");
  const rawPath = queryStart === -1 ? url : url.slice(0, queryStart);
  const match = MODEL_PATH.exec(rawPath);
  if (!match) {
    return {
      kind: "not_found",
      message: `No Bedrock Runtime operation is served at ${truncate(rawPath)}. Use POST /model/{modelId}/invoke, /invoke-with-response-stream, /converse, /converse-stream or /count-tokens.`,
    };
  }
  if (method !== "POST") {
    return { kind: "method_not_allowed", message: `Method ${truncate(method)} is not allowed on ${truncate(rawPath)}; use POST.` };
  }
  let modelId: string;
  try {
    modelId = decodeURIComponent(match[1]!);
  } catch {
    return { kind: "bad_path", message: "The model id in the path is not valid percent-encoding." };
  }
  return { kind: "operation", operation: OPERATION_BY_SUFFIX[match[2]!]!, modelId, rawPath };
}

function truncate(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}...` : text;
}
