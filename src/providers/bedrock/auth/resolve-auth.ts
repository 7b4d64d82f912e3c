/**
 * Which credentials a call signs with, in one order (first match wins):
 *  1. `access_key_id` + `secret_access_key` (+ `session_token`) in the config — SigV4 (half a pair is an error);
 *  2. `api_key` written "ACCESS_KEY:SECRET_KEY" (minion's legacy form) — SigV4;
 *  3. `api_key` without ":" — a Bedrock API key, sent as `Authorization: Bearer <key>`;
 *  4. the environment variable AWS_BEARER_TOKEN_BEDROCK (non-empty) — bearer;
 *  5. the AWS SDK's default credential chain (env keys, profiles, SSO, roles) — SigV4.
 * Explicit config beats the environment (the AWS SDK on its own would switch to bearer whenever
 * AWS_BEARER_TOKEN_BEDROCK is set, even over explicit keys; the transport signs as resolved here).
 * The region is resolved in resolve-region.ts.
 */
import { ConfigError } from "../../../schema/errors.js";

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

export const BEARER_TOKEN_ENV = "AWS_BEARER_TOKEN_BEDROCK";

export function resolveAuth(fields: CredentialFields, env: NodeJS.ProcessEnv = process.env): BedrockAuth {
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
  const token = nonEmpty(env[BEARER_TOKEN_ENV]);
  if (token) return { kind: "bearer", token };
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

/** The secret strings of an auth, to scrub from error messages. */
export function secretsOf(fields: CredentialFields): string[] {
  return [fields.accessKeyId, fields.secretAccessKey, fields.sessionToken, fields.apiKey].filter((s): s is string => typeof s === "string" && s.length > 0);
}

/** Secret strings an auth holds that the config does not (the environment's token), to scrub from errors. */
export function authSecrets(auth: BedrockAuth): string[] {
  return auth.kind === "bearer" ? [auth.token] : [];
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = typeof value === "string" ? value.trim() : undefined;
  return trimmed ? trimmed : undefined;
}
