import { createHash } from "node:crypto";

/**
 * Deterministic tool-use ids: the same request always gets the same ids. InvokeModel answers use Anthropic's
 * `toolu_bdrk_01...` form, Converse answers Bedrock's `tooluse_...` form.
 */
export function toolUseId(format: "anthropic" | "converse", seed: string, index: number): string {
  const digest = createHash("sha256").update(`${seed}#${index}`).digest("base64url").replace(/[-_]/g, "x");
  return format === "anthropic" ? `toolu_bdrk_01${digest.slice(0, 22)}` : `tooluse_${digest.slice(0, 22)}`;
}
