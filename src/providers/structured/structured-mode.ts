/**
 * How a model is asked for a schema-shaped answer:
 *  - "native": constrained decoding. Claude over InvokeModel gets `output_config.format`; every model over
 *    Converse gets `outputConfig.textFormat`. Bedrock lists Claude Haiku/Sonnet/Opus 4.5 and later, and
 *    select open-weight models (Qwen, DeepSeek, Gemma, Nemotron, MiniMax, Kimi, gpt-oss) as supported.
 *  - "tool": one tool whose input schema is the schema, and a forced call of it (toolChoice tool). Models
 *    whose Converse API refuses a forced tool choice (only Claude, Nova and Mistral Large accept one) get
 *    the tool offered with toolChoice auto and an instruction to call it.
 * `mode: "auto"` (the default) picks native where listed, tool elsewhere.
 */
import { InvalidRequestError } from "../../schema/errors.js";
import { isAnthropicModel } from "../bedrock/select-bedrock-api.js";

export type StructuredMode = "auto" | "native" | "tool";

/** Claude Haiku/Sonnet/Opus 4.5+ and 5+ (Claude Fable is left out: Anthropic lists it without JSON outputs). */
const NATIVE_CLAUDE = /anthropic\.claude-(opus|sonnet|haiku)-(4-[5-9]|[5-9])(?![0-9])/i;
const NATIVE_OPEN_WEIGHT = /(^|[.:/])(qwen|deepseek|google\.gemma|nvidia\.nemotron|minimax|moonshot(ai)?|openai\.gpt-oss)/i;
const FORCED_TOOL_CHOICE = /(^|[.:/])(anthropic\.claude|amazon\.nova|mistral\.)/i;

export function supportsNativeStructuredOutput(model: string): boolean {
  return NATIVE_CLAUDE.test(model) || NATIVE_OPEN_WEIGHT.test(model);
}

/** Strict tool use is offered with structured outputs, on the same models. */
export function supportsStrictTools(model: string): boolean {
  return supportsNativeStructuredOutput(model);
}

export function acceptsForcedToolChoice(model: string): boolean {
  return FORCED_TOOL_CHOICE.test(model) || isAnthropicModel(model);
}

export function resolveStructuredMode(model: string, requested: StructuredMode | undefined): "native" | "tool" {
  if (requested === undefined || requested === "auto") return supportsNativeStructuredOutput(model) ? "native" : "tool";
  if (requested === "native" || requested === "tool") return requested;
  throw new InvalidRequestError(`mode must be "auto", "native" or "tool" (got ${JSON.stringify(requested)}).`);
}
