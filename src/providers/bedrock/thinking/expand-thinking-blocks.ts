/**
 * An assistant message that carries `thinking_blocks` (a ChatCompletion message passed back into the
 * history as is) becomes an assistant message whose content starts with those thinking parts, so the
 * signatures reach Bedrock and a multi-turn conversation with extended thinking is accepted.
 */
import type { ContentPart, MessageInit, MessageInput, RedactedThinkingPart, ThinkingPart } from "../../../schema/message.js";
import { InvalidRequestError } from "../../../schema/errors.js";

type WithThinking = MessageInit & { thinking_blocks?: unknown; reasoning_content?: unknown };

function checkBlocks(blocks: unknown, where: string): (ThinkingPart | RedactedThinkingPart)[] {
  if (!Array.isArray(blocks)) throw new InvalidRequestError(`${where}: thinking_blocks must be an array of thinking parts.`);
  return blocks as (ThinkingPart | RedactedThinkingPart)[];
}

export function expandThinkingBlocks(messages: readonly MessageInput[]): MessageInput[] {
  return messages.map((message, index) => {
    const m = message as WithThinking;
    if (m?.role !== "assistant" || m.thinking_blocks === undefined || m.thinking_blocks === null) return message;
    const blocks = checkBlocks(m.thinking_blocks, `messages[${index}]`);
    const rest: ContentPart[] = typeof m.content === "string" ? (m.content === "" ? [] : [{ type: "text", text: m.content }]) : (m.content ?? []);
    if (rest.some((part) => part.type === "thinking" || part.type === "redacted_thinking")) return message;
    const copy: WithThinking = { ...m, content: [...blocks, ...rest] };
    delete copy.thinking_blocks;
    delete copy.reasoning_content;
    return copy;
  });
}
