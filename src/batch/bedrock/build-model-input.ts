/**
 * A batch line as the `modelInput` of a Bedrock batch record: the InvokeModel body the provider would send
 * for the same call (built by the same request builder, with the model config's defaults), so batch and
 * on-demand answers come from identical requests. Claude models only: their body is what InvokeModel jobs take.
 */
import type { LLMConfig } from "../../config/llm-config.js";
import type { AnthropicRequestBody } from "../../providers/bedrock/anthropic/anthropic-types.js";
import { buildAnthropicRequest } from "../../providers/bedrock/anthropic/build-anthropic-request.js";
import { expandThinkingBlocks } from "../../providers/bedrock/thinking/expand-thinking-blocks.js";
import { hasMediaParts, resolveMediaParts } from "../../providers/bedrock/media/resolve-media-parts.js";
import { selectBedrockApi } from "../../providers/bedrock/select-bedrock-api.js";
import type { BatchRequest } from "../batch-request.js";
import { BedrockBatchError } from "./bedrock-batch-errors.js";

export interface ModelInput {
  body: AnthropicRequestBody;
  /** Stop sequences applied to the answer on the client, as on-demand calls do. */
  clientStops: string[];
}

export function checkBatchModel(config: LLMConfig): void {
  if (selectBedrockApi(config.model, config.api) !== "invoke") {
    throw new BedrockBatchError(
      `The Bedrock batch engine sends Claude models' InvokeModel bodies; "${config.model}" goes through Converse, which this engine does not write yet. Use a Claude model, or the local runner (--engine local).`,
    );
  }
}

export async function buildModelInput(config: LLMConfig, request: BatchRequest): Promise<ModelInput> {
  let messages = request.messages;
  if (hasMediaParts(messages)) messages = await resolveMediaParts(messages);
  messages = expandThinkingBlocks(messages);
  const defaults = { temperature: config.temperature, topP: config.topP, topK: config.topK, maxTokens: config.maxTokens };
  const built = buildAnthropicRequest(config.model, messages, request.options, defaults);
  return { body: built.body, clientStops: built.clientStops };
}

/** The recordId of the input line `lineNumber` (1-based): 11 alphanumeric characters, as Bedrock's own. */
export function recordIdOf(lineNumber: number): string {
  return `R${String(lineNumber).padStart(10, "0")}`;
}
