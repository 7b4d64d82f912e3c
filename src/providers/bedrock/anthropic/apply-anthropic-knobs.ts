/**
 * The request knobs on an Anthropic Messages body (InvokeModel): the default cache TTL on the cache marks
 * that set none, citations on the documents that do not say, and `output_config.effort` (with the beta flag
 * Bedrock asks for). Tier, latency and request metadata travel as headers (invokeKnobHeaders).
 */
import type { RequestKnobs } from "../options/request-knobs.js";
import type { AnthropicRequestBody } from "./anthropic-types.js";

/** Anthropic's beta flag for the effort parameter, sent in `anthropic_beta` when effort is set. */
export const EFFORT_BETA = "effort-2025-11-24";

type Block = { type?: string; cache_control?: { type: "ephemeral"; ttl?: "5m" | "1h" }; citations?: { enabled: boolean } };

export function applyAnthropicKnobs(body: AnthropicRequestBody, knobs: RequestKnobs): AnthropicRequestBody {
  const blocks: Block[] = [
    ...(Array.isArray(body.system) ? body.system : []),
    ...((body.tools ?? []) as Block[]),
    ...body.messages.flatMap((message) => (Array.isArray(message.content) ? (message.content as Block[]) : [])),
  ];
  for (const block of blocks) {
    if (knobs.cacheTtl && block.cache_control && block.cache_control.ttl === undefined) block.cache_control.ttl = knobs.cacheTtl;
    if (knobs.citations !== undefined && block.type === "document" && block.citations === undefined) block.citations = { enabled: knobs.citations };
  }
  if (knobs.effort) {
    body["output_config"] = { ...(body["output_config"] as object | undefined), effort: knobs.effort };
    const betas = body.anthropic_beta ?? [];
    if (!betas.includes(EFFORT_BETA)) body.anthropic_beta = [...betas, EFFORT_BETA];
  }
  return body;
}
