/**
 * Provider messages -> the Anthropic `system` + `messages` Bedrock accepts. All checks happen here, before
 * any network call. Repairs (documented in docs/providers.md):
 *  - every system message goes to `system` (joined with a blank line, in order);
 *  - `tool` messages become tool_result blocks in a user turn; assistant tool_calls become tool_use blocks;
 *  - empty and whitespace-only text blocks are dropped, and so are messages left with no content;
 *  - consecutive turns of the same role are merged into one (tool_result blocks first in a user turn);
 *  - a conversation that starts with an assistant turn gets a user turn "(conversation start)" in front;
 *  - trailing whitespace is trimmed from a final assistant turn (a prefill), which Bedrock rejects otherwise;
 *  - when no tools are offered, tool_use / tool_result blocks of the history are sent as text, because
 *    Bedrock rejects tool blocks in a request without tool definitions.
 */
import { InvalidRequestError } from "../../../schema/errors.js";
import type { MessageInput, ToolCall } from "../../../schema/message.js";
import type { AnthropicCacheControl, AnthropicContentBlock, AnthropicMessage, AnthropicTextBlock, AnthropicToolResultBlock } from "./anthropic-types.js";
import { convertContentPart, toolResultContent, type PartRole } from "./convert-content-part.js";

export const CONVERSATION_START_TEXT = "(conversation start)";

const ROLES = new Set(["system", "user", "assistant", "tool"]);

/**
 * The library's internal prompt form, where the two protocols meet: the caller's messages after every check
 * and repair above, in the shape of Anthropic's Messages API (system text blocks + alternating user/assistant
 * turns of Anthropic content blocks, media already resolved to base64). The InvokeModel path sends it as is;
 * the Converse path builds its request from it (converse/convert-to-converse-messages.ts), so both APIs see
 * the same validated conversation. New protocols start from this form too.
 */
export interface NormalizedPrompt {
  /** One text block per system message, in order. */
  system: AnthropicTextBlock[];
  messages: AnthropicMessage[];
}

export interface ConvertMessagesOptions {
  /** Whether the request offers tools (if not, tool blocks in the history are sent as text). */
  toolsOffered: boolean;
}

export function convertToAnthropicMessages(input: readonly MessageInput[], options: ConvertMessagesOptions): NormalizedPrompt {
  if (!Array.isArray(input)) throw new InvalidRequestError("messages must be an array of {role, content} messages.");
  if (input.length === 0) throw new InvalidRequestError("messages is empty; pass at least one user message.");
  const system: AnthropicTextBlock[] = [];
  const turns: AnthropicMessage[] = [];
  input.forEach((message, index) => {
    const where = `messages[${index}]`;
    if (message === null || typeof message !== "object") throw new InvalidRequestError(`${where} must be an object with role and content, got ${message === null ? "null" : typeof message}.`);
    const role = (message as { role?: unknown }).role;
    if (typeof role !== "string" || !ROLES.has(role)) {
      throw new InvalidRequestError(`${where} has role ${JSON.stringify(role)}; use "system", "user", "assistant" or "tool".`);
    }
    if (role === "system") {
      const text = systemText(message.content, where);
      // A cacheControl mark on any part of a system message marks the end of that message's text.
      const mark = cacheMarkOf(message.content);
      if (text.trim() !== "") system.push(mark ? { type: "text", text, cache_control: mark } : { type: "text", text });
      return;
    }
    const blocks = role === "tool" ? [toolResultBlock(message, where)] : contentBlocks(message.content, role as PartRole, where);
    if (role === "assistant") blocks.push(...toolUseBlocks(toolCallsOf(message), where));
    if (blocks.length === 0) return;
    appendTurn(turns, role === "assistant" ? "assistant" : "user", blocks);
  });
  if (turns.length === 0) {
    throw new InvalidRequestError(
      system.length > 0 ? "messages has only system messages; add at least one user message." : "messages has no content; add at least one user message with text.",
    );
  }
  if (!options.toolsOffered) for (const turn of turns) turn.content = toolBlocksAsText(turn.content);
  for (const turn of turns) if (turn.role === "user") moveToolResultsFirst(turn);
  if (turns[0]!.role === "assistant") turns.unshift({ role: "user", content: [{ type: "text", text: CONVERSATION_START_TEXT }] });
  trimFinalAssistant(turns);
  return { system, messages: turns };
}

/** The cache mark of a system message's parts (the longest TTL asked for wins), if any part has one. */
function cacheMarkOf(content: unknown): AnthropicCacheControl | undefined {
  if (!Array.isArray(content)) return undefined;
  let mark: AnthropicCacheControl | undefined;
  for (const part of content) {
    if (!part || typeof part !== "object") continue;
    const value = (part as { cacheControl?: unknown }).cacheControl ?? (part as { cache_control?: unknown }).cache_control;
    if (!value || typeof value !== "object") continue;
    const ttl = (value as { ttl?: unknown }).ttl;
    if (ttl !== undefined && ttl !== "5m" && ttl !== "1h") throw new InvalidRequestError(`cacheControl.ttl must be "5m" or "1h", got ${JSON.stringify(ttl)}.`);
    if (!mark || ttl === "1h") mark = ttl === undefined ? { type: "ephemeral" } : { type: "ephemeral", ttl };
  }
  return mark;
}

function systemText(content: unknown, where: string): string {
  if (content === undefined || content === null) return "";
  if (typeof content === "string") return content;
  const parts = Array.isArray(content) ? content : [content];
  return parts
    .map((part) => {
      if (typeof part === "string") return part;
      if (part && typeof part === "object" && (part as { type?: unknown }).type === "text") return String((part as { text?: unknown }).text ?? "");
      throw new InvalidRequestError(`${where}: system messages may only contain text.`);
    })
    .join("\n");
}

function contentBlocks(content: unknown, role: PartRole, where: string): AnthropicContentBlock[] {
  if (content === undefined || content === null) return [];
  const parts = typeof content === "string" ? [content] : Array.isArray(content) ? content : typeof content === "object" ? [content] : undefined;
  if (parts === undefined) throw new InvalidRequestError(`${where}: content must be a string or a list of parts, got ${typeof content}.`);
  const blocks: AnthropicContentBlock[] = [];
  parts.forEach((part, i) => {
    const block = convertContentPart(part, role, Array.isArray(content) ? `${where}.content[${i}]` : where);
    if (block) blocks.push(block);
  });
  return blocks;
}

function toolResultBlock(message: MessageInput, where: string): AnthropicToolResultBlock {
  const m = message as { toolCallId?: unknown; tool_call_id?: unknown; content?: unknown };
  const id = m.toolCallId ?? m.tool_call_id;
  if (typeof id !== "string" || id === "") throw new InvalidRequestError(`${where}: a tool message needs toolCallId (the id of the tool call it answers).`);
  const result: AnthropicToolResultBlock = { type: "tool_result", tool_use_id: id };
  const content = toolResultContent(m.content, where);
  if (content !== undefined) result.content = content;
  return result;
}

function toolCallsOf(message: MessageInput): unknown {
  const m = message as { toolCalls?: unknown; tool_calls?: unknown };
  return m.toolCalls ?? m.tool_calls;
}

function toolUseBlocks(toolCalls: unknown, where: string): AnthropicContentBlock[] {
  if (toolCalls === undefined || toolCalls === null) return [];
  if (!Array.isArray(toolCalls)) throw new InvalidRequestError(`${where}: toolCalls must be an array.`);
  return toolCalls.map((call: ToolCall, i) => {
    const fn = call?.function;
    if (!call || typeof call.id !== "string" || !fn || typeof fn.name !== "string") {
      throw new InvalidRequestError(`${where}.toolCalls[${i}] needs id and function.name.`);
    }
    return { type: "tool_use", id: call.id, name: fn.name, input: parseArguments(fn.arguments as unknown, `${where}.toolCalls[${i}]`) };
  });
}

function parseArguments(args: unknown, where: string): unknown {
  if (args === undefined || args === null || args === "") return {};
  if (typeof args === "object" && !Array.isArray(args)) return args;
  if (typeof args !== "string") throw new InvalidRequestError(`${where}: function.arguments must be a JSON object string.`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(args);
  } catch {
    throw new InvalidRequestError(`${where}: function.arguments is not valid JSON.`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new InvalidRequestError(`${where}: function.arguments must be a JSON object.`);
  return parsed;
}

function appendTurn(turns: AnthropicMessage[], role: "user" | "assistant", blocks: AnthropicContentBlock[]): void {
  const last = turns[turns.length - 1];
  // A loop, not push(...blocks): a message with a huge number of parts must not overflow the call stack.
  if (last && last.role === role) for (const block of blocks) last.content.push(block);
  else turns.push({ role, content: blocks });
}

function moveToolResultsFirst(turn: AnthropicMessage): void {
  const results = turn.content.filter((b) => b.type === "tool_result");
  if (results.length === 0 || results.length === turn.content.length) return;
  turn.content = [...results, ...turn.content.filter((b) => b.type !== "tool_result")];
}

function toolBlocksAsText(blocks: AnthropicContentBlock[]): AnthropicContentBlock[] {
  if (!blocks.some((b) => b.type === "tool_use" || b.type === "tool_result")) return blocks;
  return blocks.map((block): AnthropicContentBlock => {
    if (block.type === "tool_use") return { type: "text", text: `[tool call ${block.name} (id ${block.id}) with input ${JSON.stringify(block.input)}]` };
    if (block.type !== "tool_result") return block;
    const content = typeof block.content === "string" ? block.content : (block.content ?? []).map((b) => (b.type === "text" ? b.text : `[${b.type}]`)).join("\n");
    return { type: "text", text: `[tool result for ${block.tool_use_id}${block.is_error ? " (error)" : ""}: ${content}]` };
  });
}

function trimFinalAssistant(turns: AnthropicMessage[]): void {
  const last = turns[turns.length - 1]!;
  if (last.role !== "assistant") return;
  const block = last.content[last.content.length - 1];
  if (block?.type === "text") block.text = block.text.trimEnd();
}
