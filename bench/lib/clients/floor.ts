/**
 * The floor (issue 18): the least a Bedrock client can do. The request is built and signed once, in advance
 * (signed again only when the signature nears its 15-minute limit), sent on a keep-alive https.Agent with no
 * socket cap, and the answer is only decoded: frames cut by their length prefix, CRCs checked and headers
 * parsed by the official @smithy/eventstream-codec, the payload's JSON, its base64, the event's JSON. No
 * retries, no timeouts, no error mapping, no accounting: what any real client pays on top of this is its own.
 */
import { EventStreamCodec } from "@smithy/eventstream-codec";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";
import http from "node:http";
import https from "node:https";
import { SigV4Signer } from "../../../src/providers/bedrock/transport/sign-sigv4.js";
import { anthropicBody, type BenchTarget, type ClientAdapter, type ClientInstance } from "./client-adapter.js";

const codec = new EventStreamCodec(toUtf8, fromUtf8);
const RESIGN_MS = 5 * 60_000;

interface PreBuilt {
  url: URL;
  agent: http.Agent;
  send: typeof https.request;
  body: Buffer;
  path: string;
  headers: () => Record<string, string>;
}

function preBuilt(target: BenchTarget, operation: "invoke" | "invoke-with-response-stream"): PreBuilt {
  const url = new URL(target.url);
  const text = JSON.stringify(anthropicBody(target));
  const path = `/model/${encodeURIComponent(target.model)}/${operation}`;
  const signer = new SigV4Signer(target.region);
  const credentials = { accessKeyId: target.accessKeyId, secretAccessKey: target.secretAccessKey };
  const tls = url.protocol === "https:";
  const agent = tls ? new https.Agent({ keepAlive: true, maxSockets: Infinity, ...(target.ca ? { ca: target.ca } : {}) }) : new http.Agent({ keepAlive: true, maxSockets: Infinity });
  let headers: Record<string, string> = {};
  let signedAt = -Infinity;
  return {
    url,
    agent,
    send: tls ? https.request : http.request,
    body: Buffer.from(text),
    path,
    headers: () => {
      if (Date.now() - signedAt > RESIGN_MS) {
        headers = { host: url.host, "content-type": "application/json", "content-length": String(Buffer.byteLength(text)), accept: "application/json" };
        signer.sign({ method: "POST", path, headers, body: text }, credentials);
        signedAt = Date.now();
      }
      return headers;
    },
  };
}

function post(p: PreBuilt, onResponse: (response: http.IncomingMessage) => void, reject: (error: Error) => void): void {
  const request = p.send({ agent: p.agent, hostname: p.url.hostname, port: p.url.port, method: "POST", path: p.path, headers: p.headers() }, (response) => {
    if (response.statusCode !== 200) {
      response.resume();
      return reject(new Error(`the floor client got HTTP ${response.statusCode}`));
    }
    response.on("error", reject);
    onResponse(response);
  });
  request.on("error", reject);
  request.end(p.body);
}

type AnthropicEvent = { type: string; delta?: { type: string; text?: string } };

/** Every whole frame in `buffer` -> text deltas counted; returns the bytes of a partial frame left over. */
function decodeFrames(buffer: Buffer, onText: () => void, count: { chars: number }): Buffer {
  while (buffer.length >= 4) {
    const length = buffer.readUInt32BE(0);
    if (buffer.length < length) break;
    const message = codec.decode(buffer.subarray(0, length));
    buffer = buffer.subarray(length);
    if (message.headers[":message-type"]?.value !== "event") throw new Error(`the floor client got a ${String(message.headers[":message-type"]?.value)} frame`);
    if (message.headers[":event-type"]?.value !== "chunk") continue;
    const payload = JSON.parse(toUtf8(message.body)) as { bytes: string };
    const event = JSON.parse(Buffer.from(payload.bytes, "base64").toString("utf8")) as AnthropicEvent;
    if (event.type === "content_block_delta" && event.delta?.type === "text_delta" && event.delta.text) {
      count.chars += event.delta.text.length;
      onText();
    }
  }
  return buffer;
}

export const floorInvokeStream: ClientAdapter = {
  id: "floor.InvokeModelWithResponseStream",
  library: "floor",
  streaming: true,
  yieldsTokens: true,
  async create(target): Promise<ClientInstance> {
    const p = preBuilt(target, "invoke-with-response-stream");
    const call = (onText: () => void): Promise<number> =>
      new Promise((resolve, reject) =>
        post(p, (response) => {
          const count = { chars: 0 };
          let pending: Buffer = Buffer.alloc(0);
          response.on("data", (bytes: Buffer) => {
            try {
              pending = decodeFrames(pending.length ? Buffer.concat([pending, bytes]) : bytes, onText, count);
            } catch (error) {
              response.destroy();
              reject(error as Error);
            }
          });
          response.on("end", () => (pending.length ? reject(new Error("the event stream was cut")) : resolve(count.chars)));
        }, reject),
      );
    return { call, close: async () => p.agent.destroy() };
  },
};

export const floorInvoke: ClientAdapter = {
  id: "floor.InvokeModel",
  library: "floor",
  streaming: false,
  yieldsTokens: false,
  async create(target): Promise<ClientInstance> {
    const p = preBuilt(target, "invoke");
    const call = (): Promise<number> =>
      new Promise((resolve, reject) =>
        post(p, (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (bytes: Buffer) => chunks.push(bytes));
          response.on("end", () => {
            const answer = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { content: { text?: string }[] };
            resolve(answer.content.reduce((n, block) => n + (block.text?.length ?? 0), 0));
          });
        }, reject),
      );
    return { call, close: async () => p.agent.destroy() };
  },
};
