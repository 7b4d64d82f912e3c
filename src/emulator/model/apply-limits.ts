import type { AnswerBlock, StopReason } from "../answer-plan.js";
import { blockTokens, textTokens } from "./count-tokens.js";
import { signThinking } from "./thinking-signature.js";

/**
 * Honours max_tokens and stop sequences on an answer, as a model generating in order would: the answer ends
 * at whichever comes first. A stop sequence cuts its text block right before the sequence (stop_reason
 * `stop_sequence`); running out of tokens cuts the block at the budget (4 characters per token) and drops a
 * tool call that does not fit (stop_reason `max_tokens`). Later blocks are dropped either way.
 */
export interface LimitedAnswer {
  blocks: AnswerBlock[];
  stopReason: StopReason;
  stopSequence: string | null;
}

export function applyLimits(blocks: AnswerBlock[], maxTokens: number, stopSequences: string[], stopReason?: StopReason): LimitedAnswer {
  const kept: AnswerBlock[] = [];
  let remaining = maxTokens;
  for (const block of blocks) {
    const budgetChars = remaining * 4;
    if (block.type === "text") {
      const stop = firstStop(block.text, stopSequences);
      if (stop && stop.index <= budgetChars) {
        pushText(kept, block.text.slice(0, stop.index));
        return { blocks: kept, stopReason: "stop_sequence", stopSequence: stop.sequence };
      }
      if (block.text.length > budgetChars) {
        pushText(kept, block.text.slice(0, budgetChars));
        return { blocks: kept, stopReason: "max_tokens", stopSequence: null };
      }
    } else if (block.type === "thinking" && textTokens(block.thinking) > remaining) {
      const thinking = block.thinking.slice(0, budgetChars);
      if (thinking.length > 0) kept.push({ type: "thinking", thinking, signature: signThinking(thinking) });
      return { blocks: kept, stopReason: "max_tokens", stopSequence: null };
    } else if (blockTokens(block) > remaining) {
      return { blocks: kept, stopReason: "max_tokens", stopSequence: null };
    }
    kept.push(block);
    remaining -= blockTokens(block);
  }
  const natural: StopReason = kept.some((block) => block.type === "tool_use") ? "tool_use" : "end_turn";
  return { blocks: kept, stopReason: stopReason ?? natural, stopSequence: null };
}

function pushText(blocks: AnswerBlock[], text: string): void {
  if (text.length > 0) blocks.push({ type: "text", text });
}

function firstStop(text: string, sequences: string[]): { index: number; sequence: string } | null {
  let best: { index: number; sequence: string } | null = null;
  for (const sequence of sequences) {
    const index = text.indexOf(sequence);
    if (index >= 0 && (best === null || index < best.index)) best = { index, sequence };
  }
  return best;
}
