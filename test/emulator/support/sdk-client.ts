import { BedrockRuntimeClient, type BedrockRuntimeClientConfig } from "@aws-sdk/client-bedrock-runtime";
import { EXAMPLE_CREDENTIALS, type Emulator } from "../../../src/emulator/index.js";

/** The official client with its default (HTTP/2) request handler, pointed at the emulator. */
export function sdkClient(emulator: Emulator, overrides: Partial<BedrockRuntimeClientConfig> = {}): BedrockRuntimeClient {
  return new BedrockRuntimeClient({
    endpoint: emulator.url,
    region: "us-east-1",
    credentials: { ...EXAMPLE_CREDENTIALS },
    maxAttempts: 1,
    ...overrides,
  });
}

export const MODEL_ID = "anthropic.claude-3-5-sonnet-20240620-v1:0";

export function anthropicBody(text = "Hello"): string {
  return JSON.stringify({ anthropic_version: "bedrock-2023-05-31", max_tokens: 100, messages: [{ role: "user", content: text }] });
}

export const CONVERSE_MESSAGES = [{ role: "user" as const, content: [{ text: "Hello" }] }];
