import type { ResolvedModel } from "./resolve-model-id.js";

/**
 * Rules that depend on the Claude model. Newer Claude models (Opus 4.1, Sonnet/Haiku/Opus 4.5 and later)
 * reject a request that sets both `temperature` and `top_p`; older ones accept it. The version is read from
 * the id, so a future `claude-sonnet-5-...` gets the newer rule without a list of ids.
 */
const NEWER_CLAUDE = /claude-(?:opus|sonnet|haiku)-(?:4-[1-9](?!\d)|[5-9](?!\d))/;

export const TEMPERATURE_WITH_TOP_P_MESSAGE = "`temperature` and `top_p` cannot both be specified for this model. Please use only one.";

export function rejectsTemperatureWithTopP(model: ResolvedModel | undefined): boolean {
  if (!model || model.family !== "anthropic") return false;
  return NEWER_CLAUDE.test(model.baseId ?? model.requested);
}
