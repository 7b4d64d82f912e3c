/**
 * The region calls go to: the config, then AWS_REGION, then AWS_DEFAULT_REGION, then the profile's `region`
 * in the shared AWS config files, then "us-east-1".
 */
import { ConfigError } from "../../../schema/errors.js";
import type { CredentialFields } from "./resolve-auth.js";

export const DEFAULT_REGION = "us-east-1";

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

/**
 * The region of the AWS profile in the shared config files (`~/.aws/config`, `~/.aws/credentials`, or the
 * files named by AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE), read with the AWS SDK's own loader. The
 * profile is the config's `profile`, else AWS_PROFILE, else "default". Unlike the SDK's region default, it
 * never asks the instance metadata service.
 */
export async function sharedConfigRegion(profile: string | undefined): Promise<string | undefined> {
  const { loadConfig, NODE_REGION_CONFIG_FILE_OPTIONS, REGION_INI_NAME } = await import("@smithy/core/config");
  const load = loadConfig<string | undefined>(
    {
      environmentVariableSelector: () => undefined,
      configFileSelector: (section) => section[REGION_INI_NAME]?.trim() || undefined,
      default: () => undefined,
    },
    { ...NODE_REGION_CONFIG_FILE_OPTIONS, ignoreCache: true, ...(profile ? { profile } : {}) },
  );
  return load();
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = typeof value === "string" ? value.trim() : undefined;
  return trimmed ? trimmed : undefined;
}
