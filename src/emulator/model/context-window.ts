import type { Operation } from "../answer-plan.js";
import type { Conversation } from "./conversation.js";
import { inputTokens } from "./count-tokens.js";
import { modelReturnedError, validationError } from "./request-rejected.js";
import type { ResolvedModel } from "./resolve-model-id.js";

/** Anthropic's beta flag that opens Claude Sonnet 4 / 4.5's 1M-token window. */
const ONE_MILLION_BETA = "context-1m-2025-08-07";

/**
 * The context window of the models whose window is documented (Claude, Amazon Nova); null for the rest, which
 * the emulator does not limit. Sonnet 4 and later Sonnets take 1M tokens when the request opts in with the beta.
 */
export function contextWindow(model: ResolvedModel, body: unknown): number | null {
  const id = model.baseId ?? model.requested;
  if (model.family === "anthropic") {
    return /claude-sonnet-(?:4|[5-9])(?!\d)/.test(id) && betasOf(body).includes(ONE_MILLION_BETA) ? 1_000_000 : 200_000;
  }
  if (model.family !== "amazon-nova") return null;
  if (id.includes("nova-micro")) return 128_000;
  if (id.includes("nova-premier")) return 1_000_000;
  if (id.includes("nova-lite") || id.includes("nova-pro")) return 300_000;
  return null;
}

/**
 * Rejects a prompt longer than the model's window, worded as Bedrock words it:
 *  - InvokeModel*: Anthropic's own message passed through, e.g. "prompt is too long: 200049 tokens > 200000
 *    maximum" (ValidationException; see BerriAI/litellm#6975 on Bedrock Anthropic "prompt is too long", and
 *    daisuke-awaji/moca#254 for the counts);
 *  - Converse*: "The model returned the following errors: Input is too long for requested model."
 *    (ValidationException; continuedev/continue#9592 with Claude Opus 4.5 on Bedrock,
 *    aws-samples/assessment-generator#2 for the 400 status).
 * Both are HTTP 400 before any stream starts.
 */
export function checkContextWindow(model: ResolvedModel, operation: Operation, body: unknown, conversation: Conversation): void {
  const limit = contextWindow(model, body);
  if (limit === null) return;
  const tokens = inputTokens(conversation);
  if (tokens <= limit) return;
  if (operation === "Converse" || operation === "ConverseStream") throw modelReturnedError("Input is too long for requested model.");
  throw validationError(`prompt is too long: ${tokens} tokens > ${limit} maximum`);
}

function betasOf(body: unknown): unknown[] {
  if (body === null || typeof body !== "object") return [];
  const record = body as Record<string, unknown>;
  const fields = record["additionalModelRequestFields"];
  const source = fields !== null && typeof fields === "object" ? (fields as Record<string, unknown>) : record;
  const betas = source["anthropic_beta"];
  return Array.isArray(betas) ? betas : [];
}
