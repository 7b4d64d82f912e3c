/** Test harness: one emulator + one Bedrock client, and helpers that run a BedrockProtocol end to end. */
import { startEmulator, EXAMPLE_CREDENTIALS, type Emulator, type EmulatorOptions } from "../../../../src/emulator/index.js";
import { createBedrockClient, type BedrockClientHandle } from "../../../../src/providers/bedrock/create-bedrock-client.js";
import type { BedrockProtocol } from "../../../../src/providers/bedrock/bedrock-protocol.js";
import { StreamAccumulator } from "../../../../src/providers/bedrock/output/stream-accumulator.js";
import type { ChatCompletion } from "../../../../src/schema/chat-completion.js";
import type { MessageInput } from "../../../../src/schema/message.js";
import type { GenerateOptions, StreamEvent } from "../../../../src/providers/llm-provider.js";

export interface Harness {
  emulator: Emulator;
  handle: BedrockClientHandle;
  close(): Promise<void>;
}

export async function startHarness(options: EmulatorOptions = {}): Promise<Harness> {
  const emulator = await startEmulator(options);
  const handle = await createBedrockClient({ region: "us-east-1", endpoint: emulator.url, auth: { kind: "static", source: "config", credentials: { ...EXAMPLE_CREDENTIALS } } });
  return {
    emulator,
    handle,
    close: async () => {
      handle.destroy();
      await emulator.close();
    },
  };
}

export async function invokeWith(protocol: BedrockProtocol, harness: Harness, model: string, messages: MessageInput[], options: GenerateOptions = {}): Promise<ChatCompletion> {
  const call = protocol.prepare(model, messages, options, {});
  const accumulator = new StreamAccumulator(model, call.clientStops);
  for (const part of await call.invoke(harness.handle, { signal: new AbortController().signal })) accumulator.push(part);
  return accumulator.completion();
}

export async function streamWith(
  protocol: BedrockProtocol,
  harness: Harness,
  model: string,
  messages: MessageInput[],
  options: GenerateOptions = {},
): Promise<{ events: StreamEvent[]; completion: ChatCompletion }> {
  const call = protocol.prepare(model, messages, options, {});
  const accumulator = new StreamAccumulator(model, call.clientStops);
  const events: StreamEvent[] = [];
  batches: for await (const batch of await call.openStream(harness.handle, { signal: new AbortController().signal })) {
    for (const part of batch) {
      events.push(...accumulator.push(part));
      if (accumulator.done && part.type === "finish") break batches;
    }
  }
  return { events, completion: accumulator.completion() };
}

/** The JSON body of the last request the emulator accepted. */
export function lastBody(harness: Harness): Record<string, any> {
  const request = harness.emulator.requests[harness.emulator.requests.length - 1];
  if (!request) throw new Error("the emulator received no request");
  return request.body as Record<string, any>;
}
