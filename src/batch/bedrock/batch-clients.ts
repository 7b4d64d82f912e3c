/**
 * The two SDK clients of a Bedrock batch: S3 and the Bedrock control plane, with the library's credential
 * resolution (config keys, the legacy "KEY:SECRET" api_key, else the AWS default chain with `profile`) and
 * region, and the config's connect and idle timeouts (the runtime's defaults). The control plane goes to the config's `endpoint` when one is set (the emulator serves both
 * planes), else to the region's; S3 to `s3Endpoint` (path-style) when given. Each request is also bounded by a
 * total timeout (bounded-request.ts): the config's `timeout` when set, else REQUEST_TIMEOUT_MS for its plane.
 */
import type { LLMConfig } from "../../config/llm-config.js";
import { resolveAuth, secretsOf } from "../../providers/bedrock/auth/resolve-auth.js";
import { resolveRegionWithSharedConfig } from "../../providers/bedrock/auth/resolve-region.js";
import { DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_IDLE_TIMEOUT_MS, DEFAULT_TOTAL_TIMEOUT_MS, timeoutOption } from "../../providers/bedrock/transport/transport-timeouts.js";
import type { BedrockClient } from "@aws-sdk/client-bedrock";
import type { S3Client } from "@aws-sdk/client-s3";
import { BedrockBatchError } from "./bedrock-batch-errors.js";
import { loadCredentialProviders, type CredentialProvidersSdk } from "../../providers/bedrock/load-aws-sdk.js";
import { loadBedrockControlSdk, loadS3Sdk, type BedrockControlSdk, type S3Sdk } from "./load-batch-sdk.js";

/** Where a request goes: the Bedrock control plane or S3. */
export type BatchPlane = "controlPlane" | "s3";

/**
 * The default total timeout of one request, body included. A control-plane answer is a few hundred bytes of
 * JSON, sent at once; an S3 transfer moves an input part (up to 64 MB) or streams a .jsonl.out file, read
 * while its records are written, so it gets the runtime's total timeout.
 */
export const REQUEST_TIMEOUT_MS: Readonly<Record<BatchPlane, number>> = Object.freeze({ controlPlane: 60_000, s3: DEFAULT_TOTAL_TIMEOUT_MS });

export interface BatchClients {
  s3: S3Client;
  s3Sdk: S3Sdk;
  bedrock: BedrockClient;
  bedrockSdk: BedrockControlSdk;
  /** Strings to scrub from any error text (with the default chain: the credentials it resolved so far). */
  secrets: string[];
  /** The total timeout of one request per plane, ms (undefined: none, the config's `timeout: 0`). */
  requestTimeoutMs: Readonly<Record<BatchPlane, number | undefined>>;
  destroy(): void;
}

export interface BatchEndpoints {
  /** The control plane's endpoint; default the config's `endpoint`, else the region's. */
  bedrockEndpoint?: string | undefined;
  /** An S3-compatible endpoint (path-style addressing); default AWS S3 in the region. */
  s3Endpoint?: string | undefined;
}

export async function createBatchClients(config: LLMConfig, endpoints: BatchEndpoints): Promise<BatchClients> {
  const requestTimeoutMs = {
    controlPlane: timeoutOption("timeout", config.timeout, REQUEST_TIMEOUT_MS.controlPlane),
    s3: timeoutOption("timeout", config.timeout, REQUEST_TIMEOUT_MS.s3),
  };
  const fields = {
    accessKeyId: config.accessKeyId,
    secretAccessKey: config.secretAccessKey,
    sessionToken: config.sessionToken,
    apiKey: config.apiKey,
    profile: config.profile,
    region: config.region,
  };
  // The environment's Bedrock API key (AWS_BEARER_TOKEN_BEDROCK) cannot sign S3 requests: the batch uses the AWS chain instead.
  const auth = resolveAuth(fields, {});
  if (auth.kind === "bearer") {
    throw new BedrockBatchError("Bedrock batch needs AWS credentials (access keys, a profile or a role): a Bedrock API key cannot sign the S3 requests that upload the input.");
  }
  const region = await resolveRegionWithSharedConfig(fields);
  const [s3Sdk, bedrockSdk] = await Promise.all([loadS3Sdk(), loadBedrockControlSdk()]);
  const secrets = secretsOf(fields);
  const common = {
    region,
    credentials: auth.kind === "static" ? { ...auth.credentials } : await recordingChain(auth.profile, secrets),
    // The SDK sets no timeout: an endpoint that never answered would hold the batch forever.
    requestHandler: {
      connectionTimeout: timeoutOption("connectTimeout", config.connectTimeout, DEFAULT_CONNECT_TIMEOUT_MS),
      socketTimeout: timeoutOption("idleTimeout", config.idleTimeout, DEFAULT_IDLE_TIMEOUT_MS),
    },
  };
  const bedrockEndpoint = endpoints.bedrockEndpoint ?? config.endpoint;
  const s3 = new s3Sdk.S3Client({ ...common, ...(endpoints.s3Endpoint ? { endpoint: endpoints.s3Endpoint, forcePathStyle: true } : {}) });
  const bedrock = new bedrockSdk.BedrockClient({ ...common, ...(bedrockEndpoint ? { endpoint: bedrockEndpoint } : {}) });
  return {
    s3,
    s3Sdk,
    bedrock,
    bedrockSdk,
    secrets,
    requestTimeoutMs,
    destroy: () => {
      s3.destroy();
      bedrock.destroy();
    },
  };
}

/**
 * The SDK's default chain, whose credentials (from the environment, a profile, a role) are added to `secrets` as
 * they are resolved: a hostile endpoint may echo them, and the config's fields do not hold them.
 */
async function recordingChain(profile: string | undefined, secrets: string[]): Promise<ReturnType<CredentialProvidersSdk["fromNodeProviderChain"]>> {
  const chain = (await loadCredentialProviders()).fromNodeProviderChain(profile ? { profile } : {});
  return async () => {
    const credentials = await chain();
    for (const secret of secretsOf(credentials)) if (!secrets.includes(secret)) secrets.push(secret);
    return credentials;
  };
}
