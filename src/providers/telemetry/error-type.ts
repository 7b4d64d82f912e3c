/** `error.type`: the AWS error name for service errors (ThrottlingException ...), else the error's class name. */
import { BedrockServiceError } from "../../schema/errors.js";

export function errorType(error: unknown): string {
  if (error instanceof BedrockServiceError) return error.awsName;
  if (error instanceof Error && error.name) return error.name;
  return "_OTHER";
}
