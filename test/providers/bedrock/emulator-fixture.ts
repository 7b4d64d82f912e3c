/** Starts an emulator (built-in model + optional script) and builds providers pointed at it. */
import { EXAMPLE_CREDENTIALS, startEmulator, type Emulator } from "../../../src/emulator/index.js";
import { createPlanner, type ModelOptions } from "../../../src/emulator/model/index.js";
import { BedrockAsyncProvider, type BedrockProviderOptions } from "../../../src/providers/bedrock/index.js";
import type { LLMConfigInput } from "../../../src/config/llm-config.js";

export const MODEL = "anthropic.claude-3-5-haiku-20241022-v1:0";

export async function emulatorWith(options: ModelOptions & { tls?: boolean } = {}): Promise<Emulator> {
  const { tls, ...model } = options;
  return startEmulator({ planner: createPlanner(model), ...(tls ? { tls } : {}) });
}

export function providerFor(emulator: Emulator, config: LLMConfigInput = {}, options: BedrockProviderOptions = {}): BedrockAsyncProvider {
  return new BedrockAsyncProvider(
    {
      api_type: "bedrock_async",
      model: MODEL,
      region: "us-east-1",
      access_key_id: EXAMPLE_CREDENTIALS.accessKeyId,
      secret_access_key: EXAMPLE_CREDENTIALS.secretAccessKey,
      endpoint: emulator.url,
      ...(emulator.ca ? { ca: emulator.ca } : {}),
      ...config,
    },
    { retry: { baseDelayMs: 1, throttlingBaseDelayMs: 5, maxDelayMs: 50 }, ...options },
  );
}

/** The Anthropic body of the n-th recorded request (negative counts from the end). */
export function bodyOf(emulator: Emulator, index = -1): Record<string, any> {
  const request = emulator.requests.at(index);
  if (!request) throw new Error(`no request #${index} recorded`);
  return request.body as Record<string, any>;
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}
