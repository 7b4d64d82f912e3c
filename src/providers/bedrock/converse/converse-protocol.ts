/**
 * Every Bedrock model through Converse / ConverseStream (Amazon Nova, Meta Llama, Mistral, ..., and Claude
 * with `api: "converse"`): the same prepared-call seam as the InvokeModel path, so retries, timeouts,
 * accounting and events are shared.
 */
import type { ConverseStreamOutput } from "@aws-sdk/client-bedrock-runtime";
import { ProviderError } from "../../../schema/errors.js";
import type { BedrockProtocol, PreparedCall } from "../bedrock-protocol.js";
import type { ModelStreamPart } from "../model-stream-part.js";
import { buildConverseRequest } from "./build-converse-request.js";
import { decodeConverseResponse } from "./decode-converse-response.js";
import { ConverseStreamDecoder } from "./decode-converse-stream.js";

/** One batch of parts per event (the SDK hands events over one at a time). */
export async function* decodeConverseStream(stream: AsyncIterable<ConverseStreamOutput>, stops: readonly string[] = []): AsyncGenerator<ModelStreamPart[]> {
  const decoder = new ConverseStreamDecoder();
  for await (const event of stream) {
    const parts = decoder.push(event);
    if (parts.length > 0) yield parts.map((part) => fillStopSequence(part, stops));
  }
  const last = decoder.end();
  if (last.length > 0) yield last.map((part) => fillStopSequence(part, stops));
}

/**
 * Models that do not report which stop sequence matched (only Anthropic models answer
 * `additionalModelResponseFieldPaths`): when exactly one was sent, it is the one.
 */
export function fillStopSequence(part: ModelStreamPart, stops: readonly string[]): ModelStreamPart {
  if (part.type !== "finish" || part.stopReason !== "stop_sequence" || part.stopSequence !== null || stops.length !== 1) return part;
  return { ...part, stopSequence: stops[0]! };
}

export const converseProtocol: BedrockProtocol = {
  prepare(model, messages, options, defaults): PreparedCall {
    const request = buildConverseRequest(model, messages, options, defaults);
    const stops = request.input.inferenceConfig?.stopSequences ?? [];
    return {
      clientStops: request.clientStops,
      async invoke(handle, signal) {
        const output = await handle.client.send(new handle.sdk.ConverseCommand(request.input), { abortSignal: signal });
        return decodeConverseResponse(output).map((part) => fillStopSequence(part, stops));
      },
      async openStream(handle, signal) {
        const output = await handle.client.send(new handle.sdk.ConverseStreamCommand(request.input), { abortSignal: signal });
        if (!output.stream) throw new ProviderError("Bedrock returned a ConverseStream response without a stream.", "invalid_response", true);
        return decodeConverseStream(output.stream, stops);
      },
    };
  },
};
