/**
 * The request knobs on a Converse / ConverseStream input: `serviceTier`, `performanceConfig`,
 * `requestMetadata` as fields, the default cache TTL on cache points that set none,
 * and citations on the documents that do not say.
 */
import type { ConverseCommandInput } from "@aws-sdk/client-bedrock-runtime";
import { converseKnobFields, type RequestKnobs } from "../options/request-knobs.js";

type Block = { cachePoint?: { type: string; ttl?: string }; document?: { citations?: { enabled: boolean } } };

export function applyConverseKnobs(input: ConverseCommandInput, knobs: RequestKnobs): ConverseCommandInput {
  const blocks: Block[] = [
    ...((input.system ?? []) as Block[]),
    ...((input.toolConfig?.tools ?? []) as Block[]),
    ...(input.messages ?? []).flatMap((message) => (message.content ?? []) as Block[]),
  ];
  for (const block of blocks) {
    if (knobs.cacheTtl && block.cachePoint && block.cachePoint.ttl === undefined) block.cachePoint.ttl = knobs.cacheTtl;
    if (knobs.citations !== undefined && block.document && block.document.citations === undefined) block.document.citations = { enabled: knobs.citations };
  }
  Object.assign(input, converseKnobFields(knobs));
  return input;
}
