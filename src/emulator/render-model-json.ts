import type { JsonPlan } from "./answer-plan.js";
import { endInPieces } from "./end-in-pieces.js";
import type { WireExchange } from "./wire-exchange.js";

/** An embedding or rerank model's InvokeModel answer, with Bedrock's token-count and latency headers. Resolves with the bytes sent. */
export async function renderModelJson(res: WireExchange["res"], plan: JsonPlan, requestId: string, latencyMs: number): Promise<number> {
  const body = Buffer.from(JSON.stringify(plan.body));
  res.writeHead(200, {
    "content-type": "application/json",
    "content-length": body.length,
    "x-amzn-requestid": requestId,
    "x-amzn-bedrock-input-token-count": String(plan.inputTokens),
    "x-amzn-bedrock-output-token-count": "0",
    "x-amzn-bedrock-invocation-latency": String(latencyMs),
  });
  await endInPieces(res, body);
  return body.length;
}
