/**
 * The Bedrock Runtime URL for a region, by the service's own endpoint rules (from its Smithy model):
 * `https://bedrock-runtime[-fips].{region}.{dnsSuffix | dualStackDnsSuffix}`, where the suffix is the region's
 * partition's (amazonaws.com, amazonaws.com.cn for China, the GovCloud and ISO partitions ...), from the AWS
 * SDK's partition table. FIPS and dual-stack are read as the SDK reads them: AWS_USE_FIPS_ENDPOINT /
 * AWS_USE_DUALSTACK_ENDPOINT, then `use_fips_endpoint` / `use_dualstack_endpoint` of the profile.
 * A configured `endpoint` (the emulator, a VPC interface endpoint, with or without a path prefix) wins.
 */
import { ConfigError } from "../../../schema/errors.js";
import { loadPackage } from "../../lazy-package.js";

export interface EndpointVariant {
  useFips: boolean;
  useDualStack: boolean;
}

export interface PartitionInfo {
  name: string;
  dnsSuffix: string;
  dualStackDnsSuffix: string;
  supportsFIPS: boolean;
  supportsDualStack: boolean;
}

/** Pure: the URL for a region's partition and the variant asked for. */
export function bedrockRuntimeUrl(region: string, partition: PartitionInfo, variant: EndpointVariant): URL {
  if (variant.useFips && !partition.supportsFIPS) throw new ConfigError(`FIPS endpoints are not offered in the ${partition.name} partition (region ${region}); unset AWS_USE_FIPS_ENDPOINT / use_fips_endpoint.`);
  if (variant.useDualStack && !partition.supportsDualStack) throw new ConfigError(`Dual-stack endpoints are not offered in the ${partition.name} partition (region ${region}); unset AWS_USE_DUALSTACK_ENDPOINT / use_dualstack_endpoint.`);
  const service = variant.useFips ? "bedrock-runtime-fips" : "bedrock-runtime";
  const suffix = variant.useDualStack ? partition.dualStackDnsSuffix : partition.dnsSuffix;
  return new URL(`https://${service}.${region}.${suffix}`);
}

/** The endpoint a provider sends to: the configured one, or the region's by the rules above. */
export async function resolveEndpoint(settings: { endpoint?: string | undefined; region: string; profile?: string | undefined }): Promise<URL> {
  if (settings.endpoint) return new URL(settings.endpoint);
  const [{ partition }, config] = await Promise.all([
    loadPackage(() => import("@aws-sdk/core/client"), "@aws-sdk/core"),
    loadPackage(() => import("@smithy/core/config"), "@smithy/core"),
  ]);
  const profile = settings.profile ? { profile: settings.profile } : {};
  const [useFips, useDualStack] = await Promise.all([
    config.loadConfig(config.NODE_USE_FIPS_ENDPOINT_CONFIG_OPTIONS, profile)(),
    config.loadConfig(config.NODE_USE_DUALSTACK_ENDPOINT_CONFIG_OPTIONS, profile)(),
  ]);
  return bedrockRuntimeUrl(settings.region, partition(settings.region), { useFips, useDualStack });
}
