/**
 * Bedrock API keys (bearer tokens) on top of minion's credential order. Precedence, first match wins:
 *  1. `access_key_id` + `secret_access_key` (+ `session_token`) in the config — SigV4;
 *  2. `api_key` written "ACCESS_KEY:SECRET_KEY" (minion's legacy form) — SigV4;
 *  3. `api_key` without ":" — a Bedrock API key, sent as `Authorization: Bearer <key>`;
 *  4. the environment variable AWS_BEARER_TOKEN_BEDROCK (non-empty) — bearer;
 *  5. the AWS SDK's default credential chain (env keys, profiles, SSO, roles) — SigV4.
 * Explicit config beats the environment (the AWS SDK on its own would switch to bearer whenever
 * AWS_BEARER_TOKEN_BEDROCK is set, even over explicit keys; the transport signs as resolved here).
 */
import { resolveAuth, type BedrockAuth, type CredentialFields } from "./resolve-credentials.js";

export const BEARER_TOKEN_ENV = "AWS_BEARER_TOKEN_BEDROCK";

export function resolveBedrockAuth(fields: CredentialFields, env: NodeJS.ProcessEnv = process.env): BedrockAuth {
  const auth = resolveAuth(fields);
  if (auth.kind !== "chain") return auth;
  const token = env[BEARER_TOKEN_ENV]?.trim();
  return token ? { kind: "bearer", token } : auth;
}

/** Secret strings an auth holds that the config does not (the environment's token), to scrub from errors. */
export function authSecrets(auth: BedrockAuth): string[] {
  return auth.kind === "bearer" ? [auth.token] : [];
}
