/** OpenAI-format tools + toolChoice -> Anthropic `tools` / `tool_choice`, validated before sending. */
import { InvalidRequestError } from "../../../schema/errors.js";
import type { ToolChoice, ToolDefinition } from "../../llm-provider.js";
import type { AnthropicTool, AnthropicToolChoice } from "./anthropic-types.js";

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

export interface PreparedTools {
  tools?: AnthropicTool[];
  tool_choice?: AnthropicToolChoice;
}

export function prepareTools(tools: readonly ToolDefinition[] | undefined, toolChoice: ToolChoice | undefined): PreparedTools {
  if (tools === undefined || tools === null || (Array.isArray(tools) && tools.length === 0)) {
    if (toolChoice !== undefined && toolChoice !== "none" && toolChoice !== "auto") {
      throw new InvalidRequestError(`toolChoice ${JSON.stringify(toolChoice)} needs tools; pass the tools the model may call.`);
    }
    return {};
  }
  if (!Array.isArray(tools)) throw new InvalidRequestError("tools must be an array of {type: \"function\", function: {name, description, parameters}}.");
  const seen = new Set<string>();
  const converted = tools.map((tool, i) => {
    const where = `tools[${i}]`;
    const fn = (tool as Partial<ToolDefinition> | undefined)?.function;
    if (!tool || tool.type !== "function" || !fn || typeof fn !== "object") {
      throw new InvalidRequestError(`${where} must be {type: "function", function: {name, description, parameters}}.`);
    }
    if (typeof fn.name !== "string" || !TOOL_NAME.test(fn.name)) {
      throw new InvalidRequestError(`${where}: tool name ${JSON.stringify(fn.name)} must be 1-64 letters, digits, "_" or "-".`);
    }
    if (seen.has(fn.name)) throw new InvalidRequestError(`${where}: tool name "${fn.name}" is given twice.`);
    seen.add(fn.name);
    const parameters = fn.parameters ?? { type: "object", properties: {} };
    if (typeof parameters !== "object" || Array.isArray(parameters)) throw new InvalidRequestError(`${where}: function.parameters must be a JSON Schema object.`);
    const out: AnthropicTool = { name: fn.name, input_schema: parameters };
    if (typeof fn.description === "string" && fn.description !== "") out.description = fn.description;
    if (fn.strict !== undefined && typeof fn.strict !== "boolean") throw new InvalidRequestError(`${where}: function.strict must be true or false.`);
    if (fn.strict === true) out.strict = true;
    return out;
  });
  const choice = convertToolChoice(toolChoice, seen);
  return choice ? { tools: converted, tool_choice: choice } : { tools: converted };
}

function convertToolChoice(choice: ToolChoice | undefined, names: ReadonlySet<string>): AnthropicToolChoice | undefined {
  if (choice === undefined) return undefined;
  if (choice === "auto") return { type: "auto" };
  if (choice === "any" || choice === "required") return { type: "any" };
  if (choice === "none") return { type: "none" };
  const name = typeof choice === "object" && choice !== null ? choice.function?.name : undefined;
  if (typeof name !== "string") {
    throw new InvalidRequestError(`toolChoice must be "auto", "any", "required", "none" or {type: "function", function: {name}}, got ${JSON.stringify(choice)}.`);
  }
  if (!names.has(name)) throw new InvalidRequestError(`toolChoice names "${name}", which is not one of the tools given (${[...names].join(", ")}).`);
  return { type: "tool", name };
}
