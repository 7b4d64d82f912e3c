/** Anthropic's @anthropic-ai/bedrock-sdk (fetch + SigV4, InvokeModel with the Messages API). */
import { AnthropicBedrock } from "@anthropic-ai/bedrock-sdk";
import type { BenchTarget, ClientAdapter } from "./client-adapter.js";

function client(target: BenchTarget): AnthropicBedrock {
  return new AnthropicBedrock({
    apiKey: null,
    awsAccessKey: target.accessKeyId,
    awsSecretKey: target.secretAccessKey,
    awsRegion: target.region,
    baseURL: target.url,
  });
}

export const anthropicStream: ClientAdapter = {
  id: "anthropic.messages.stream",
  library: "anthropic",
  streaming: true,
  yieldsTokens: true,
  async create(target) {
    const anthropic = client(target);
    return {
      async call(onText) {
        const stream = await anthropic.messages.create({
          model: target.model,
          max_tokens: target.maxTokens,
          messages: [{ role: "user", content: target.prompt }],
          stream: true,
        });
        let chars = 0;
        for await (const event of stream) {
          if (event.type === "content_block_delta" && event.delta.type === "text_delta") {
            chars += event.delta.text.length;
            onText();
          }
        }
        return chars;
      },
      close: async () => {},
    };
  },
};

export const anthropicCreate: ClientAdapter = {
  id: "anthropic.messages.create",
  library: "anthropic",
  streaming: false,
  yieldsTokens: false,
  async create(target) {
    const anthropic = client(target);
    return {
      async call() {
        const message = await anthropic.messages.create({
          model: target.model,
          max_tokens: target.maxTokens,
          messages: [{ role: "user", content: target.prompt }],
        });
        return message.content.reduce((n, b) => n + (b.type === "text" ? b.text.length : 0), 0);
      },
      close: async () => {},
    };
  },
};
