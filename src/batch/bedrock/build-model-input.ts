/**
 * A batch line as the `modelInput` of a Bedrock batch record: the body the provider would send on demand for
 * the same call (built by the same request builder, with the model config's defaults), so batch and on-demand
 * answers come from identical requests. Claude models go in InvokeModel-type jobs with the Anthropic Messages
 * body; every other model (and Claude with `api: "converse"`) in Converse-type jobs with the Converse body.
 */
import type { LLMConfig } from "../../config/llm-config.js";
import { buildAnthropicRequest } from "../../providers/bedrock/anthropic/build-anthropic-request.js";
import { buildConverseRequest } from "../../providers/bedrock/converse/build-converse-request.js";
import { converseBody } from "../../providers/bedrock/converse/converse-protocol.js";
import { expandThinkingBlocks } from "../../providers/bedrock/thinking/expand-thinking-blocks.js";
import { hasMediaParts, resolveMediaParts } from "../../providers/bedrock/media/resolve-media-parts.js";
import { selectBedrockApi } from "../../providers/bedrock/select-bedrock-api.js";
import { prepareStructured } from "../../providers/structured/generate-object.js";
import type { ObjectSchema } from "../../providers/structured/object-schema.js";
import type { BatchRequest } from "../batch-request.js";
import { BedrockBatchError } from "./bedrock-batch-errors.js";
import { internSchema } from "./intern-schema.js";

/** CreateModelInvocationJob's modelInvocationType. */
export type ModelInvocationType = "InvokeModel" | "Converse";

export interface ModelInput {
  /** The modelInput object, as JSON text. */
  json: string;
  /** Stop sequences applied to the answer on the client, as on-demand calls do. */
  clientStops: string[];
  /** Stop sequences sent to the model (a Converse answer names none: with one, it is the one). */
  serverStops: string[];
}

export function invocationTypeOf(config: LLMConfig): ModelInvocationType {
  return selectBedrockApi(config.model, config.api) === "invoke" ? "InvokeModel" : "Converse";
}

export async function buildModelInput(config: LLMConfig, request: BatchRequest): Promise<ModelInput> {
  let messages = request.messages;
  let options = request.options;
  if (request.schema !== undefined) {
    // As generateObject does: the schema becomes the native output format, or a forced tool.
    const prepared = await prepareStructured(config.model, messages, { ...options, schema: internSchema(request.schema) as ObjectSchema });
    messages = prepared.input;
    options = prepared.plan.options;
  }
  if (hasMediaParts(messages)) messages = await resolveMediaParts(messages);
  messages = expandThinkingBlocks(messages);
  const defaults = { temperature: config.temperature, topP: config.topP, topK: config.topK, maxTokens: config.maxTokens };
  if (invocationTypeOf(config) === "InvokeModel") {
    const built = buildAnthropicRequest(config.model, messages, options, defaults);
    return { json: JSON.stringify(built.body), clientStops: built.clientStops, serverStops: built.body.stop_sequences ?? [] };
  }
  const built = buildConverseRequest(config.model, messages, options, defaults);
  if (built.input.toolConfig) {
    const why = request.schema !== undefined ? "this model answers a schema through a tool" : "this request has tools";
    throw new BedrockBatchError(
      `Bedrock batch jobs of the Converse type (every model but Claude's) refuse records with tools: Bedrock fails each with a 400 error, and ${why}. "${config.model}" goes through Converse, so this request was not sent. Send it with the local runner (--engine local), or use a Claude model.`,
      "bedrock_batch_tools_unsupported",
    );
  }
  return { json: converseBody(built.input), clientStops: built.clientStops, serverStops: built.input.inferenceConfig?.stopSequences ?? [] };
}

/** The recordId of the input line `lineNumber` (1-based): 11 alphanumeric characters, as Bedrock's own. */
export function recordIdOf(lineNumber: number): string {
  return `R${String(lineNumber).padStart(10, "0")}`;
}
