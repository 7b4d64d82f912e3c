import { after, before } from "node:test";
import { startEmulator, EXAMPLE_CREDENTIALS, type Emulator } from "../../../src/emulator/index.js";
import type { Plan, EmulatorRequest } from "../../../src/emulator/answer-plan.js";
import { createPlanner } from "../../../src/emulator/model/index.js";
import { BedrockEmbeddingProvider, type BedrockEmbeddingProviderOptions } from "../../../src/providers/bedrock/embeddings/bedrock-embedding-provider.js";

/** A hook run for each request before the built-in planner answers: return a plan to answer with instead. */
export type Intercept = (request: EmulatorRequest) => Promise<Plan | undefined> | Plan | undefined;

/**
 * An emulator whose planner counts the requests in flight (each held `holdMs` so concurrency shows) and can be
 * intercepted per test; `provider()` builds an embedding provider pointed at it.
 */
export function useEmbeddingEmulator(holdMs = 0) {
  const builtin = createPlanner();
  const state = { inFlight: 0, maxInFlight: 0, intercept: undefined as Intercept | undefined };
  let emulator: Emulator | undefined;
  const providers: BedrockEmbeddingProvider[] = [];
  before(async () => {
    emulator = await startEmulator({
      planner: async (request) => {
        state.inFlight++;
        state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
        try {
          if (holdMs > 0) await new Promise((resolve) => setTimeout(resolve, holdMs));
          return (await state.intercept?.(request)) ?? (await builtin(request));
        } finally {
          state.inFlight--;
        }
      },
    });
  });
  after(async () => {
    await Promise.all(providers.map((p) => p.close()));
    await emulator?.close();
  });
  return {
    state,
    get emulator(): Emulator {
      return emulator!;
    },
    reset(): void {
      state.maxInFlight = 0;
      state.intercept = undefined;
      emulator!.clearRequests();
    },
    provider(model: string, extra: Record<string, unknown> = {}, options: BedrockEmbeddingProviderOptions = {}): BedrockEmbeddingProvider {
      const provider = new BedrockEmbeddingProvider(
        { api_type: "bedrock_embedding", model, endpoint: emulator!.url, region: "us-east-1", access_key_id: EXAMPLE_CREDENTIALS.accessKeyId, secret_access_key: EXAMPLE_CREDENTIALS.secretAccessKey, ...extra },
        { retry: { baseDelayMs: 1, throttlingBaseDelayMs: 1 }, ...options },
      );
      providers.push(provider);
      return provider;
    },
  };
}

export function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! ** 2;
    nb += b[i]! ** 2;
  }
  return dot / Math.sqrt(na * nb);
}
