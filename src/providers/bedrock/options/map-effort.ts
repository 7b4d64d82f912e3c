/**
 * The one `effort` option, mapped to each model family's own field:
 * - Claude: Converse `outputConfig.effort` (bedrock-runtime-2023-09-30.json); InvokeModel body
 *   `output_config.effort`. Anthropic's effort page (platform.claude.com/docs/en/build-with-claude/effort):
 *   Opus 4.5 takes low..high; Opus 4.6 and Sonnet 4.6 add max; Opus 4.7, Sonnet 5 and later add xhigh. On
 *   Bedrock, Opus 4.5 reads the field only with the `effort-2025-11-24` beta flag (later models need none).
 *   Other Claude models (Sonnet 4.5, Haiku, Claude 3.x, Opus 4.0/4.1) do not take it.
 * - Amazon Nova 2: `additionalModelRequestFields.reasoningConfig: { type: "enabled", maxReasoningEffort }`.
 * - OpenAI gpt-oss and DeepSeek V3.x: `additionalModelRequestFields.reasoning_effort`.
 * - DeepSeek-R1 always reasons and takes no effort.
 * Any other model that names its family refuses effort with InvalidRequestError (never a dropped field); an id
 * that names none (an application inference profile ARN) is sent Bedrock's own `outputConfig.effort`.
 * What `thinking` means for the families that reason by effort is thinking/thinking-by-effort.ts.
 */
import type { GenerateOptions } from "../../llm-provider.js";
import { InvalidRequestError } from "../../../schema/errors.js";
import type { Effort } from "./request-knobs.js";
import { effortOfThinking } from "../thinking/thinking-by-effort.js";

/** Anthropic's beta flag Bedrock asks for with Claude Opus 4.5's `output_config.effort` on InvokeModel. */
export const OPUS_4_5_EFFORT_BETA = "effort-2025-11-24";
const BASIC: readonly Effort[] = ["low", "medium", "high"];
const WITH_MAX: readonly Effort[] = [...BASIC, "max"];
const ALL: readonly Effort[] = [...BASIC, "xhigh", "max"];

export interface EffortFields {
  /** Converse `outputConfig.effort` / Anthropic `output_config.effort`. */
  outputEffort?: Effort;
  /** Entries of Converse `additionalModelRequestFields`. */
  additionalFields?: Record<string, unknown>;
  /** A beta flag the Anthropic body must carry in `anthropic_beta`. */
  anthropicBeta?: string;
}

type Family =
  | { kind: "claude"; levels: readonly Effort[] | undefined; beta?: string }
  | { kind: "nova-2" | "gpt-oss" | "deepseek-v3" | "deepseek-r1" }
  | { kind: "other" }
  | { kind: "unnamed" };

const OTHER_FAMILY = /(^|[.:/])(amazon|meta|mistral|cohere|ai21|deepseek|writer|qwen|openai|google|moonshot(ai)?|minimax|nvidia|stability|twelvelabs|luma)\./i;

function familyOf(model: string): Family {
  const id = model.toLowerCase();
  if (/(^|[.:/])anthropic\.claude/.test(id)) return claudeFamily(id);
  if (/(^|[.:/])amazon\.nova-2-/.test(id)) return { kind: "nova-2" };
  if (/(^|[.:/])openai\.gpt-oss-/.test(id)) return { kind: "gpt-oss" };
  if (/(^|[.:/])deepseek\.r1/.test(id)) return { kind: "deepseek-r1" };
  if (/(^|[.:/])deepseek\.v3/.test(id)) return { kind: "deepseek-v3" };
  return OTHER_FAMILY.test(id) ? { kind: "other" } : { kind: "unnamed" };
}

/** The effort levels of a Claude model, read from its name and version (a later version keeps them). */
function claudeFamily(id: string): Family {
  if (/claude-mythos-preview/.test(id)) return { kind: "claude", levels: WITH_MAX };
  const named = /claude-(opus|sonnet|haiku|fable|mythos)-(\d+)(?:-(\d)(?!\d))?/.exec(id);
  if (!named) return { kind: "claude", levels: undefined };
  const tier = named[1]!;
  const version = Number(named[2]) + Number(named[3] ?? 0) / 10;
  if (tier === "fable" || tier === "mythos") return { kind: "claude", levels: ALL };
  if (tier === "opus") {
    if (version >= 4.7) return { kind: "claude", levels: ALL };
    if (version >= 4.6) return { kind: "claude", levels: WITH_MAX };
    if (version >= 4.5) return { kind: "claude", levels: BASIC, beta: OPUS_4_5_EFFORT_BETA };
  }
  if (tier === "sonnet") {
    if (version >= 5) return { kind: "claude", levels: ALL };
    if (version >= 4.6) return { kind: "claude", levels: WITH_MAX };
  }
  return { kind: "claude", levels: undefined };
}

/** True when the model's reasoning is set by effort (so `thinking` maps here instead of to Claude's budget). */
export function reasonsByEffort(model: string): boolean {
  const { kind } = familyOf(model);
  return kind === "nova-2" || kind === "gpt-oss" || kind === "deepseek-v3" || kind === "deepseek-r1";
}

/** Where `effort` (already checked against Bedrock's enum) goes for this model; InvalidRequestError when it cannot. */
export function mapEffort(model: string, effort: Effort | undefined, thinking: GenerateOptions["thinking"]): EffortFields {
  const family = familyOf(model);
  switch (family.kind) {
    case "claude":
      return effort === undefined ? {} : claudeEffort(model, effort, family.levels, family.beta);
    case "unnamed":
      return effort === undefined ? {} : { outputEffort: effort };
    case "other":
      if (effort === undefined) return {};
      throw new InvalidRequestError(
        `effort is not taken by ${model}. It is for Claude (Opus 4.5, Sonnet 4.6 and later), Amazon Nova 2, OpenAI gpt-oss and DeepSeek V3 on Bedrock; remove it for this model.`,
      );
    default:
      return reasoningEffort(model, family.kind, effort, thinking);
  }
}

function claudeEffort(model: string, effort: Effort, levels: readonly Effort[] | undefined, beta: string | undefined): EffortFields {
  if (levels === undefined) {
    throw new InvalidRequestError(
      `effort is not taken by ${model}: among Claude models, Opus 4.5, Sonnet 4.6 and later take it. Remove effort, or use thinking: { budgetTokens } to set how much this model reasons.`,
    );
  }
  if (!levels.includes(effort)) throw new InvalidRequestError(`${model} takes effort ${levels.map((l) => `"${l}"`).join(", ")}; "${effort}" is not one of them.`);
  return beta ? { outputEffort: effort, anthropicBeta: beta } : { outputEffort: effort };
}

function reasoningEffort(model: string, kind: "nova-2" | "gpt-oss" | "deepseek-v3" | "deepseek-r1", effort: Effort | undefined, thinking: GenerateOptions["thinking"]): EffortFields {
  const level = effortOfThinking(model, thinking, effort);
  if (kind === "deepseek-r1") {
    if (effort !== undefined) throw new InvalidRequestError(`${model} always reasons and takes no effort; remove effort.`);
    return {};
  }
  if (level === undefined) return {};
  if (!BASIC.includes(level)) throw new InvalidRequestError(`${model} takes effort "low", "medium" or "high"; "${level}" is for Claude models.`);
  if (kind === "nova-2") return { additionalFields: { reasoningConfig: { type: "enabled", maxReasoningEffort: level } } };
  return { additionalFields: { reasoning_effort: level } };
}
