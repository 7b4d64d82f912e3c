/**
 * The `responseFormat` option on the wire. Converse: `outputConfig.textFormat` with the schema as a JSON
 * string (`JsonSchemaDefinition.schema` is a String in the service model). Claude over InvokeModel:
 * Anthropic's `output_config.format` (Bedrock's structured-output guide: "For InvokeModel API with Anthropic
 * Claude models, use the output_config.format request field"; the older top-level `output_format` is
 * deprecated). Both merge into an `outputConfig` / `output_config` that other options may also fill.
 */
import type { ConverseCommandInput } from "@aws-sdk/client-bedrock-runtime";
import { InvalidRequestError } from "../../../schema/errors.js";
import type { ResponseFormat } from "../../llm-provider.js";
import type { AnthropicRequestBody } from "../anthropic/anthropic-types.js";

function checkResponseFormat(format: ResponseFormat): void {
  if (format === null || typeof format !== "object" || format.type !== "json_schema") {
    throw new InvalidRequestError('responseFormat must be { type: "json_schema", schema: { ...a JSON Schema object } }.');
  }
  if (format.schema === null || typeof format.schema !== "object" || Array.isArray(format.schema)) {
    throw new InvalidRequestError("responseFormat.schema must be a JSON Schema object, e.g. { type: \"object\", properties: {...} }.");
  }
}

export function applyConverseResponseFormat(input: ConverseCommandInput, format: ResponseFormat | undefined): void {
  if (format === undefined) return;
  checkResponseFormat(format);
  const jsonSchema = {
    schema: JSON.stringify(format.schema),
    ...(format.name !== undefined ? { name: format.name } : {}),
    ...(format.description !== undefined ? { description: format.description } : {}),
  };
  input.outputConfig = { ...input.outputConfig, textFormat: { type: "json_schema", structure: { jsonSchema } } };
}

export function applyAnthropicResponseFormat(body: AnthropicRequestBody, format: ResponseFormat | undefined): void {
  if (format === undefined) return;
  checkResponseFormat(format);
  const outputConfig = body.output_config as Record<string, unknown> | undefined;
  body.output_config = { ...outputConfig, format: { type: "json_schema", schema: format.schema } };
}
