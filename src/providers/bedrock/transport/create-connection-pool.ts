/**
 * The keep-alive pool a provider sends every call on: a plain http/https Agent, or, when HTTPS_PROXY /
 * HTTP_PROXY / ALL_PROXY apply to the endpoint (and NO_PROXY does not exclude it; `proxy-from-env` reads
 * them the way curl does), an `https-proxy-agent` that opens a CONNECT tunnel per pooled connection (TLS to
 * Bedrock runs inside the tunnel, so the proxy never sees the request; proxy-tunnel-agent.ts).
 *
 * One TLS context per pool, made once here: given `ca` (or any TLS option) instead, Node's tls.connect builds a
 * new SecureContext for every connection, parsing the PEM and loading the root store each time (~0.2-0.4 ms
 * of CPU per connection; bench/RESULTS.md, embeddings 2026-12-06).
 *
 * With `http2`, a direct endpoint gets an Http2SessionPool instead (http2-session-pool.ts); through a proxy
 * the HTTP/1.1 tunnel pool is kept (the CONNECT path is written for it).
 *
 * Either way the pool's slots (call-slots.ts) cap the calls in flight at max_concurrency: the transport
 * takes one before it signs a call, so a call waits for its slot unsigned and an agent, whose maxSockets is
 * the same number, never has to queue a request (Node's queue would hold it signed, and send it after close).
 *
 * The connect timeout covers opening a pooled connection: the proxy tunnel and TLS handshake here, TCP and
 * TLS of a direct connection in the transport (see armConnectTimeout). A wait for a slot is not connecting
 * and is not covered.
 */
import http from "node:http";
import tls from "node:tls";
import { getProxyForUrl } from "proxy-from-env";
import { providerClosedError } from "../../../schema/errors.js";
import { Http2SessionPool } from "./http2-session-pool.js";
import { PacedHttpsAgent } from "./paced-https-agent.js";
import { CallSlots } from "./call-slots.js";

/** TLS handshakes in progress at once on a direct pool (paced-https-agent.ts; bench/RESULTS.md, the cold burst). */
const MAX_HANDSHAKES = 256;

export interface ConnectionPoolSettings {
  endpoint: URL;
  /** Most calls in flight: sockets of an HTTP/1.1 pool, streams of an HTTP/2 one (beyond it, calls wait). */
  maxConcurrency: number;
  /** PEM certificate(s) to trust for the endpoint. */
  ca?: string | undefined;
  /** ms; undefined = no connect timeout. */
  connectTimeoutMs?: number | undefined;
  /** Send calls as HTTP/2 streams on a few sessions (direct endpoints only). */
  http2?: boolean | undefined;
}

export type ConnectionPool = { slots: CallSlots } & (
  | {
      agent: http.Agent;
      sessions?: undefined;
      /** The proxy's URL without credentials, when one is used. */
      proxy: string | undefined;
      /** The proxy URL's password and `user:password` (sent as Proxy-Authorization), which no error may show. */
      proxySecrets?: string[];
    }
  | { sessions: Http2SessionPool; agent?: undefined; proxy: undefined; proxySecrets?: undefined }
);

/** Releases a pool's connections (open calls on them fail); calls waiting for a slot, and later ones, fail with provider_closed. */
export function destroyPool(pool: ConnectionPool): void {
  pool.slots.close(providerClosedError());
  if (pool.sessions) pool.sessions.close();
  else pool.agent.destroy();
}

export async function createConnectionPool(settings: ConnectionPoolSettings): Promise<ConnectionPool> {
  const slots = new CallSlots(settings.maxConcurrency);
  const options = { keepAlive: true, maxSockets: settings.maxConcurrency };
  const secure = settings.endpoint.protocol === "https:";
  // The trusted roots (Node's, NODE_EXTRA_CA_CERTS) are in a context made without `ca`; with it, only `ca`.
  const secureContext = secure ? tls.createSecureContext(settings.ca ? { ca: settings.ca } : {}) : undefined;
  const proxy = getProxyForUrl(settings.endpoint.href);
  // As `ca` did before: the context also applies to an https:// proxy (https-proxy-agent's own connection).
  if (proxy) {
    // Imported only when a proxy applies: https-proxy-agent and its dependencies are ~13 ms of an import (bench:cold-start).
    const { TunnelAgent } = await import("./proxy-tunnel-agent.js");
    const agent = new TunnelAgent(proxy, { ...options, secureContext }, secureContext, settings.connectTimeoutMs);
    return { slots, agent, proxy: withoutCredentials(proxy), proxySecrets: credentialsOf(proxy) };
  }
  if (settings.http2) {
    const sessions = new Http2SessionPool({ endpoint: settings.endpoint, ca: settings.ca, connectTimeoutMs: settings.connectTimeoutMs });
    return { slots, sessions, proxy: undefined };
  }
  const agent = secure ? new PacedHttpsAgent({ ...options, secureContext, maxHandshakes: MAX_HANDSHAKES }) : new http.Agent(options);
  return { slots, agent, proxy: undefined };
}

/** A proxy that refuses the tunnel answers in its place (https-proxy-agent passes its response on): it may echo them. */
function credentialsOf(proxy: string): string[] {
  try {
    const url = new URL(proxy);
    const user = decodeURIComponent(url.username);
    const password = decodeURIComponent(url.password);
    return password === "" ? [] : [`${user}:${password}`, password];
  } catch {
    return [];
  }
}

function withoutCredentials(proxy: string): string {
  try {
    const url = new URL(proxy);
    url.username = "";
    url.password = "";
    return url.href;
  } catch {
    return "(unparsable proxy URL)";
  }
}
