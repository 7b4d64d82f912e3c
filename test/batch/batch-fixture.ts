/** Temp files, inputs and output readers shared by the batch tests. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EXAMPLE_CREDENTIALS, type Emulator } from "../../src/emulator/index.js";
import type { LlmProvider } from "../../src/providers/llm-provider.js";
import { createLlmProvider } from "../../src/providers/registry.js";
import type { ChatCompletion } from "../../src/schema/chat-completion.js";

export const MODEL = "anthropic.claude-3-5-haiku-20241022-v1:0";

export function tempDir(): { dir: string; path(name: string): string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), "minion-batch-"));
  return { dir, path: (name) => join(dir, name), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function inputLine(id: string | number, text: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ id, messages: [{ role: "user", content: text }], ...extra });
}

/** `count` requests with ids q0..q{count-1}, each asking "question i". */
export function writeInput(path: string, count: number, extra: Record<string, unknown> = {}): string[] {
  const ids = Array.from({ length: count }, (_, index) => `q${index}`);
  writeFileSync(path, ids.map((id, index) => inputLine(id, `question ${index}`, extra)).join("\n") + "\n");
  return ids;
}

/** Every output line parsed; throws if one is not JSON (the tests' well-formedness check). */
export function readRecords(path: string): Record<string, unknown>[] {
  const text = readFileSync(path, "utf8");
  if (text === "") return [];
  if (!text.endsWith("\n")) throw new Error(`output does not end with a newline: ...${JSON.stringify(text.slice(-80))}`);
  return text.slice(0, -1).split("\n").map((line, index) => {
    try {
      return JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new Error(`output line ${index + 1} is not JSON: ${JSON.stringify(line.slice(0, 200))}`);
    }
  });
}

/** How many times each id appears. */
export function idCounts(records: Record<string, unknown>[]): Map<unknown, number> {
  const counts = new Map<unknown, number>();
  for (const record of records) counts.set(record["id"], (counts.get(record["id"]) ?? 0) + 1);
  return counts;
}

export function emulatorProvider(emulator: Emulator, extra: Record<string, unknown> = {}) {
  return createLlmProvider({
    api_type: "bedrock_async",
    model: MODEL,
    region: "us-east-1",
    endpoint: emulator.url,
    access_key_id: EXAMPLE_CREDENTIALS.accessKeyId,
    secret_access_key: EXAMPLE_CREDENTIALS.secretAccessKey,
    ...extra,
  });
}

/**
 * A provider that answers every request at once, in memory, for tests of the runner's file handling where the
 * wire adds nothing (thousands of lines through the emulator would only cost time). Counts its calls.
 */
export function instantProvider(): LlmProvider & { calls: number } {
  const provider = {
    model: MODEL,
    calls: 0,
    async generateStreamResponse(): Promise<ChatCompletion> {
      provider.calls += 1;
      const message = { role: "assistant" as const, content: `answer ${provider.calls}` };
      const usage = { prompt_tokens: 10, completion_tokens: 2, total_tokens: 12 };
      return { id: `instant-${provider.calls}`, object: "chat.completion", created: 0, model: MODEL, choices: [{ index: 0, message, finish_reason: "stop", logprobs: null }], usage };
    },
  };
  return provider as unknown as LlmProvider & { calls: number };
}
