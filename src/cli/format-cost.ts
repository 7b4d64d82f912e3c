/** The one-line cost summary the CLI prints (to stderr) when a command ends. */
import type { CostSnapshot } from "../providers/llm-provider.js";
import { visibleControls } from "../schema/visible-controls.js";

export function formatCost(cost: CostSnapshot, model: { name?: string | undefined; id: string }): string {
  // The name and id come from a config (a cloned project's, maybe): their control characters are made visible.
  const who = visibleControls(model.name ? `${model.name} (${model.id})` : model.id);
  const cache =
    cost.totalCacheReadTokens || cost.totalCacheWriteTokens ? `, cache read ${cost.totalCacheReadTokens} / write ${cost.totalCacheWriteTokens}` : "";
  return (
    `cost: ${formatUsd(cost.totalCost)} (prompt ${formatUsd(cost.totalPromptCost)}, completion ${formatUsd(cost.totalCompletionCost)}) | ` +
    `tokens: ${cost.totalPromptTokens} prompt + ${cost.totalCompletionTokens} completion = ${cost.totalTokens}${cache} | model: ${who}`
  );
}

export function formatUsd(amount: number): string {
  return `$${amount.toFixed(6)}`;
}
