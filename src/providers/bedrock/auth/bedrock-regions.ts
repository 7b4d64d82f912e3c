/**
 * Regions where the Bedrock Runtime API is offered (late 2026). A region outside this list fails before any
 * network call with a ConfigError, instead of a DNS or connection error later. The list can lag behind AWS:
 * an explicit `endpoint` skips the check, so a newly launched region works by naming its endpoint.
 */
import { ConfigError } from "../../../schema/errors.js";

export const BEDROCK_REGIONS: ReadonlySet<string> = new Set([
  "us-east-1", "us-east-2", "us-west-1", "us-west-2", "us-gov-east-1", "us-gov-west-1",
  "ca-central-1", "ca-west-1", "mx-central-1", "sa-east-1",
  "eu-central-1", "eu-central-2", "eu-west-1", "eu-west-2", "eu-west-3", "eu-north-1", "eu-south-1", "eu-south-2",
  "il-central-1", "me-central-1", "me-south-1", "af-south-1",
  "ap-east-1", "ap-east-2", "ap-south-1", "ap-south-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
  "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-7",
]);

export function assertBedrockRegion(region: string, endpoint: string | undefined): void {
  if (endpoint || BEDROCK_REGIONS.has(region)) return;
  throw new ConfigError(
    `Bedrock is not offered in region "${region}". Use a Bedrock region such as us-east-1, us-west-2, eu-central-1 or ap-northeast-1` +
      ` (set region, AWS_REGION or AWS_DEFAULT_REGION). If AWS has launched Bedrock there since, set endpoint to https://bedrock-runtime.${region}.${dnsSuffixOf(region)}.`,
  );
}

/** AWS's DNS suffix for a region: China's partition has its own. */
function dnsSuffixOf(region: string): string {
  return region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
}
