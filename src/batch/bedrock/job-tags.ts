/**
 * The tags given to a batch job, checked against the service model's TagList before anything is sent: at most
 * 200, each key 1-128 and each value 0-256 characters of letters, digits, spaces and . _ : / = + @ -.
 */
import { BedrockBatchError } from "./bedrock-batch-errors.js";

export interface JobTag {
  key: string;
  value: string;
}

const TAG_TEXT = /^[a-zA-Z0-9\s._:/=+@-]*$/;
export const MAX_JOB_TAGS = 200;

export function jobTags(tags: Readonly<Record<string, string>>): JobTag[] {
  const entries = Object.entries(tags);
  if (entries.length > MAX_JOB_TAGS) throw new BedrockBatchError(`A batch job takes at most ${MAX_JOB_TAGS} tags; ${entries.length} were given.`);
  return entries.map(([key, value]) => {
    if (key.length < 1 || key.length > 128 || !TAG_TEXT.test(key)) {
      throw new BedrockBatchError(`Tag key ${JSON.stringify(key.slice(0, 200))} is not one Bedrock accepts: use 1 to 128 letters, digits, spaces and . _ : / = + @ -.`);
    }
    if (typeof value !== "string" || value.length > 256 || !TAG_TEXT.test(value)) {
      throw new BedrockBatchError(`The value of tag ${JSON.stringify(key)} is not one Bedrock accepts: use up to 256 letters, digits, spaces and . _ : / = + @ -.`);
    }
    return { key, value };
  });
}
