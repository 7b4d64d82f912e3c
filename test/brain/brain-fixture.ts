/** An emulator with a script, a provider pointed at it, and helpers to read what the emulator received. */
import { EXAMPLE_CREDENTIALS, startEmulator, type Emulator } from "../../src/emulator/index.js";
import type { LlmProvider } from "../../src/providers/llm-provider.js";
import { createLlmProvider } from "../../src/providers/registry.js";

export const MODEL = "anthropic.claude-3-5-haiku-20241022-v1:0";

export interface EmulatedModel {
  emulator: Emulator;
  provider: LlmProvider;
  close(): Promise<void>;
}

export async function emulatedModel(script?: Record<string, unknown>): Promise<EmulatedModel> {
  const emulator = await startEmulator({ port: 0, ...(script ? { script } : {}) });
  const provider = createLlmProvider({
    api_type: "bedrock_async",
    model: MODEL,
    region: "us-east-1",
    access_key_id: EXAMPLE_CREDENTIALS.accessKeyId,
    secret_access_key: EXAMPLE_CREDENTIALS.secretAccessKey,
    endpoint: emulator.url,
  });
  return {
    emulator,
    provider,
    close: async () => {
      await provider.close();
      await emulator.close();
    },
  };
}

export type Block = Record<string, any>;
export type AnthropicMessage = { role: string; content: string | Block[] };

/** The Anthropic Messages body of the n-th request the emulator received (negative counts from the end). */
export function bodyOf(emulator: Emulator, index = -1): { system?: string | Block[]; messages: AnthropicMessage[]; tools?: Block[] } & Record<string, any> {
  const request = emulator.requests.at(index);
  if (!request) throw new Error(`no request #${index} recorded (got ${emulator.requests.length})`);
  return request.body as any;
}

/** The text of a message's content (string content or its text blocks). */
export function textOf(message: AnthropicMessage | undefined): string {
  if (!message) return "";
  if (typeof message.content === "string") return message.content;
  return message.content.filter((block) => block.type === "text").map((block) => block.text as string).join("");
}

export function systemText(body: { system?: string | Block[] }): string {
  if (body.system === undefined) return "";
  if (typeof body.system === "string") return body.system;
  return body.system.map((block) => block.text as string).join("");
}
