/** Checks of what the user names on the command line: the S3 location and the role ARN (patterns from the service model). */
import { BedrockBatchError } from "./bedrock-batch-errors.js";

export interface S3Location {
  bucket: string;
  /** The key prefix, without a trailing "/" ("" for the bucket's root). */
  prefix: string;
}

const BUCKET = /^[a-z0-9][-.a-z0-9]{1,61}[a-z0-9]$/;
const KEY_SEGMENT = /^[-!_*'().a-zA-Z0-9]+$/;
const ROLE_ARN = /^arn:aws(-[^:]+)?:iam::([0-9]{12})?:role\/.+$/;

export function parseS3Location(uri: string): S3Location {
  const match = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(uri);
  const bucket = match?.[1] ?? "";
  const prefix = (match?.[2] ?? "").replace(/\/+$/, "");
  if (!match || !BUCKET.test(bucket)) {
    throw new BedrockBatchError(`--s3 "${uri.slice(0, 200)}" is not an S3 location: use s3://BUCKET/PREFIX (a bucket name of 3-63 lower-case letters, digits, dots and hyphens).`);
  }
  if (prefix !== "" && !prefix.split("/").every((segment) => KEY_SEGMENT.test(segment))) {
    throw new BedrockBatchError(`--s3 prefix "${prefix.slice(0, 200)}" has characters Bedrock does not accept in an S3 URI: use letters, digits and - _ . ! * ' ( ) between slashes.`);
  }
  return { bucket, prefix };
}

export function s3Uri(location: S3Location, ...parts: string[]): string {
  return `s3://${location.bucket}/${[location.prefix, ...parts].filter((part) => part !== "").join("/")}`;
}

export function checkRoleArn(roleArn: string): void {
  if (!ROLE_ARN.test(roleArn)) {
    throw new BedrockBatchError(
      `--role-arn "${roleArn.slice(0, 200)}" is not an IAM role ARN: use arn:aws:iam::ACCOUNT_ID:role/NAME, a role Bedrock can assume that may read and write the S3 location.`,
    );
  }
}
