/** What every benchmarked client implements: one instance per worker process, reused for every request. */

export interface BenchTarget {
  /** Emulator base URL (https://127.0.0.1:PORT or http://...). */
  url: string;
  /** PEM of the emulator's self-signed CA, when it runs over TLS. */
  ca?: string;
  model: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  prompt: string;
  maxTokens: number;
}

export interface ClientInstance {
  /**
   * Sends one request and resolves when the whole answer is in. `onText` is called for every text piece as
   * the client hands it to the user (streaming clients), so the worker can time the first token.
   * Resolves to the number of text characters received.
   */
  call(onText: () => void): Promise<number>;
  close(): Promise<void>;
}

export interface ClientAdapter {
  /** Stable id used on the command line and in the JSON (e.g. "minion.generateStream"). */
  id: string;
  /** Library name for the chart legend and the table. */
  library: "minion-ts" | "aws-sdk" | "ai-sdk" | "langchain" | "anthropic" | "floor";
  /** Whether the wire call is a stream (the answer comes in pieces). */
  streaming: boolean;
  /** Whether the user sees text before the end (false for generate and generateStreamResponse). */
  yieldsTokens: boolean;
  create(target: BenchTarget): Promise<ClientInstance>;
}

/** The same work for every client: the emulator's URL, CA and credentials, one prompt, one answer size. */
export function benchTarget(emulator: { url: string; ca?: string | undefined; credentials: { accessKeyId: string; secretAccessKey: string } }, model: string): BenchTarget {
  return {
    url: emulator.url,
    ...(emulator.ca !== undefined ? { ca: emulator.ca } : {}),
    model,
    region: "us-east-1",
    accessKeyId: emulator.credentials.accessKeyId,
    secretAccessKey: emulator.credentials.secretAccessKey,
    prompt: "Write a short paragraph about the sea.",
    maxTokens: 512,
  };
}

/** Anthropic Messages body used by every InvokeModel-style client. */
export function anthropicBody(target: BenchTarget): Record<string, unknown> {
  return {
    anthropic_version: "bedrock-2023-05-31",
    max_tokens: target.maxTokens,
    messages: [{ role: "user", content: target.prompt }],
  };
}
