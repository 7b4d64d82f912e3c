/**
 * The request knobs on an Anthropic Messages body (InvokeModel): the default cache TTL on the cache marks
 * that set none and citations on the documents that do not say. Tier, latency and request metadata travel as
 * headers (invokeKnobHeaders); effort is placed by map-effort.ts.
 */
import type { RequestKnobs } from "../options/request-knobs.js";
import type { AnthropicRequestBody } from "./anthropic-types.js";

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
  return body;
}
