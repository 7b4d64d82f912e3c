/** Claude on Bedrock: the Anthropic Messages body over InvokeModel / InvokeModelWithResponseStream. */
import { ProviderError } from "../../schema/errors.js";
import type { AnthropicResponseBody } from "./anthropic-types.js";
import type { BedrockProtocol, PreparedCall } from "./bedrock-protocol.js";
import { buildAnthropicRequest } from "./build-anthropic-request.js";
import { guardrailInvokeHeaders, guardrailInvokeParams } from "./map-guardrail.js";
import { anthropicResponseToParts, anthropicStreamParts } from "./decode-anthropic-stream.js";
import { readEventStream } from "./event-stream/read-event-stream.js";
import { encodeUriSegment } from "./event-stream/sign-sigv4.js";

const decoder = new TextDecoder();

export const anthropicInvokeProtocol: BedrockProtocol = {
  prepare(model, messages, options, defaults): PreparedCall {
    const request = buildAnthropicRequest(model, messages, options, defaults);
    const body = JSON.stringify(request.body);
    const guardrail = guardrailInvokeParams(options.guardrail);
    const streamHeaders = { "x-amzn-bedrock-accept": "application/json", ...guardrailInvokeHeaders(guardrail) };
    const streamPath = `/model/${encodeUriSegment(model)}/invoke-with-response-stream`;
    return {
      clientStops: request.clientStops,
      async invoke(handle, signal) {
        const input = { modelId: model, body, contentType: "application/json", accept: "application/json", ...guardrail };
        const output = await handle.client.send(new handle.sdk.InvokeModelCommand(input), { abortSignal: signal });
        let parsed: AnthropicResponseBody;
        try {
          parsed = JSON.parse(decoder.decode(output.body)) as AnthropicResponseBody;
        } catch (error) {
          throw new ProviderError("Bedrock returned a response body that is not JSON.", "invalid_response", false, { cause: error });
        }
        return anthropicResponseToParts(parsed);
      },
      // Sent by this library rather than the SDK: see event-stream/event-stream-transport.ts for why.
      async openStream(handle, signal) {
        const response = await handle.eventStreams.open(streamPath, body, streamHeaders, signal);
        return readEventStream(response, anthropicStreamParts);
      },
    };
  },
};
