/**
 * The one transport of a provider: its keep-alive pool of `maxConcurrency` sockets (default 1000; direct or
 * through the environment's proxy) or, with `transport: "http2"`, its HTTP/2 sessions carrying at most
 * `maxConcurrency` streams, the endpoint (configured, or the region's), and the auth that signs every
 * call. Created on a provider's first call and reused by all of them; see transport/bedrock-transport.ts.
 * The AWS SDK is used only for the default credential chain (and its partition table for the endpoint).
 */
import type { LLMConfigFields } from "../../config/llm-config-fields.js";
import { ConfigError } from "../../schema/errors.js";
import { loadCredentialProviders } from "./load-aws-sdk.js";
import type { BedrockAuth } from "./auth/resolve-auth.js";
import { BedrockTransport, type TransportAuth } from "./transport/bedrock-transport.js";
import { createConnectionPool, destroyPool } from "./transport/create-connection-pool.js";
import { resolveEndpoint } from "./transport/resolve-endpoint.js";
import type { SigningCredentials } from "./transport/sign-sigv4.js";

/**
 * How calls reach Bedrock: "http1" (the default), a keep-alive pool with one connection per call in flight;
 * "http2", streams multiplexed on a few HTTP/2 sessions (http2-session-pool.ts; docs/providers.md says what
 * AWS behaviour it relies on). Through a proxy, calls use HTTP/1.1 either way.
 */
export type TransportKind = NonNullable<LLMConfigFields["transport"]>;

/** Default limit of calls in flight: sockets, or HTTP/2 streams (the SDK's own handler defaults to 50 sockets, which queues larger bursts). */
export const DEFAULT_MAX_CONCURRENCY = 1000;

export interface BedrockClientSettings {
  region: string;
  auth: BedrockAuth;
  endpoint?: string | undefined;
  /** PEM certificate(s) to trust for the endpoint. */
  ca?: string | undefined;
  maxConcurrency?: number | undefined;
  /** ms; undefined = none. */
  connectTimeoutMs?: number | undefined;
  /** Profile whose FIPS / dual-stack settings apply (the chain's profile). */
  profile?: string | undefined;
  transport?: TransportKind | undefined;
}

export interface BedrockClientHandle {
  transport: BedrockTransport;
  /** The URL calls go to. */
  endpoint: URL;
  /** The proxy used (without credentials), if any. */
  proxy: string | undefined;
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

/** A transport other than "http1" or "http2" is a ConfigError at creation (not a silent HTTP/1.1). */
export function checkTransport(transport: unknown): void {
  if (transport === undefined || transport === "http1" || transport === "http2") return;
  throw new ConfigError(`transport must be "http1" or "http2", got ${JSON.stringify(transport)}.`);
}

export async function createBedrockClient(settings: BedrockClientSettings): Promise<BedrockClientHandle> {
  const profile = settings.auth.kind === "chain" ? settings.auth.profile : settings.profile;
  const [endpoint, auth] = await Promise.all([resolveEndpoint({ endpoint: settings.endpoint, region: settings.region, profile }), transportAuthOf(settings.auth)]);
  const pool = await createConnectionPool({
    endpoint,
    maxConcurrency: settings.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY,
    ca: settings.ca,
    connectTimeoutMs: settings.connectTimeoutMs,
    http2: settings.transport === "http2",
  });
  const transport = new BedrockTransport({ endpoint, region: settings.region, auth, slots: pool.slots, agent: pool.agent, tunnels: pool.proxy !== undefined, sessions: pool.sessions, connectTimeoutMs: settings.connectTimeoutMs, connectionSecrets: pool.proxySecrets });
  return { transport, endpoint, proxy: pool.proxy, destroy: () => destroyPool(pool) };
}

/** Static keys, a bearer token, or the SDK's default chain (memoised: it refreshes expiring credentials itself). */
async function transportAuthOf(auth: BedrockAuth): Promise<TransportAuth> {
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
      return { kind: "sigv4", credentials: (): Promise<SigningCredentials> => chain() };
    }
  }
}
