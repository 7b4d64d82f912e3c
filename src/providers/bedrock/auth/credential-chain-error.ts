/**
 * The AWS SDK's default credential chain failing ("Could not load credentials from any providers", "Profile
 * dev could not be found ...") becomes a ConfigError that says what was tried, for which profile, and how to
 * fix it. It names environment variables and files, never their values.
 */
import { homedir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "../../../schema/errors.js";
import { scrub } from "../errors/scrub-secrets.js";

const ENV_SECRETS = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_BEARER_TOKEN_BEDROCK"];

/** `secrets`: known credential values, removed (with the environment's) from the SDK's message, which may quote a credential_process's output. */
export function credentialChainError(
  thrown: unknown,
  configProfile: string | undefined,
  secrets: readonly string[] = [],
  env: NodeJS.ProcessEnv = process.env,
): ConfigError | undefined {
  if (!(thrown instanceof Error) || thrown.name !== "CredentialsProviderError") return undefined;
  const profile = configProfile ?? nonEmpty(env["AWS_PROFILE"]) ?? "default";
  const source = configProfile ? "the config's `profile`" : nonEmpty(env["AWS_PROFILE"]) ? "AWS_PROFILE" : "no profile set, so the default one";
  const credentialsFile = nonEmpty(env["AWS_SHARED_CREDENTIALS_FILE"]) ?? join(homedir(), ".aws", "credentials");
  const configFile = nonEmpty(env["AWS_CONFIG_FILE"]) ?? join(homedir(), ".aws", "config");
  const envSecrets = ENV_SECRETS.map((name) => env[name]).filter((value): value is string => typeof value === "string");
  const sdkSaid = scrub(sdkMessage(thrown.message), [...secrets, ...envSecrets]).replace(/\s+/g, " ").slice(0, 300);
  return new ConfigError(
    `No AWS credentials were found for Bedrock (the AWS SDK said: ${sdkSaid}). ` +
      "The config has no access_key_id/secret_access_key or api_key, and AWS_BEARER_TOKEN_BEDROCK is not set, so the default " +
      `credential chain was tried for profile "${profile}" (${source}): the environment variables AWS_ACCESS_KEY_ID and ` +
      `AWS_SECRET_ACCESS_KEY, then ${credentialsFile} and ${configFile} (static keys, SSO, credential_process, role), ` +
      "a web identity token file, and the container and instance metadata endpoints. Fix it with one of: " +
      "export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary keys); " +
      `\`aws sso login --profile ${profile}\` if it is an SSO profile, or \`aws configure --profile ${profile}\`; ` +
      "set `profile:` in the model config to a profile that has credentials; or set access_key_id and secret_access_key " +
      "(e.g. \"${AWS_ACCESS_KEY_ID}\") or api_key (a Bedrock API key) in the model config.",
  );
}

/**
 * A failed credential_process reaches here as exec's "Command failed: <command line>\n<its stderr>": either may
 * hold a secret no one told us about (a token in an argument, what the helper printed), so neither is quoted.
 */
function sdkMessage(message: string): string {
  if (!message.startsWith("Command failed:")) return message;
  return "the profile's credential_process exited with an error; its command line and output are not shown here (run it yourself to see them)";
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
