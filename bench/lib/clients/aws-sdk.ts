/** The raw @aws-sdk/client-bedrock-runtime client with its defaults (NodeHttp2Handler, standard retries). */
import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
} from "@aws-sdk/client-bedrock-runtime";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import { anthropicBody, type BenchTarget, type ClientAdapter, type ClientInstance } from "./client-adapter.js";

const decoder = new TextDecoder();

function defaultClient(target: BenchTarget): BedrockRuntimeClient {
  // Defaults on purpose: only what is needed to reach the emulator. The CA comes from NODE_EXTRA_CA_CERTS.
  return new BedrockRuntimeClient({
    region: target.region,
    endpoint: target.url,
    credentials: { accessKeyId: target.accessKeyId, secretAccessKey: target.secretAccessKey },
  });
}

function instance(client: BedrockRuntimeClient, call: ClientInstance["call"]): ClientInstance {
  return { call, close: async () => client.destroy() };
}

/** InvokeModelWithResponseStream, counting the text characters of the Anthropic deltas as they arrive. */
function invokeStreamInstance(client: BedrockRuntimeClient, target: BenchTarget): ClientInstance {
  const body = JSON.stringify(anthropicBody(target));
  return instance(client, async (onText) => {
    const out = await client.send(new InvokeModelWithResponseStreamCommand({ modelId: target.model, body, contentType: "application/json" }));
    let chars = 0;
    for await (const event of out.body ?? []) {
      const bytes = event.chunk?.bytes;
      if (!bytes) continue;
      const parsed = JSON.parse(decoder.decode(bytes)) as { type: string; delta?: { type: string; text?: string } };
      if (parsed.type === "content_block_delta" && parsed.delta?.type === "text_delta" && parsed.delta.text) {
        chars += parsed.delta.text.length;
        onText();
      }
    }
    return chars;
  });
}

export const sdkInvoke: ClientAdapter = {
  id: "sdk.InvokeModel",
  library: "aws-sdk",
  streaming: false,
  yieldsTokens: false,
  async create(target) {
    const client = defaultClient(target);
    const body = JSON.stringify(anthropicBody(target));
    return instance(client, async () => {
      const out = await client.send(
        new InvokeModelCommand({ modelId: target.model, body, contentType: "application/json", accept: "application/json" }),
      );
      const parsed = JSON.parse(decoder.decode(out.body)) as { content: { type: string; text?: string }[] };
      return parsed.content.reduce((n, b) => n + (b.text?.length ?? 0), 0);
    });
  },
};

export const sdkInvokeStream: ClientAdapter = {
  id: "sdk.InvokeModelWithResponseStream",
  library: "aws-sdk",
  streaming: true,
  yieldsTokens: true,
  async create(target) {
    const client = defaultClient(target);
    return invokeStreamInstance(client, target);
  },
};

export const sdkConverse: ClientAdapter = {
  id: "sdk.Converse",
  library: "aws-sdk",
  streaming: false,
  yieldsTokens: false,
  async create(target) {
    const client = defaultClient(target);
    return instance(client, async () => {
      const out = await client.send(new ConverseCommand(converseInput(target)));
      return (out.output?.message?.content ?? []).reduce((n, b) => n + (b.text?.length ?? 0), 0);
    });
  },
};

export const sdkConverseStream: ClientAdapter = {
  id: "sdk.ConverseStream",
  library: "aws-sdk",
  streaming: true,
  yieldsTokens: true,
  async create(target) {
    const client = defaultClient(target);
    return instance(client, async (onText) => {
      const out = await client.send(new ConverseStreamCommand(converseInput(target)));
      let chars = 0;
      for await (const event of out.stream ?? []) {
        const text = event.contentBlockDelta?.delta?.text;
        if (text) {
          chars += text.length;
          onText();
        }
      }
      return chars;
    });
  },
};

function converseInput(target: BenchTarget) {
  return {
    modelId: target.model,
    messages: [{ role: "user" as const, content: [{ text: target.prompt }] }],
    inferenceConfig: { maxTokens: target.maxTokens },
  };
}

/**
 * Not a default: the same SDK call over an HTTP/1.1 keep-alive pool with no socket cap, to separate what the
 * transport costs from what a library adds on top (select with --clients sdk-keepalive.InvokeModelWithResponseStream).
 */
export const sdkKeepAliveInvokeStream: ClientAdapter = {
  ...sdkInvokeStream,
  id: "sdk-keepalive.InvokeModelWithResponseStream",
  async create(target) {
    const agent = new HttpsAgent({ keepAlive: true, maxSockets: Infinity, ...(target.ca ? { ca: target.ca } : {}) });
    const client = new BedrockRuntimeClient({
      region: target.region,
      endpoint: target.url,
      credentials: { accessKeyId: target.accessKeyId, secretAccessKey: target.secretAccessKey },
      requestHandler: new NodeHttpHandler({ httpsAgent: agent, httpAgent: new HttpAgent({ keepAlive: true, maxSockets: Infinity }) }),
    });
    return invokeStreamInstance(client, target);
  },
};
