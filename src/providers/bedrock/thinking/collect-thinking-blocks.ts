/**
 * Keeps the thinking blocks of an answer with their signatures (and redacted blocks), in block order, so the
 * ChatCompletion can carry them (`message.thinking_blocks`) for the next turn of a conversation.
 */
import type { RedactedThinkingPart, ThinkingPart } from "../../../schema/message.js";
import type { ModelStreamPart } from "../output/model-stream-part.js";

export type RedactedThinkingStreamPart = Extract<ModelStreamPart, { type: "redacted_thinking" }>;

export class ThinkingBlockCollector {
  readonly #blocks = new Map<number, ThinkingPart | RedactedThinkingPart>();

  push(part: ModelStreamPart): void {
    if (part.type === "redacted_thinking") {
      this.#blocks.set(part.blockIndex, { type: "redacted_thinking", data: part.data });
      return;
    }
    if (part.type !== "thinking" && part.type !== "thinking_signature") return;
    const block = this.#blocks.get(part.blockIndex);
    const thinking: ThinkingPart = block?.type === "thinking" ? block : { type: "thinking", thinking: "" };
    if (part.type === "thinking") thinking.thinking += part.text;
    else thinking.signature = (thinking.signature ?? "") + part.signature;
    this.#blocks.set(part.blockIndex, thinking);
  }

  /** The blocks in order, or undefined when there were none. */
  blocks(): (ThinkingPart | RedactedThinkingPart)[] | undefined {
    if (this.#blocks.size === 0) return undefined;
    return [...this.#blocks.entries()].sort(([a], [b]) => a - b).map(([, block]) => ({ ...block }));
  }
}
