/** What every model-using command shares: the resolved model, its provider, Ctrl-C handling and the cost line. */
import type { LlmProvider } from "../providers/llm-provider.js";
import { createLlmProvider } from "../providers/registry.js";
import { BedrockServiceError } from "../schema/errors.js";
import type { CliIo } from "./cli-io.js";
import { formatCost } from "./format-cost.js";
import { resolveModel, type ResolvedModel } from "./resolve-model.js";

export interface ModelSession {
  resolved: ResolvedModel;
  provider: LlmProvider;
}

/**
 * Runs `body` with a provider for the chosen model, then always releases the provider and the in-process
 * emulator and prints the cost summary to stderr.
 */
export async function withModel<T>(
  io: CliIo,
  options: { model?: string; configPath?: string },
  body: (session: ModelSession) => Promise<T>,
): Promise<T> {
  const resolved = await resolveModel({ model: options.model, configPath: options.configPath, cwd: io.cwd, home: io.home, env: io.env });
  let provider: LlmProvider | undefined;
  try {
    if (resolved.emulatorUrl) {
      io.stderr.write(`minion: model '${resolved.name ?? resolved.config.model}' runs on the built-in Bedrock emulator at ${resolved.emulatorUrl} (no AWS account needed)\n`);
    }
    provider = createLlmProvider(resolved.config, {
      ...(resolved.models ? { models: resolved.models } : {}),
      onFallback: ({ from, to, error }) => io.stderr.write(`minion: model '${from.name}' failed (${errorName(error)}); trying its fallback '${to.name}'\n`),
    });
    return await body({ resolved, provider });
  } finally {
    if (provider) {
      io.stderr.write(`${formatCost(provider.getCost(), { name: resolved.name, id: resolved.config.model })}\n`);
      await provider.close().catch(() => {});
    }
    await resolved.close();
  }
}

function errorName(error: unknown): string {
  if (error instanceof BedrockServiceError) return error.awsName;
  return error instanceof Error ? error.name : "error";
}

/** An AbortSignal that fires on Ctrl-C (SIGINT) until `dispose()` is called. */
export function interruptSignal(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onInterrupt = () => controller.abort(new Error("interrupted (Ctrl-C)"));
  process.once("SIGINT", onInterrupt);
  return { signal: controller.signal, dispose: () => process.off("SIGINT", onInterrupt) };
}
