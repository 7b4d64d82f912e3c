/**
 * Turns normalized model parts into the public StreamEvents and, at the end, one ChatCompletion. It applies
 * client-side stop sequences to the text, assembles tool calls from their argument fragments (several in
 * parallel, and calls with no arguments as "{}"), and keeps the usage the service reported.
 */
import { randomUUID } from "node:crypto";
import type { ChatCompletion, ChatCompletionUsage, Citation } from "../../../schema/chat-completion.js";
import type { ToolCall } from "../../../schema/message.js";
import type { StreamEvent } from "../../llm-provider.js";
import { ThinkingBlockCollector } from "../thinking/collect-thinking-blocks.js";
import { mapStopReason } from "./map-stop-reason.js";
import type { CitationSource, ModelStreamPart, UsageCounts } from "./model-stream-part.js";
import { StopSequenceFilter } from "../stop-sequences/stop-sequence-filter.js";
import { tokenCount } from "../../token-count.js";
import { scrub } from "../errors/scrub-secrets.js";

/** What a response id looks like (Anthropic's "msg_bdrk_01..."); anything else is not passed on as one. */
const RESPONSE_ID = /^[A-Za-z0-9_.:-]{1,128}$/;
/** What a service tier looks like ("default", "priority", "flex", "reserved", a future one); else it is not taken. */
const SERVICE_TIER = /^[a-z][a-z_-]{0,31}$/;

interface PendingToolCall {
  index: number;
  id: string;
  name: string;
  args: string;
}

export class StreamAccumulator {
  readonly #model: string;
  readonly #filter: StopSequenceFilter;
  readonly #toolsByBlock = new Map<number, PendingToolCall>();
  readonly #toolCalls: ToolCall[] = [];
  readonly #usage: UsageCounts = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
  #toolCount = 0;
  readonly #thinkingBlocks = new ThinkingBlockCollector();
  #trace: Record<string, unknown> | undefined;
  #serviceTier: string | undefined;
  /** Where each text block began in the answer, and the citations waiting for its end. */
  readonly #blockStarts = new Map<number, number>();
  readonly #pendingCitations = new Map<number, CitationSource[]>();
  readonly #citations: Citation[] = [];
  #text = "";
  #thinking = "";
  #id: string | undefined;
  #stopReason: string | null = null;
  #stopSequence: string | null = null;
  /** The service's answer ended (its finish part came), even if a client-side stop cut the text before. */
  #finished = false;
  #clientStopped = false;
  readonly #secrets: readonly string[];

  /** `secrets`: the call's credentials, which a server echoing them as the response id must not get into the completion (or telemetry). */
  constructor(model: string, clientStops: readonly string[], secrets: readonly string[] = []) {
    this.#model = model;
    this.#filter = new StopSequenceFilter(clientStops);
    this.#secrets = secrets;
  }

  /** True once the generation is over: the model finished or a client-side stop sequence was hit. */
  get done(): boolean {
    return this.#finished || this.#clientStopped;
  }

  /** True when a client-side stop sequence cut the stream (the rest of it must be dropped). */
  get clientStopped(): boolean {
    return this.#clientStopped;
  }

  /** A value the server chose (an echo of the call's credentials, at worst) that is shaped as expected and holds none. */
  #fromServer(value: string, shape: RegExp): boolean {
    return shape.test(value) && scrub(value, this.#secrets) === value;
  }

  /**
   * Feeds one part; returns the public events it produces (usually zero or one). After a client-side stop,
   * parts produce nothing, but usage is still taken: it is what the service counts (and bills).
   */
  push(part: ModelStreamPart): StreamEvent[] {
    if (part.type === "usage") Object.assign(this.#usage, definedOnly(part.usage));
    if (part.type === "finish") this.#finished = true;
    if (this.#clientStopped) return [];
    this.#thinkingBlocks.push(part);
    switch (part.type) {
      case "text":
        this.#markBlockStart(part.blockIndex);
        return this.#pushText(part.text);
      case "citation": {
        this.#markBlockStart(part.blockIndex);
        const pending = this.#pendingCitations.get(part.blockIndex) ?? [];
        pending.push(part.citation);
        this.#pendingCitations.set(part.blockIndex, pending);
        return [];
      }
      case "service_tier":
        if (this.#fromServer(part.tier, SERVICE_TIER)) this.#serviceTier = part.tier;
        return [];
      case "thinking":
        this.#thinking += part.text;
        return [{ type: "thinking", text: part.text }];
      case "tool_call_start":
        return this.#startToolCall(part.blockIndex, part.id, part.name);
      case "tool_call_delta": {
        const pending = this.#toolsByBlock.get(part.blockIndex);
        if (!pending || part.argumentsDelta === "") return [];
        pending.args += part.argumentsDelta;
        return [{ type: "tool_call_delta", index: pending.index, argumentsDelta: part.argumentsDelta }];
      }
      case "block_stop":
        return this.#stopBlock(part.blockIndex);
      case "usage":
        return [];
      case "start":
        if (part.id && this.#fromServer(part.id, RESPONSE_ID)) this.#id = part.id;
        return [];
      case "finish": {
        this.#stopReason = part.stopReason;
        this.#stopSequence = part.stopSequence;
        const events = this.#flushText();
        for (const blockIndex of [...this.#pendingCitations.keys()]) events.push(...this.#settleCitations(blockIndex));
        return events;
      }
      case "thinking_signature":
      case "redacted_thinking":
        return [];
      case "trace":
        this.#trace = part.trace;
        return [];
    }
  }

  #pushText(chunk: string): StreamEvent[] {
    if (!this.#filter.active) {
      this.#text += chunk;
      return chunk === "" ? [] : [{ type: "text", text: chunk }];
    }
    const { text, matched } = this.#filter.push(chunk);
    if (matched !== undefined) {
      this.#clientStopped = true;
      this.#stopReason = "stop_sequence";
      this.#stopSequence = matched;
    }
    this.#text += text;
    return text === "" ? [] : [{ type: "text", text }];
  }

  #flushText(): StreamEvent[] {
    const held = this.#filter.flush();
    this.#text += held;
    return held === "" ? [] : [{ type: "text", text: held }];
  }

  #startToolCall(blockIndex: number, id: string, name: string): StreamEvent[] {
    const events = this.#flushText();
    const pending: PendingToolCall = { index: this.#toolCount++, id, name, args: "" };
    this.#toolsByBlock.set(blockIndex, pending);
    events.push({ type: "tool_call_start", index: pending.index, id, name });
    return events;
  }

  #markBlockStart(blockIndex: number): void {
    if (!this.#blockStarts.has(blockIndex)) this.#blockStarts.set(blockIndex, this.#text.length);
  }

  /** The citations of a finished text block, now that the span of the answer they support is known. */
  #settleCitations(blockIndex: number): StreamEvent[] {
    const pending = this.#pendingCitations.get(blockIndex);
    if (!pending) return [];
    this.#pendingCitations.delete(blockIndex);
    const answerStart = this.#blockStarts.get(blockIndex) ?? this.#text.length;
    return pending.map((source) => {
      const citation: Citation = { ...source, answerStart, answerEnd: this.#text.length };
      this.#citations.push(citation);
      return { type: "citation", citation };
    });
  }

  #stopBlock(blockIndex: number): StreamEvent[] {
    const pending = this.#toolsByBlock.get(blockIndex);
    if (!pending) return [...this.#flushText(), ...this.#settleCitations(blockIndex)];
    this.#toolsByBlock.delete(blockIndex);
    const toolCall: ToolCall = {
      id: pending.id,
      type: "function",
      function: { name: pending.name, arguments: pending.args.trim() === "" ? "{}" : pending.args },
    };
    this.#toolCalls[pending.index] = toolCall;
    return [{ type: "tool_call", index: pending.index, toolCall }];
  }

  /**
   * Usage to record. When the stream was cut early (client-side stop, consumer gone) before the service sent
   * its final count, or it ended without one (a Converse stream cut before its metadata), output tokens are at
   * least an estimate from the text received (4 chars a token).
   */
  finalUsage(): UsageCounts & { serviceTier?: string } {
    const tier = this.#serviceTier === undefined ? {} : { serviceTier: this.#serviceTier };
    if (this.#finished && this.#usage.outputTokens > 0) return { ...this.#usage, ...tier };
    const estimate = Math.ceil((this.#text.length + this.#thinking.length) / 4);
    return { ...this.#usage, outputTokens: Math.max(this.#usage.outputTokens, estimate), ...tier };
  }

  /** The ChatCompletion for what was received (call after `done`, or after the stream ended). */
  completion(): ChatCompletion {
    const toolCalls = this.#toolCalls.filter(Boolean);
    const usage = this.finalUsage();
    const promptTokens = usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens;
    const chatUsage: ChatCompletionUsage = {
      prompt_tokens: promptTokens,
      completion_tokens: usage.outputTokens,
      total_tokens: promptTokens + usage.outputTokens,
    };
    if (usage.cacheReadTokens > 0 || usage.cacheWriteTokens > 0) {
      chatUsage.cache_read_input_tokens = usage.cacheReadTokens;
      chatUsage.cache_write_input_tokens = usage.cacheWriteTokens;
      chatUsage.prompt_tokens_details = { cached_tokens: usage.cacheReadTokens };
    }
    if (usage.cacheWrite1hTokens !== undefined && usage.cacheWriteTokens > 0) {
      const oneHour = Math.min(usage.cacheWrite1hTokens, usage.cacheWriteTokens);
      chatUsage.cache_creation = { ephemeral_5m_input_tokens: usage.cacheWriteTokens - oneHour, ephemeral_1h_input_tokens: oneHour };
    }
    const completion: ChatCompletion = {
      id: this.#id ?? `chatcmpl-${randomUUID()}`,
      object: "chat.completion",
      created: Math.floor(Date.now() / 1000),
      model: this.#model,
      choices: [
        {
          index: 0,
          message: {
            role: "assistant",
            content: this.#text === "" && toolCalls.length > 0 ? null : this.#text,
            ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
            ...(this.#thinking !== "" ? { reasoning_content: this.#thinking } : {}),
            ...thinkingBlocksOf(this.#thinkingBlocks),
            ...(this.#citations.length > 0 ? { citations: [...this.#citations] } : {}),
          },
          finish_reason: mapStopReason(this.#stopReason, toolCalls.length > 0),
          logprobs: null,
        },
      ],
      usage: chatUsage,
      stop_sequence: this.#stopSequence,
    };
    if (this.#stopReason !== null) completion.stop_reason = this.#stopReason;
    if (this.#trace !== undefined) completion.trace = this.#trace;
    if (this.#serviceTier !== undefined) completion.service_tier = this.#serviceTier;
    return completion;
  }
}

/** The counts the part reports; an invalid one (negative, non-finite, absurd) is taken as 0, with a warning. */
function definedOnly(usage: Partial<UsageCounts>): Partial<UsageCounts> {
  const out: Partial<UsageCounts> = {};
  for (const [key, value] of Object.entries(usage) as [keyof UsageCounts, unknown][]) {
    if (value !== undefined) out[key] = tokenCount(value, key);
  }
  return out;
}

function thinkingBlocksOf(collector: ThinkingBlockCollector): { thinking_blocks?: NonNullable<ReturnType<ThinkingBlockCollector["blocks"]>> } {
  const blocks = collector.blocks();
  return blocks ? { thinking_blocks: blocks } : {};
}
