/**
 * The last step of the one error path. Failures are typed where they start (transport/: NetworkError,
 * TimeoutError, BedrockServiceError with its retry facts); here a service error gets the hint for what to
 * check and is marked when part of the answer was already delivered, and anything still untyped (a bug, a
 * credential provider's failure) becomes a non-retryable ProviderError with a scrubbed message and no cause
 * that could hold a secret.
 */
import { BedrockServiceError, MinionError, ProviderError } from "../../../schema/errors.js";
import { bedrockErrorHint } from "./bedrock-error-hints.js";
import { scrub } from "./scrub-secrets.js";

export interface MapErrorContext {
  /** Part of the answer was already handed to the caller. */
  midStream: boolean;
  /** Credentials to scrub from messages. */
  secrets: readonly string[];
  /** The call's model id and region, for hints. */
  modelId?: string | undefined;
  region?: string | undefined;
}

export function mapBedrockError(thrown: unknown, context: MapErrorContext): MinionError {
  if (thrown instanceof BedrockServiceError) {
    const specific = bedrockErrorHint({ name: thrown.awsName, message: thrown.message, modelId: context.modelId, region: context.region });
    const added = hint(thrown.awsName) + specific;
    // The retry layer throws the error it mapped; mapping it again must not repeat the hint.
    return thrown.withDetails({ midStream: context.midStream, ...(added !== "" && !thrown.message.endsWith(added) ? { hint: added } : {}) });
  }
  if (thrown instanceof MinionError) return thrown;
  const name = thrown instanceof Error ? thrown.name : "Error";
  const message = scrub(thrown instanceof Error ? thrown.message : String(thrown), context.secrets);
  return new ProviderError(`Bedrock call failed: ${message}`, "provider_error", false, { cause: Object.freeze({ name, message }) });
}

function hint(awsName: string): string {
  switch (awsName) {
    case "UnrecognizedClientException":
    case "InvalidSignatureException":
    case "IncompleteSignature":
    case "ExpiredTokenException":
      return " (check the AWS credentials: access_key_id / secret_access_key / session_token, api_key, profile or the environment)";
    case "AccessDeniedException":
      return " (check the IAM permissions for Bedrock and that model access is granted in this region)";
    case "ResourceNotFoundException":
      return " (check the model id and that the model is available in this region)";
    default:
      return "";
  }
}
