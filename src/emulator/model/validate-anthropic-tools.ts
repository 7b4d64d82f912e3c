import type { ConversationTool, ToolChoice } from "./conversation.js";
import type { CacheCounter } from "./convert-anthropic-content.js";
import { isRecord } from "./json-shape.js";
import { validationError } from "./request-rejected.js";
import { checkStrictToolSchema } from "./output-format.js";

/** Anthropic `tools`, `tool_choice` and `thinking`, checked with Anthropic's wording. */

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,128}$/;
const DOCS_THINKING = "Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking";

export function convertAnthropicTools(tools: unknown[] | undefined, cache: CacheCounter): ConversationTool[] {
  if (tools === undefined) return [];
  const converted: ConversationTool[] = [];
  const seen = new Set<string>();
  tools.forEach((tool, index) => {
    const path = `tools.${index}`;
    if (!isRecord(tool)) throw validationError(`${path}: Input should be a valid dictionary`);
    const custom = tool.type === undefined || tool.type === "custom";
    const name = tool.name;
    if (typeof name !== "string") throw validationError(`${path}.${custom ? "custom." : ""}name: Field required`);
    if (custom && !TOOL_NAME.test(name)) throw validationError(`${path}.custom.name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'`);
    if (seen.has(name)) throw validationError("tools: Tool names must be unique.");
    seen.add(name);
    if (custom) checkInputSchema(tool, path);
    if (tool.strict !== undefined && typeof tool.strict !== "boolean") throw validationError(`${path}.custom.strict: Input should be a valid boolean`);
    if (custom && tool.strict === true) checkStrictToolSchema(tool.input_schema, `${path}.custom.input_schema`);
    if (tool.description !== undefined && typeof tool.description !== "string") throw validationError(`${path}.custom.description: Input should be a valid string`);
    const description = typeof tool.description === "string" ? tool.description : "";
    converted.push({ kind: "tool", name, description, schema: custom ? tool.input_schema : { type: tool.type } });
    if (tool.cache_control !== undefined) converted.push(checkToolCacheControl(tool.cache_control, path, cache));
  });
  return converted;
}

function checkInputSchema(tool: Record<string, unknown>, path: string): void {
  const schema = tool.input_schema;
  if (schema === undefined) throw validationError(`${path}.custom.input_schema: Field required`);
  if (!isRecord(schema)) throw validationError(`${path}.custom.input_schema: Input should be a valid dictionary`);
  if (schema.type !== "object") throw validationError(`${path}.custom.input_schema.type: Input should be 'object'`);
}

function checkToolCacheControl(control: unknown, path: string, cache: CacheCounter): ConversationTool {
  if (!isRecord(control) || control.type !== "ephemeral") throw validationError(`${path}.cache_control.type: Input should be 'ephemeral'`);
  if (control.ttl !== undefined && control.ttl !== "5m" && control.ttl !== "1h") throw validationError(`${path}.cache_control.ephemeral.ttl: Input should be '5m' or '1h'`);
  cache.count++;
  return control.ttl === undefined ? { kind: "cache_point" } : { kind: "cache_point", ttl: control.ttl as "5m" | "1h" };
}

export function convertAnthropicToolChoice(choice: unknown, toolNames: string[]): ToolChoice {
  if (choice === undefined) return { type: "auto" };
  if (toolNames.length === 0) throw validationError("tool_choice may only be specified while providing tools.");
  if (!isRecord(choice)) throw validationError("tool_choice: Input should be a valid dictionary");
  const parallel = choice.disable_parallel_tool_use;
  if (parallel !== undefined && typeof parallel !== "boolean") throw validationError(`tool_choice.${String(choice.type)}.disable_parallel_tool_use: Input should be a valid boolean`);
  const base = convertChoiceType(choice, toolNames);
  return parallel === true ? { ...base, disableParallelToolUse: true } : base;
}

function convertChoiceType(choice: Record<string, unknown>, toolNames: string[]): ToolChoice {
  switch (choice.type) {
    case "auto":
    case "any":
    case "none":
      return { type: choice.type };
    case "tool": {
      if (typeof choice.name !== "string") throw validationError("tool_choice.tool.name: Field required");
      if (!toolNames.includes(choice.name)) throw validationError(`tool_choice.tool.name: Tool '${choice.name}' not found in the provided tools (${toolNames.join(", ")})`);
      return { type: "tool", name: choice.name };
    }
    default:
      throw validationError(`tool_choice: Input tag '${String(choice.type)}' found using 'type' does not match any of the expected tags: 'auto', 'any', 'tool', 'none'`);
  }
}

export interface SamplingSettings {
  maxTokens: number;
  temperature?: number;
  topP?: number;
  topK?: number;
  toolChoice: ToolChoice;
}

/** `thinking` -> its budget (null when disabled), with the rules that come with it. */
export function convertAnthropicThinking(thinking: unknown, settings: SamplingSettings): { budgetTokens: number } | null {
  if (thinking === undefined || thinking === null) return null;
  if (!isRecord(thinking)) throw validationError("thinking: Input should be a valid dictionary");
  if (thinking.type === "disabled") return null;
  let budgetTokens: number;
  if (thinking.type === "enabled") {
    const budget = thinking.budget_tokens;
    if (budget === undefined) throw validationError("thinking.enabled.budget_tokens: Field required");
    if (typeof budget !== "number" || !Number.isInteger(budget)) throw validationError("thinking.enabled.budget_tokens: Input should be a valid integer");
    if (budget < 1024) throw validationError("thinking.enabled.budget_tokens: Input should be greater than or equal to 1024");
    if (budget >= settings.maxTokens) throw validationError(`\`max_tokens\` must be greater than \`thinking.budget_tokens\`. ${DOCS_THINKING}#max-tokens-and-context-window-size`);
    budgetTokens = budget;
  } else if (thinking.type === "adaptive") {
    budgetTokens = Math.max(1, Math.floor(settings.maxTokens / 2));
  } else {
    throw validationError(`thinking: Input tag '${String(thinking.type)}' found using 'type' does not match any of the expected tags: 'enabled', 'disabled', 'adaptive'`);
  }
  checkSamplingWithThinking(settings);
  return { budgetTokens };
}

function checkSamplingWithThinking(settings: SamplingSettings): void {
  if (settings.temperature !== undefined && settings.temperature !== 1) {
    throw validationError(`\`temperature\` may only be set to 1 when thinking is enabled. ${DOCS_THINKING}`);
  }
  if (settings.topK !== undefined) throw validationError(`\`top_k\` must be unset when thinking is enabled. ${DOCS_THINKING}`);
  if (settings.topP !== undefined && settings.topP < 0.95) {
    throw validationError(`\`top_p\` must be greater or equal to 0.95 or unset when thinking is enabled. ${DOCS_THINKING}`);
  }
  if (settings.toolChoice.type === "any" || settings.toolChoice.type === "tool") {
    throw validationError("Thinking may not be enabled when tool_choice forces tool use.");
  }
}
