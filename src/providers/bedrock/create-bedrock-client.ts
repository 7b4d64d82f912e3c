/**
 * The one BedrockRuntimeClient of a provider, with a transport set up for many concurrent calls.
 *
 * The SDK's default for this service is HTTP/2 with a new session per request, and its HTTP/2 handler always
 * opens an isolated session for event streams. Transports here:
 *  - "auto" (default): non-streaming calls on shared HTTP/2 sessions (up to min(`maxConcurrency`, 100)
 *    concurrent streams each), event streams on an HTTP/1.1 keep-alive pool of `maxConcurrency` sockets
 *    (default 1000; split-http-handler.ts);
 *  - "http1": everything on the keep-alive pool;
 *  - "http2": everything on the SDK's HTTP/2 handler with shared sessions (streams still get their own session).
 * SDK retries are off (maxAttempts 1): the provider's retry layer is the only one.
 */
import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import { ConfigError } from "../../schema/errors.js";
import { loadBedrockRuntime, loadCredentialProviders, loadNodeHttpHandler, type BedrockRuntimeSdk } from "./load-aws-sdk.js";
import type { BedrockAuth } from "./resolve-credentials.js";
import { authSchemeSettings } from "./resolve-auth.js";
import { SplitHttpHandler, type InnerHandler } from "./split-http-handler.js";

export type TransportKind = "auto" | "http1" | "http2";

/** Default socket limit of the HTTP/1.1 pool (the SDK's own handler defaults to 50, which queues larger bursts). */
export const DEFAULT_MAX_CONCURRENCY = 1000;

/** Most concurrent streams put on one HTTP/2 connection before another is opened (servers commonly allow ~100). */
export const MAX_STREAMS_PER_SESSION = 100;

export interface BedrockClientSettings {
  region: string;
  auth: BedrockAuth;
  endpoint?: string | undefined;
  /** PEM certificate(s) to trust for the endpoint. */
  ca?: string | undefined;
  maxConcurrency?: number | undefined;
  transport?: TransportKind | undefined;
}


export interface BedrockClientHandle {
  sdk: BedrockRuntimeSdk;
  client: InstanceType<BedrockRuntimeSdk["BedrockRuntimeClient"]>;
  destroy(): void;
}

/** Checks an endpoint before anything else happens (a ConfigError for a malformed URL). */
export function checkEndpoint(endpoint: string | undefined): void {
  if (endpoint === undefined) return;
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new ConfigError(`endpoint "${endpoint}" is not a URL; use for example https://bedrock-runtime.us-east-1.amazonaws.com or the emulator's http://127.0.0.1:PORT.`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new ConfigError(`endpoint "${endpoint}" must be an http:// or https:// URL.`);
}

export async function createBedrockClient(settings: BedrockClientSettings): Promise<BedrockClientHandle> {
  const [sdk, handlers] = await Promise.all([loadBedrockRuntime(), loadNodeHttpHandler()]);
  const maxConcurrency = settings.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY;
  const http2 = (): InstanceType<typeof handlers.NodeHttp2Handler> =>
    new handlers.NodeHttp2Handler({
      disableConcurrentStreams: false,
      maxConcurrentStreams: Math.min(maxConcurrency, MAX_STREAMS_PER_SESSION),
      ...(settings.ca ? { nodeHttp2ConnectOptions: { ca: settings.ca } } : {}),
    });
  const http1 = (): InstanceType<typeof handlers.NodeHttpHandler> =>
    new handlers.NodeHttpHandler({
      httpAgent: new HttpAgent({ keepAlive: true, maxSockets: maxConcurrency }),
      httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: maxConcurrency, ...(settings.ca ? { ca: settings.ca } : {}) }),
    });
  const transport = settings.transport ?? "auto";
  const requestHandler =
    transport === "http2" ? http2() : transport === "http1" ? http1() : new SplitHttpHandler(http2() as unknown as InnerHandler, http1() as unknown as InnerHandler);
  const client = new sdk.BedrockRuntimeClient({
    region: settings.region,
    maxAttempts: 1,
    requestHandler,
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    ...(await authSettings(settings.auth)),
    // Pin the resolved scheme: the SDK alone would switch to bearer whenever AWS_BEARER_TOKEN_BEDROCK is set.
    ...authSchemeSettings(settings.auth),
  });
  return { sdk, client, destroy: () => client.destroy() };
}

async function authSettings(auth: BedrockAuth): Promise<Record<string, unknown>> {
  switch (auth.kind) {
    case "static":
      return { credentials: { ...auth.credentials } };
    case "bearer":
      return { token: { token: auth.token }, authSchemePreference: ["httpBearerAuth"] };
    case "chain": {
      const providers = await loadCredentialProviders();
      return { credentials: providers.fromNodeProviderChain(auth.profile ? { profile: auth.profile } : {}) };
    }
  }
}
