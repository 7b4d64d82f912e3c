import type { Conversation } from "./conversation.js";
import { lastUserText, toolNames } from "./conversation.js";
import { conformingValue } from "./conforming-value.js";

/**
 * The built-in model's tool-use convention: when tools are offered, every phrase `call <tool_name>` in the
 * last user message asks for a call of that tool, optionally followed by a JSON object of arguments:
 * `call get_weather {"city":"Paris"}`. Several phrases give parallel calls, in order. Names that are not
 * among the offered tools are ignored. With tool_choice `any` (or a named tool) and no phrase, the model
 * calls the first (or the named) tool with an input generated from its schema (conforming-value.ts). With tool_choice `none` it never calls a tool, and with
 * `disable_parallel_tool_use` it makes only the first call.
 */
export interface RequestedCall {
  name: string;
  input: Record<string, unknown>;
}

const CALL_PHRASE = /\bcall\s+([A-Za-z0-9_-]{1,128})/g;

export function requestedToolCalls(conversation: Conversation): RequestedCall[] {
  const offered = toolNames(conversation);
  const choice = conversation.toolChoice;
  if (offered.length === 0 || choice.type === "none") return [];
  const text = lastUserText(conversation);
  const calls: RequestedCall[] = [];
  for (const match of text.matchAll(CALL_PHRASE)) {
    const name = match[1] as string;
    if (!offered.includes(name)) continue;
    if (choice.type === "tool" && name !== choice.name) continue;
    calls.push({ name, input: argumentsAfter(text, (match.index ?? 0) + match[0].length) });
  }
  if (calls.length > 0) return choice.disableParallelToolUse ? calls.slice(0, 1) : calls;
  if (choice.type === "any") return [forcedCall(conversation, offered[0] as string)];
  if (choice.type === "tool") return [forcedCall(conversation, choice.name)];
  return [];
}

/** A forced call without a phrase: its input is generated from the tool's input schema. */
function forcedCall(conversation: Conversation, name: string): RequestedCall {
  const tool = conversation.tools.find((candidate) => candidate.kind === "tool" && candidate.name === name);
  const input = tool?.kind === "tool" ? conformingValue(tool.schema) : {};
  return { name, input: typeof input === "object" && input !== null && !Array.isArray(input) ? (input as Record<string, unknown>) : {} };
}

/** The JSON object that starts right after `call name` (after spaces), or {} when there is none. */
function argumentsAfter(text: string, from: number): Record<string, unknown> {
  let start = from;
  while (start < text.length && /\s/.test(text[start] as string)) start++;
  if (text[start] !== "{") return {};
  const end = balancedObjectEnd(text, start);
  if (end < 0) return {};
  try {
    const parsed: unknown = JSON.parse(text.slice(start, end + 1));
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function balancedObjectEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === "\\") i++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === "{") depth++;
    else if (char === "}" && --depth === 0) return i;
  }
  return -1;
}
