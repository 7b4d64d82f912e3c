/** Claude on Bedrock: the Anthropic Messages body over InvokeModel / InvokeModelWithResponseStream. */
import type { IncomingHttpHeaders } from "node:http";
import type { ModelStreamPart } from "../output/model-stream-part.js";
import type { BedrockProtocol, PreparedCall } from "../bedrock-protocol.js";
import { buildAnthropicRequest } from "./build-anthropic-request.js";
import { guardrailInvokeHeaders, guardrailInvokeParams } from "../options/map-guardrail.js";
import { anthropicResponseToParts } from "./decode-anthropic-response.js";
import { anthropicStreamParts } from "./decode-anthropic-stream.js";
import type { JsonObject } from "../errors/read-response-fields.js";
import { countTokensOf, parseJsonBody } from "../transport/parse-json-body.js";
import { readEventStream, withEventStreamCodec } from "../transport/read-event-stream.js";
import { encodeUriSegment } from "../transport/encode-uri-segment.js";
import { estimateInputTokens } from "../tokens/estimate-input-tokens.js";

/** InvokeModel* report the tier that served the call in `X-Amzn-Bedrock-Service-Tier`. */
function serviceTierFromHeaders(headers: IncomingHttpHeaders): ModelStreamPart[] {
  const tier = headers["x-amzn-bedrock-service-tier"];
  return typeof tier === "string" && tier !== "" ? [{ type: "service_tier", tier }] : [];
}

export const anthropicInvokeProtocol: BedrockProtocol = {
  prepare(model, messages, options, defaults): PreparedCall {
    const request = buildAnthropicRequest(model, messages, options, defaults);
    const body = JSON.stringify(request.body);
    const guardrailHeaders = guardrailInvokeHeaders(guardrailInvokeParams(options.guardrail));
    const invokeHeaders = { accept: "application/json", ...guardrailHeaders, ...request.knobHeaders };
    const streamHeaders = { "x-amzn-bedrock-accept": "application/json", ...guardrailHeaders, ...request.knobHeaders };
    const path = `/model/${encodeUriSegment(model)}`;
    return {
      clientStops: request.clientStops,
      async invoke(handle, options) {
        const response = await handle.transport.invokeWithHeaders(`${path}/invoke`, body, invokeHeaders, options);
        const parts = anthropicResponseToParts(parseJsonBody<JsonObject>(response.body, handle.transport.secrets));
        return [...serviceTierFromHeaders(response.headers), ...parts];
      },
      async countTokens(handle, options, modelId) {
        const input = { input: { invokeModel: { body: Buffer.from(body).toString("base64") } } };
        return countTokensOf(await handle.transport.invoke(`/model/${encodeUriSegment(modelId)}/count-tokens`, JSON.stringify(input), {}, options), handle.transport.secrets);
      },
      estimateInputTokens: () => estimateInputTokens(request.body),
      async openStream(handle, options) {
        const response = await withEventStreamCodec(handle.transport.open(`${path}/invoke-with-response-stream`, body, streamHeaders, { ...options, headersAreIdle: true }));
        const { secrets } = handle.transport;
        return readEventStream(response, anthropicStreamParts, { ...options, secrets, leading: serviceTierFromHeaders(response.headers) });
      },
    };
  },
};
