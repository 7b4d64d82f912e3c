/** Vercel AI SDK: streamText / generateText with @ai-sdk/amazon-bedrock (fetch + SigV4, Converse API). */
import { createAmazonBedrock } from "@ai-sdk/amazon-bedrock";
import { generateText, streamText } from "ai";
import type { BenchTarget, ClientAdapter } from "./client-adapter.js";

function provider(target: BenchTarget) {
  return createAmazonBedrock({
    region: target.region,
    accessKeyId: target.accessKeyId,
    secretAccessKey: target.secretAccessKey,
    baseURL: target.url,
  });
}

export const aiSdkStreamText: ClientAdapter = {
  id: "ai-sdk.streamText",
  library: "ai-sdk",
  streaming: true,
  yieldsTokens: true,
  async create(target) {
    const model = provider(target)(target.model);
    return {
      async call(onText) {
        let failure: unknown;
        const result = streamText({
          model,
          prompt: target.prompt,
          maxOutputTokens: target.maxTokens,
          onError: ({ error }) => {
            failure = error;
          },
        });
        let chars = 0;
        for await (const text of result.textStream) {
          chars += text.length;
          onText();
        }
        if (failure) throw failure;
        return chars;
      },
      close: async () => {},
    };
  },
};

export const aiSdkGenerateText: ClientAdapter = {
  id: "ai-sdk.generateText",
  library: "ai-sdk",
  streaming: false,
  yieldsTokens: false,
  async create(target) {
    const model = provider(target)(target.model);
    return {
      async call() {
        const result = await generateText({ model, prompt: target.prompt, maxOutputTokens: target.maxTokens });
        return result.text.length;
      },
      close: async () => {},
    };
  },
};
