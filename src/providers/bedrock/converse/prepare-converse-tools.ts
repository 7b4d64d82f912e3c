/**
 * OpenAI-format tools + toolChoice -> Converse `toolConfig` (`toolSpec` with `inputSchema.json`), validated
 * by the same rules as the InvokeModel path (prepare-tools.ts). Converse has no "none" choice: with
 * toolChoice "none" no toolConfig is sent, so the model cannot call a tool, and tool blocks in the history
 * are sent as text (Converse rejects toolUse/toolResult blocks without a toolConfig).
 */
import type { Tool, ToolChoice as ConverseToolChoice, ToolConfiguration } from "@aws-sdk/client-bedrock-runtime";
import type { ToolChoice, ToolDefinition } from "../../llm-provider.js";
import type { AnthropicToolChoice } from "../anthropic/anthropic-types.js";
import { converseCachePoint } from "../options/apply-cache-points.js";
import { prepareTools } from "../anthropic/prepare-tools.js";

export interface ConverseTools {
  /** Undefined when no tools are offered (or toolChoice is "none"). */
  toolConfig?: ToolConfiguration;
}

function convertChoice(choice: AnthropicToolChoice | undefined): ConverseToolChoice | undefined {
  if (choice === undefined || choice.type === "none") return undefined;
  if (choice.type === "auto") return { auto: {} };
  if (choice.type === "any") return { any: {} };
  return { tool: { name: choice.name } };
}

export function prepareConverseTools(tools: readonly ToolDefinition[] | undefined, toolChoice: ToolChoice | undefined, cacheTools: boolean): ConverseTools {
  const prepared = prepareTools(tools, toolChoice);
  if (prepared.tools === undefined || prepared.tool_choice?.type === "none") return {};
  const specs: Tool[] = prepared.tools.map((tool) => ({
    toolSpec: {
      name: tool.name,
      ...(tool.description !== undefined ? { description: tool.description } : {}),
      inputSchema: { json: tool.input_schema as never },
      ...(tool.strict === true ? { strict: true } : {}),
    },
  }));
  if (cacheTools) specs.push(converseCachePoint());
  const choice = convertChoice(prepared.tool_choice);
  return { toolConfig: choice === undefined ? { tools: specs } : { tools: specs, toolChoice: choice } };
}
