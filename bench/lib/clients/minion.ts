/**
 * minion-ts: the BedrockAsyncProvider through createLlmProvider, one provider instance per worker. Imported
 * from the package's entry point, as users import it (what a cold start loads).
 */
import { BedrockAsyncProvider, createLlmProvider, type LlmProvider } from "../../../src/index.js";
import type { BenchTarget, ClientAdapter, ClientInstance } from "./client-adapter.js";

/** `apiType` the minion clients use; `MINION_BENCH_API_TYPE` overrides it (e.g. to compare transports). */
const API_TYPE = process.env.MINION_BENCH_API_TYPE ?? "bedrock_async";

type CreateLlmProvider = typeof createLlmProvider;

/** The bench's provider config; `create` may be another checkout's createLlmProvider (first-token-floor --compare). */
export async function provider(target: BenchTarget, extra: Record<string, unknown> = {}, create: CreateLlmProvider = createLlmProvider): Promise<LlmProvider> {
  return create({
    ...extra,
    apiType: API_TYPE,
    model: target.model,
    endpoint: target.url,
    ca: target.ca,
    region: target.region,
    accessKeyId: target.accessKeyId,
    secretAccessKey: target.secretAccessKey,
    maxTokens: target.maxTokens,
  });
}

function instance(llm: LlmProvider, call: ClientInstance["call"]): ClientInstance {
  return { call, close: () => llm.close() };
}

const messages = (target: BenchTarget) => [{ role: "user" as const, content: target.prompt }];

export async function streamText(llm: LlmProvider, target: BenchTarget, onText: () => void): Promise<number> {
  let chars = 0;
  for await (const text of llm.generateStream(messages(target))) {
    chars += text.length;
    onText();
  }
  return chars;
}

export const minionGenerate: ClientAdapter = {
  id: "minion.generate",
  library: "minion-ts",
  streaming: false,
  yieldsTokens: false,
  async create(target) {
    const llm = await provider(target);
    return instance(llm, async () => (await llm.generate(messages(target))).length);
  },
};

export const minionGenerateStream: ClientAdapter = {
  id: "minion.generateStream",
  library: "minion-ts",
  streaming: true,
  yieldsTokens: true,
  async create(target) {
    const llm = await provider(target);
    return instance(llm, (onText) => streamText(llm, target, onText));
  },
};

export const minionGenerateStreamResponse: ClientAdapter = {
  id: "minion.generateStreamResponse",
  library: "minion-ts",
  streaming: true,
  yieldsTokens: false,
  async create(target) {
    const llm = await provider(target);
    return instance(llm, async () => {
      const completion = await llm.generateStreamResponse(messages(target));
      return completion.choices[0]?.message.content?.length ?? 0;
    });
  },
};

/**
 * Not a default: generateStream with `maxConcurrency` raised to 10,000, to show what the provider's default
 * socket cap costs at high concurrency (select with --clients minion-uncapped.generateStream).
 */
export const minionUncappedGenerateStream: ClientAdapter = {
  ...minionGenerateStream,
  id: "minion-uncapped.generateStream",
  async create(target) {
    const llm = await provider(target, { maxConcurrency: 10_000 });
    return instance(llm, (onText) => streamText(llm, target, onText));
  },
};

/**
 * Not a default: generateStream with `transport: "http2"` (streams multiplexed on a few HTTP/2 sessions), to
 * compare with the HTTP/1.1 pool (select with --clients minion.generateStream.http2, or in --scale-clients).
 * `maxConcurrency` caps HTTP/2 streams as it caps sockets: raised to 10,000, as minion-uncapped's, so that a
 * scale run opens every stream at once on both.
 */
export const minionHttp2GenerateStream: ClientAdapter = {
  ...minionGenerateStream,
  id: "minion.generateStream.http2",
  async create(target) {
    const config = { apiType: "bedrock_async", model: target.model, endpoint: target.url, ca: target.ca, region: target.region, accessKeyId: target.accessKeyId, secretAccessKey: target.secretAccessKey, maxTokens: target.maxTokens, maxConcurrency: 10_000 };
    const llm = new BedrockAsyncProvider(config, { transport: "http2" });
    return instance(llm, (onText) => streamText(llm, target, onText));
  },
};
