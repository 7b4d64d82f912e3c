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
