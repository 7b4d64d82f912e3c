/**
 * Credentials and region, in the order minion's guide promises:
 *  1. `access_key_id` + `secret_access_key` (+ `session_token`) from the config (half a pair is an error);
 *  2. the legacy `api_key` written as "ACCESS_KEY:SECRET_KEY";
 *  3. the AWS SDK's default chain (environment, shared config/credentials files with `profile`, SSO,
 *     container and instance roles).
 * Region: the config, then AWS_REGION, then AWS_DEFAULT_REGION, then the profile's `region` in the shared AWS
 * config files, then "us-east-1".
 * (Bedrock API keys, an `api_key` without ":", are a bearer-token scheme added on top of this.)
 */
import { ConfigError } from "../../../schema/errors.js";
import { sharedConfigRegion } from "./shared-config-region.js";

export interface CredentialFields {
  accessKeyId?: string | undefined;
  secretAccessKey?: string | undefined;
  sessionToken?: string | undefined;
  apiKey?: string | undefined;
  profile?: string | undefined;
  region?: string | undefined;
}

export interface StaticCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export type BedrockAuth =
  | { kind: "static"; source: "config" | "api_key"; credentials: StaticCredentials }
  | { kind: "bearer"; token: string }
  | { kind: "chain"; profile?: string };

export const DEFAULT_REGION = "us-east-1";

export function resolveAuth(fields: CredentialFields): BedrockAuth {
  const accessKeyId = nonEmpty(fields.accessKeyId);
  const secretAccessKey = nonEmpty(fields.secretAccessKey);
  const sessionToken = nonEmpty(fields.sessionToken);
  if (accessKeyId || secretAccessKey) {
    if (!accessKeyId || !secretAccessKey) {
      const missing = accessKeyId ? "secret_access_key" : "access_key_id";
      throw new ConfigError(`Only half of an AWS key pair is configured: ${missing} is missing. Set both access_key_id and secret_access_key, or neither to use the default AWS credential chain.`);
    }
    return { kind: "static", source: "config", credentials: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) } };
  }
  if (sessionToken) throw new ConfigError("session_token is set without access_key_id and secret_access_key; set all three, or none.");
  const apiKey = nonEmpty(fields.apiKey);
  if (apiKey) return authFromApiKey(apiKey);
  const profile = nonEmpty(fields.profile);
  return profile ? { kind: "chain", profile } : { kind: "chain" };
}

/** "ACCESS:SECRET" is minion's legacy key pair; anything else is a Bedrock API key (bearer token). */
function authFromApiKey(apiKey: string): BedrockAuth {
  const colon = apiKey.indexOf(":");
  if (colon === -1) return { kind: "bearer", token: apiKey };
  const accessKeyId = apiKey.slice(0, colon).trim();
  const secretAccessKey = apiKey.slice(colon + 1).trim();
  if (!accessKeyId || !secretAccessKey) {
    throw new ConfigError('api_key looks like the legacy "ACCESS_KEY:SECRET_KEY" form but one half is empty; give both halves.');
  }
  return { kind: "static", source: "api_key", credentials: { accessKeyId, secretAccessKey } };
}

/** The region set by the config or the environment (undefined when neither sets one). */
export function configuredRegion(fields: CredentialFields, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const region = nonEmpty(fields.region) ?? nonEmpty(env["AWS_REGION"]) ?? nonEmpty(env["AWS_DEFAULT_REGION"]);
  return region === undefined ? undefined : checkRegionName(region, "region");
}

/** The region without reading files: the config, the environment, then us-east-1. */
export function resolveRegion(fields: CredentialFields, env: NodeJS.ProcessEnv = process.env): string {
  return configuredRegion(fields, env) ?? DEFAULT_REGION;
}

/** The full order: the config, AWS_REGION, AWS_DEFAULT_REGION, the profile's region in the shared AWS config files, us-east-1. */
export async function resolveRegionWithSharedConfig(fields: CredentialFields, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const configured = configuredRegion(fields, env);
  if (configured !== undefined) return configured;
  const fromFiles = await sharedConfigRegion(nonEmpty(fields.profile));
  return fromFiles === undefined ? DEFAULT_REGION : checkRegionName(fromFiles, "the AWS profile's region (shared config file)");
}

function checkRegionName(region: string, source: string): string {
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) {
    throw new ConfigError(`${source} "${region}" is not an AWS region name (for example us-east-1, eu-west-1).`);
  }
  return region;
}

/** The secret strings of an auth, to scrub from error messages. */
export function secretsOf(fields: CredentialFields): string[] {
  return [fields.accessKeyId, fields.secretAccessKey, fields.sessionToken, fields.apiKey].filter((s): s is string => typeof s === "string" && s.length > 0);
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = typeof value === "string" ? value.trim() : undefined;
  return trimmed ? trimmed : undefined;
}
