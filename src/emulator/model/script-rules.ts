import type { Operation } from "../answer-plan.js";
import type { Conversation } from "./conversation.js";
import { allText, lastUserMessage, lastUserText } from "./conversation.js";
import type { ResolvedModel } from "./resolve-model-id.js";
import { compileRegex, type ScriptMatch, type ScriptRespond, type ScriptRule } from "./script-schema.js";

/**
 * Picks the scripted response for a request. Rules are tried in order; a rule matches when every criterion
 * it gives holds. `times` caps how often a rule answers; a `sequence` answers with its items in order on
 * successive matches and is then spent (or starts over with `loop: true`). Spent rules are skipped.
 */
export interface MatchContext {
  operation: Operation;
  model: ResolvedModel;
  conversation: Conversation;
}

interface RuleState {
  rule: ScriptRule;
  regex: RegExp | null;
  used: number;
}

export class ScriptBook {
  private readonly states: RuleState[];

  constructor(rules: ScriptRule[]) {
    this.states = rules.map((rule) => ({ rule, regex: rule.match.regex ? compileRegex(rule.match.regex) : null, used: 0 }));
  }

  /** The response of the first live matching rule (and counts the use), or null. */
  respond(context: MatchContext): ScriptRespond | null {
    for (const state of this.states) {
      if (isSpent(state) || !matches(state, context)) continue;
      const response = pick(state);
      state.used++;
      return response;
    }
    return null;
  }
}

function isSpent(state: RuleState): boolean {
  const { times, sequence, loop } = state.rule;
  if (times !== undefined && state.used >= times) return true;
  return sequence !== undefined && !loop && state.used >= sequence.length;
}

function pick(state: RuleState): ScriptRespond {
  const { respond, sequence } = state.rule;
  if (sequence) return sequence[state.used % sequence.length] as ScriptRespond;
  return respond as ScriptRespond;
}

function matches(state: RuleState, context: MatchContext): boolean {
  const match: ScriptMatch = state.rule.match;
  if (match.model !== undefined && !modelMatches(match.model, context.model)) return false;
  if (match.operation !== undefined) {
    const operations = Array.isArray(match.operation) ? match.operation : [match.operation];
    if (!operations.includes(context.operation)) return false;
  }
  const text = lastUserText(context.conversation);
  if (match.text !== undefined && !text.includes(match.text)) return false;
  if (state.regex && !state.regex.test(text)) return false;
  if (match.anyText !== undefined && !allText(context.conversation).includes(match.anyText)) return false;
  if (match.toolResult !== undefined && !toolResultMatches(match.toolResult, context.conversation)) return false;
  return true;
}

/** Exact id (as requested or its base id), or a glob with `*`. */
function modelMatches(pattern: string, model: ResolvedModel): boolean {
  const candidates = [model.requested, model.baseId].filter((id): id is string => id !== null);
  if (!pattern.includes("*")) return candidates.includes(pattern);
  const regex = new RegExp(`^${pattern.split("*").map(escapeRegex).join(".*")}$`);
  return candidates.some((id) => regex.test(id));
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** `true`: the last user message carries a tool result; a name: a result of that tool. */
function toolResultMatches(wanted: boolean | string, conversation: Conversation): boolean {
  const results = (lastUserMessage(conversation)?.parts ?? []).flatMap((part) => (part.kind === "tool_result" ? [part] : []));
  if (typeof wanted === "boolean") return wanted === results.length > 0;
  const messages = conversation.messages;
  const assistant = messages[messages.length - 2];
  const names = new Map<string, string>();
  for (const part of assistant?.parts ?? []) if (part.kind === "tool_use") names.set(part.id, part.name);
  return results.some((result) => names.get(result.toolUseId) === wanted);
}
