/**
 * Every Bedrock model through Converse / ConverseStream (Amazon Nova, Meta Llama, Mistral, ..., and Claude
 * with `api: "converse"`): the same prepared-call seam as the InvokeModel path, so retries, timeouts,
 * accounting and events are shared.
 */
import type { ConverseCommandInput } from "@aws-sdk/client-bedrock-runtime";
import { estimateInputTokens } from "../tokens/estimate-input-tokens.js";
import type { BedrockProtocol, PreparedCall } from "../bedrock-protocol.js";
import { countTokensOf, parseJsonBody } from "../transport/parse-json-body.js";
import { readEventStream, withEventStreamCodec } from "../transport/read-event-stream.js";
import { encodeUriSegment } from "../transport/encode-uri-segment.js";
import { buildConverseRequest } from "./build-converse-request.js";
import type { JsonObject } from "../errors/read-response-fields.js";
import { fillStopSequence } from "../stop-sequences/reported-stop-sequence.js";
import { decodeConverseResponse } from "./decode-converse-response.js";
import { ConverseStreamDecoder } from "./decode-converse-stream.js";

/** The Converse / ConverseStream request body: the input without the model id (it is in the path), bytes as base64. */
export function converseBody(input: object): string {
  const { modelId: _inPath, ...body } = input as { modelId?: string };
  return JSON.stringify(body, (_key, value: unknown) => (value instanceof Uint8Array ? Buffer.from(value).toString("base64") : value));
}

/** The fields of a Converse request that CountTokens reads (ConverseTokensRequest). */
function countedFields(input: ConverseCommandInput): object {
  const { messages, system, toolConfig, additionalModelRequestFields } = input;
  return { messages, system, toolConfig, additionalModelRequestFields };
}

export const converseProtocol: BedrockProtocol = {
  prepare(model, messages, options, defaults): PreparedCall {
    const request = buildConverseRequest(model, messages, options, defaults);
    const stops = request.input.inferenceConfig?.stopSequences ?? [];
    const body = converseBody(request.input);
    const path = `/model/${encodeUriSegment(model)}`;
    return {
      clientStops: request.clientStops,
      async invoke(handle, options) {
        const response = await handle.transport.invoke(`${path}/converse`, body, {}, options);
        return decodeConverseResponse(parseJsonBody<JsonObject>(response, handle.transport.secrets)).map((part) => fillStopSequence(part, stops));
      },
      async countTokens(handle, options, modelId) {
        const input = { input: { converse: countedFields(request.input) } };
        return countTokensOf(await handle.transport.invoke(`/model/${encodeUriSegment(modelId)}/count-tokens`, converseBody(input), {}, options), handle.transport.secrets);
      },
      estimateInputTokens: () => estimateInputTokens(countedFields(request.input)),
      async openStream(handle, options) {
        const response = await withEventStreamCodec(handle.transport.open(`${path}/converse-stream`, body, {}, { ...options, headersAreIdle: true }));
        const decoder = new ConverseStreamDecoder(stops);
        return readEventStream(response, (messages, into) => decoder.decode(messages, into), { ...options, secrets: handle.transport.secrets, end: () => decoder.end() });
      },
    };
  },
};
