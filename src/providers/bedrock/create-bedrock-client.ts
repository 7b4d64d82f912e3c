/**
 * The one BedrockRuntimeClient of a provider, with a transport set up for many concurrent calls.
 *
 * Event streams (InvokeModelWithResponseStream, ConverseStream) are sent by this library on an HTTP/1.1
 * keep-alive pool of `maxConcurrency` sockets (default 1000): `eventStreams`, see
 * event-stream/event-stream-transport.ts. (The SDK's HTTP/2 handler would open a new session, with its own
 * TLS handshake, for every event stream.) The SDK client sends the non-streaming calls:
 *  - "http2" (default): shared HTTP/2 sessions, up to min(`maxConcurrency`, 100) concurrent streams each;
 *  - "http1": the keep-alive pool.
 * SDK retries are off (maxAttempts 1): the provider's retry layer is the only one.
 */
import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import { ConfigError } from "../../schema/errors.js";
import { EventStreamTransport, type StreamAuth } from "./event-stream/event-stream-transport.js";
import type { SigningCredentials } from "./event-stream/sign-sigv4.js";
import { loadBedrockRuntime, loadCredentialProviders, loadNodeHttpHandler, type BedrockRuntimeSdk } from "./load-aws-sdk.js";
import type { BedrockAuth } from "./resolve-credentials.js";
import { authSchemeSettings } from "./resolve-auth.js";

/** How non-streaming calls travel (event streams always use the HTTP/1.1 pool). */
export type TransportKind = "http2" | "http1";

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
  /** Called with each set of credentials the default chain resolves, so that errors can be scrubbed of them. */
  onChainCredentials?: ((credentials: SigningCredentials) => void) | undefined;
}


type BedrockRuntimeClient = InstanceType<BedrockRuntimeSdk["BedrockRuntimeClient"]>;

export interface BedrockClientHandle {
  sdk: BedrockRuntimeSdk;
  client: BedrockRuntimeClient;
  /** Event-stream requests, sent on the keep-alive pool without the SDK's pipeline. */
  eventStreams: EventStreamTransport;
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
  const tls = settings.ca ? { ca: settings.ca } : {};
  const httpAgent = new HttpAgent({ keepAlive: true, maxSockets: maxConcurrency });
  const httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: maxConcurrency, ...tls });
  const requestHandler =
    settings.transport === "http1"
      ? new handlers.NodeHttpHandler({ httpAgent, httpsAgent })
      : new handlers.NodeHttp2Handler({
          disableConcurrentStreams: false,
          maxConcurrentStreams: Math.min(maxConcurrency, MAX_STREAMS_PER_SESSION),
          ...(settings.ca ? { nodeHttp2ConnectOptions: tls } : {}),
        });
  const streamAuth = await streamAuthOf(settings.auth, settings.onChainCredentials);
  const client = new sdk.BedrockRuntimeClient({
    region: settings.region,
    maxAttempts: 1,
    requestHandler,
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    ...sdkAuthSettings(settings.auth, streamAuth),
    // Pin the resolved scheme: the SDK alone would switch to bearer whenever AWS_BEARER_TOKEN_BEDROCK is set.
    ...authSchemeSettings(settings.auth),
  });
  const endpoint = await endpointOf(client, settings);
  const eventStreams = new EventStreamTransport({
    endpoint,
    region: settings.region,
    auth: streamAuth,
    agent: endpoint.protocol === "https:" ? httpsAgent : httpAgent,
  });
  return {
    sdk,
    client,
    eventStreams,
    destroy: () => {
      client.destroy();
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}

/** Static keys, a bearer token, or the SDK's default chain (memoised: it refreshes expiring credentials itself). */
async function streamAuthOf(auth: BedrockAuth, onChainCredentials: BedrockClientSettings["onChainCredentials"]): Promise<StreamAuth> {
  switch (auth.kind) {
    case "static": {
      const credentials = { ...auth.credentials };
      return { kind: "sigv4", credentials: () => credentials };
    }
    case "bearer":
      return { kind: "bearer", token: auth.token };
    case "chain": {
      const providers = await loadCredentialProviders();
      const chain = providers.fromNodeProviderChain(auth.profile ? { profile: auth.profile } : {});
      const seen = async (...args: Parameters<typeof chain>): Promise<SigningCredentials> => {
        const credentials = await chain(...args);
        onChainCredentials?.(credentials);
        return credentials;
      };
      return { kind: "sigv4", credentials: seen };
    }
  }
}

/** The same auth for the SDK client (the chain is shared, so both sides use one cache of credentials). */
function sdkAuthSettings(auth: BedrockAuth, streamAuth: StreamAuth): Record<string, unknown> {
  if (streamAuth.kind === "bearer") return { token: { token: streamAuth.token } };
  return { credentials: auth.kind === "static" ? { ...auth.credentials } : streamAuth.credentials };
}

/** The configured endpoint, or the one the SDK's endpoint rules give for the region (FIPS/dual-stack settings included). */
async function endpointOf(client: BedrockRuntimeClient, settings: BedrockClientSettings): Promise<URL> {
  if (settings.endpoint) return new URL(settings.endpoint);
  const config = client.config;
  const resolved = config.endpointProvider({
    Region: settings.region,
    UseFIPS: await config.useFipsEndpoint(),
    UseDualStack: await config.useDualstackEndpoint(),
  });
  return new URL(resolved.url.href);
}
