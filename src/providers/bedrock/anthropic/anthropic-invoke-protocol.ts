/** Claude on Bedrock: the Anthropic Messages body over InvokeModel / InvokeModelWithResponseStream. */
import type { AnthropicResponseBody } from "./anthropic-types.js";
import type { BedrockProtocol, PreparedCall } from "../bedrock-protocol.js";
import { buildAnthropicRequest } from "./build-anthropic-request.js";
import { guardrailInvokeHeaders, guardrailInvokeParams } from "../options/map-guardrail.js";
import { anthropicResponseToParts, anthropicStreamParts } from "./decode-anthropic-stream.js";
import { countTokensOf, parseJsonBody } from "../transport/parse-json-body.js";
import { readEventStream } from "../transport/read-event-stream.js";
import { encodeUriSegment } from "../transport/encode-uri-segment.js";

export const anthropicInvokeProtocol: BedrockProtocol = {
  prepare(model, messages, options, defaults): PreparedCall {
    const request = buildAnthropicRequest(model, messages, options, defaults);
    const body = JSON.stringify(request.body);
    const guardrailHeaders = guardrailInvokeHeaders(guardrailInvokeParams(options.guardrail));
    const invokeHeaders = { accept: "application/json", ...guardrailHeaders };
    const streamHeaders = { "x-amzn-bedrock-accept": "application/json", ...guardrailHeaders };
    const path = `/model/${encodeUriSegment(model)}`;
    return {
      clientStops: request.clientStops,
      async invoke(handle, options) {
        const response = await handle.transport.invoke(`${path}/invoke`, body, invokeHeaders, options);
        return anthropicResponseToParts(parseJsonBody<AnthropicResponseBody>(response, handle.transport.secrets));
      },
      async countTokens(handle, options) {
        const input = { input: { invokeModel: { body: Buffer.from(body).toString("base64") } } };
        return countTokensOf(await handle.transport.invoke(`${path}/count-tokens`, JSON.stringify(input), {}, options), handle.transport.secrets);
      },
      async openStream(handle, options) {
        const response = await handle.transport.open(`${path}/invoke-with-response-stream`, body, streamHeaders, { ...options, headersAreIdle: true });
        return readEventStream(response, anthropicStreamParts, handle.transport.secrets);
      },
    };
  },
};
