/**
 * What to do about the Bedrock errors new users hit most, read from the service error's message: an invalid
 * model id, and a model that is served only through a cross-region inference profile. A pure function: the
 * hint (with a leading space) or "" when there is nothing specific to say.
 */

export interface ServiceErrorFacts {
  /** The AWS error name, e.g. "ValidationException". */
  name: string;
  message: string;
  /** The model id the call sent, when known. */
  modelId?: string | undefined;
  region?: string | undefined;
}

const INVALID_MODEL_ID = /provided model identifier is invalid/i;
const NEEDS_PROFILE = /on-demand throughput isn.t supported/i;
const MODEL_IN_MESSAGE = /model ID (\S+) with on-demand/i;
const PROFILE_PREFIXES = /^(us|eu|apac|au|jp|ca|us-gov|global)\./;

/** Whether Bedrock's message says the model is served only through an inference profile. */
export function needsInferenceProfile(message: string): boolean {
  return NEEDS_PROFILE.test(message);
}

/** A cross-region inference profile id (`us.`, `eu.`, ... + base id). */
export function isInferenceProfileId(modelId: string): boolean {
  return PROFILE_PREFIXES.test(modelId);
}

export function bedrockErrorHint(facts: ServiceErrorFacts): string {
  if (INVALID_MODEL_ID.test(facts.message)) return invalidModelHint(facts);
  if (NEEDS_PROFILE.test(facts.message)) return inferenceProfileHint(facts);
  return "";
}

function invalidModelHint({ modelId, region }: ServiceErrorFacts): string {
  const where = region ? ` --region ${region}` : "";
  return (
    ` Hint: check the config's model${modelId ? ` ("${modelId}")` : ""}: it must be a Bedrock model id such as` +
    " anthropic.claude-3-5-sonnet-20240620-v1:0, an inference profile id (us.anthropic...) or an ARN." +
    ` List the ids with \`aws bedrock list-foundation-models${where}\` and \`aws bedrock list-inference-profiles${where}\`,` +
    ` and make sure model access is granted in the Bedrock console${region ? ` for ${region}` : ""}.`
  );
}

function inferenceProfileHint({ message, modelId, region }: ServiceErrorFacts): string {
  const base = (MODEL_IN_MESSAGE.exec(message)?.[1] ?? modelId ?? "").replace(/[.,;]$/, "");
  const where = region ? ` --region ${region}` : "";
  const check = ` Check which profiles exist with \`aws bedrock list-inference-profiles${where}\`.`;
  const prefixes = region ? profilePrefixesFor(region) : [];
  if (base === "" || base.startsWith("arn:") || PROFILE_PREFIXES.test(base) || prefixes.length === 0) {
    return ` Hint: this model is served through a cross-region inference profile: put the profile id (the model id with a geography prefix such as us., eu. or apac.) in the config's model.${check}`;
  }
  const [first, ...others] = prefixes.map((prefix) => `${prefix}.${base}`);
  const alternatives = others.length > 0 ? ` (or ${others.map((id) => `"${id}"`).join(", ")}, for models offered there)` : "";
  return ` Hint: this model is served in ${region} through a cross-region inference profile: set model: "${first}" in the config${alternatives}.${check}`;
}

/** The geography prefixes of the cross-region inference profiles that start in a region, the usual one first. */
export function profilePrefixesFor(region: string): string[] {
  if (region.startsWith("us-gov-")) return ["us-gov"];
  if (region.startsWith("us-")) return ["us", "global"];
  if (region.startsWith("eu-")) return ["eu", "global"];
  if (region === "ap-northeast-1" || region === "ap-northeast-3") return ["apac", "jp", "global"];
  if (region === "ap-southeast-2" || region === "ap-southeast-4") return ["apac", "au", "global"];
  if (region.startsWith("ap-")) return ["apac", "global"];
  if (region.startsWith("ca-")) return ["ca", "global"];
  return ["global"];
}
