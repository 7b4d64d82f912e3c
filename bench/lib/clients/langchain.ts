/** LangChain ChatBedrockConverse (AWS SDK v3 client underneath, Converse API). */
import { BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import { ChatBedrockConverse } from "@langchain/aws";
import type { BenchTarget, ClientAdapter } from "./client-adapter.js";

function chatModel(target: BenchTarget): ChatBedrockConverse {
  const credentials = { accessKeyId: target.accessKeyId, secretAccessKey: target.secretAccessKey };
  const common = { model: target.model, region: target.region, credentials, maxTokens: target.maxTokens };
  const url = new URL(target.url);
  // endpointHost always means https://host; over plain HTTP hand it an SDK client with its defaults instead.
  if (url.protocol === "https:") return new ChatBedrockConverse({ ...common, endpointHost: url.host });
  return new ChatBedrockConverse({
    ...common,
    client: new BedrockRuntimeClient({ region: target.region, endpoint: target.url, credentials }),
  });
}

function textLength(content: unknown): number {
  if (typeof content === "string") return content.length;
  if (!Array.isArray(content)) return 0;
  return content.reduce((n: number, part: { text?: string }) => n + (part.text?.length ?? 0), 0);
}

export const langchainStream: ClientAdapter = {
  id: "langchain.stream",
  library: "langchain",
  streaming: true,
  yieldsTokens: true,
  async create(target) {
    const model = chatModel(target);
    return {
      async call(onText) {
        let chars = 0;
        for await (const chunk of await model.stream([["human", target.prompt]])) {
          const n = textLength(chunk.content);
          if (n > 0) {
            chars += n;
            onText();
          }
        }
        return chars;
      },
      close: async () => {},
    };
  },
};

export const langchainInvoke: ClientAdapter = {
  id: "langchain.invoke",
  library: "langchain",
  streaming: false,
  yieldsTokens: false,
  async create(target) {
    const model = chatModel(target);
    return {
      async call() {
        const message = await model.invoke([["human", target.prompt]]);
        return textLength(message.content);
      },
      close: async () => {},
    };
  },
};
