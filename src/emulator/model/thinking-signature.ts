import { createHash } from "node:crypto";

/**
 * Signatures of the built-in model's thinking blocks: base64 of SHA-256 over a fixed salt and the thinking
 * text. A thinking block sent back in a later turn must carry the signature the emulator gave it, or the
 * request is rejected as Anthropic rejects a modified thinking block.
 */
const SALT = "minion-ts-emulator-thinking-v1\n";

export function signThinking(thinking: string): string {
  return createHash("sha256").update(SALT).update(thinking).digest("base64");
}

export function isValidThinkingSignature(thinking: string, signature: string): boolean {
  return signature === signThinking(thinking);
}
