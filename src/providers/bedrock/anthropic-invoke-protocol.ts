/** Claude on Bedrock: the Anthropic Messages body over InvokeModel / InvokeModelWithResponseStream. */
import { ProviderError } from "../../schema/errors.js";
import type { AnthropicResponseBody } from "./anthropic-types.js";
import type { BedrockProtocol, PreparedCall } from "./bedrock-protocol.js";
import { buildAnthropicRequest } from "./build-anthropic-request.js";
import { guardrailInvokeParams } from "./map-guardrail.js";
import { anthropicResponseToParts, decodeAnthropicStream } from "./decode-anthropic-stream.js";

const decoder = new TextDecoder();

export const anthropicInvokeProtocol: BedrockProtocol = {
  prepare(model, messages, options, defaults): PreparedCall {
    const request = buildAnthropicRequest(model, messages, options, defaults);
    const input = {
      modelId: model,
      body: JSON.stringify(request.body),
      contentType: "application/json",
      accept: "application/json",
      ...guardrailInvokeParams(options.guardrail),
    };
    return {
      clientStops: request.clientStops,
      async invoke(handle, signal) {
        const output = await handle.client.send(new handle.sdk.InvokeModelCommand(input), { abortSignal: signal });
        let body: AnthropicResponseBody;
        try {
          body = JSON.parse(decoder.decode(output.body)) as AnthropicResponseBody;
        } catch (error) {
          throw new ProviderError("Bedrock returned a response body that is not JSON.", "invalid_response", false, { cause: error });
        }
        return anthropicResponseToParts(body);
      },
      async openStream(handle, signal) {
        const output = await handle.client.send(new handle.sdk.InvokeModelWithResponseStreamCommand(input), { abortSignal: signal });
        if (!output.body) throw new ProviderError("Bedrock returned a stream response without a body.", "invalid_response", true);
        return decodeAnthropicStream(output.body);
      },
    };
  },
};
