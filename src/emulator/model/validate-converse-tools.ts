import type { ConversationTool, ToolChoice } from "./conversation.js";
import { isRecord } from "./json-shape.js";
import { constraintError, validationError } from "./request-rejected.js";
import { checkStrictToolSchema } from "./output-format.js";

/** Converse `toolConfig` (tools and toolChoice), with Bedrock's wording. */

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

export interface ConverseTools {
  tools: ConversationTool[];
  toolChoice: ToolChoice;
}

export function convertConverseToolConfig(toolConfig: unknown, forcedChoiceSupported: boolean, cachePoints: { count: number }, claude = false): ConverseTools | null {
  if (toolConfig === undefined || toolConfig === null) return null;
  if (!isRecord(toolConfig)) throw validationError("The toolConfig field must be an object with a tools list.");
  const list = toolConfig.tools;
  if (!Array.isArray(list)) throw constraintError(null, "toolConfig.tools", "Member must not be null");
  if (list.length === 0) throw constraintError("[]", "toolConfig.tools", "Member must have length greater than or equal to 1");
  const seen = new Set<string>();
  const tools = list.map((tool, index) => convertTool(tool, index, seen, cachePoints, claude));
  const names = [...seen];
  return { tools, toolChoice: convertToolChoice(toolConfig.toolChoice, names, forcedChoiceSupported) };
}

function convertTool(tool: unknown, index: number, seen: Set<string>, cachePoints: { count: number }, claude: boolean): ConversationTool {
  const path = `toolConfig.tools.${index}`;
  if (isRecord(tool) && tool.cachePoint !== undefined && tool.toolSpec === undefined) {
    const type = isRecord(tool.cachePoint) ? tool.cachePoint.type : undefined;
    if (type !== "default") throw constraintError(type ?? null, `${path}.member.cachePoint.type`, "Member must satisfy enum value set: [default]");
    const ttl = isRecord(tool.cachePoint) ? tool.cachePoint.ttl : undefined;
    if (ttl !== undefined && ttl !== "5m" && ttl !== "1h") throw constraintError(ttl, `${path}.member.cachePoint.ttl`, "Member must satisfy enum value set: [5m, 1h]");
    cachePoints.count++;
    return ttl === undefined ? { kind: "cache_point" } : { kind: "cache_point", ttl };
  }
  const spec = isRecord(tool) ? tool.toolSpec : undefined;
  if (!isRecord(spec) || (isRecord(tool) && Object.keys(tool).length !== 1)) {
    throw validationError(`Tool object at ${path} must set one of the following keys: toolSpec, cachePoint.`);
  }
  const name = spec.name;
  if (typeof name !== "string") throw constraintError(null, `${path}.member.toolSpec.name`, "Member must not be null");
  if (!TOOL_NAME.test(name)) {
    throw constraintError(name, `${path}.member.toolSpec.name`, "Member must satisfy regular expression pattern: [a-zA-Z0-9_-]+ and have length between 1 and 64");
  }
  if (seen.has(name)) throw validationError(`The tool name ${name} is used by more than one tool in toolConfig.tools. Tool names must be unique.`);
  seen.add(name);
  if (spec.description !== undefined && (typeof spec.description !== "string" || spec.description.length === 0)) {
    throw constraintError(spec.description, `${path}.member.toolSpec.description`, "Member must have length greater than or equal to 1");
  }
  const schema = isRecord(spec.inputSchema) ? spec.inputSchema.json : undefined;
  if (!isRecord(schema)) throw constraintError(null, `${path}.member.toolSpec.inputSchema.json`, "Member must not be null");
  if (spec.strict !== undefined && typeof spec.strict !== "boolean") throw constraintError(spec.strict, `${path}.member.toolSpec.strict`, "Member must be a boolean");
  if (spec.strict === true && claude) checkStrictToolSchema(schema, `${path}.member.toolSpec.inputSchema.json`);
  return { kind: "tool", name, description: typeof spec.description === "string" ? spec.description : "", schema };
}

function convertToolChoice(choice: unknown, names: string[], forcedSupported: boolean): ToolChoice {
  if (choice === undefined || choice === null) return { type: "auto" };
  const keys = isRecord(choice) ? Object.keys(choice) : [];
  if (!isRecord(choice) || keys.length !== 1) throw validationError("ToolChoice object at toolConfig.toolChoice must set one of the following keys: auto, any, tool.");
  const key = keys[0] as string;
  if (key === "auto") return { type: "auto" };
  if (key !== "any" && key !== "tool") throw validationError(`ToolChoice object at toolConfig.toolChoice must set one of the following keys: auto, any, tool. Found: ${key}.`);
  if (!forcedSupported) throw validationError(`This model doesn't support the toolConfig.toolChoice.${key} field. Remove toolConfig.toolChoice.${key} and try again.`);
  if (key === "any") return { type: "any" };
  const tool = choice.tool;
  const name = isRecord(tool) ? tool.name : undefined;
  if (typeof name !== "string") throw constraintError(null, "toolConfig.toolChoice.tool.name", "Member must not be null");
  if (!names.includes(name)) throw validationError(`The tool ${name} in toolConfig.toolChoice is not one of the tools in toolConfig.tools (${names.join(", ")}).`);
  return { type: "tool", name };
}
