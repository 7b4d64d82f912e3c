/**
 * A record's `modelOutput` as model parts, by the decoder of its job's type: the InvokeModel body of a Claude
 * model, or the Converse response. Every field is read checked (the output is untrusted); a malformed one throws.
 */
import { anthropicResponseToParts } from "../../providers/bedrock/anthropic/decode-anthropic-response.js";
import { fillStopSequence } from "../../providers/bedrock/stop-sequences/reported-stop-sequence.js";
import { decodeConverseResponse } from "../../providers/bedrock/converse/decode-converse-response.js";
import type { JsonObject } from "../../providers/bedrock/errors/read-response-fields.js";
import type { ModelStreamPart } from "../../providers/bedrock/output/model-stream-part.js";
import type { ModelInvocationType } from "./build-model-input.js";

export function modelOutputParts(type: ModelInvocationType, modelOutput: unknown, serverStops: readonly string[]): ModelStreamPart[] {
  if (modelOutput === null || typeof modelOutput !== "object" || Array.isArray(modelOutput)) throw new Error("modelOutput is not a JSON object");
  if (type === "InvokeModel") return anthropicResponseToParts(modelOutput as JsonObject);
  return decodeConverseResponse(modelOutput as JsonObject).map((part) => fillStopSequence(part, serverStops));
}
