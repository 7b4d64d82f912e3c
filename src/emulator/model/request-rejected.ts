import type { ErrorName, ErrorPlan } from "../answer-plan.js";

/** Thrown inside the model side when a request must be answered with an error; the planner turns it into a plan. */
export class RequestRejected extends Error {
  readonly plan: ErrorPlan;

  constructor(plan: ErrorPlan) {
    super(plan.message);
    this.name = "RequestRejected";
    this.plan = plan;
  }
}

export function validationError(message: string): RequestRejected {
  return new RequestRejected({ kind: "error", name: "ValidationException", status: 400, message });
}

/** Bedrock's JSON-schema style for InvokeModel bodies: "Malformed input request: #: ..., please reformat ...". */
export function malformedInput(violations: string[]): RequestRejected {
  return validationError(`Malformed input request: ${violations.join("")}, please reformat your input and try again.`);
}

/** Errors the model behind Converse reports are wrapped like this by Bedrock. */
export function modelReturnedError(message: string): RequestRejected {
  return validationError(`The model returned the following errors: ${message}`);
}

/** Coral (Smithy) constraint wording Bedrock uses for Converse request shapes. */
export function constraintError(value: unknown, path: string, constraint: string): RequestRejected {
  const shown = value === null || value === undefined ? "null" : `'${typeof value === "string" ? value : JSON.stringify(value)}'`;
  return validationError(`1 validation error detected: Value ${shown} at '${path}' failed to satisfy constraint: ${constraint}`);
}

/** Default HTTP status for each error name (Bedrock's documented status codes). */
export const ERROR_STATUS: Record<ErrorName, number> = {
  ValidationException: 400,
  AccessDeniedException: 403,
  ResourceNotFoundException: 404,
  ThrottlingException: 429,
  ServiceUnavailableException: 503,
  InternalServerException: 500,
  ModelTimeoutException: 408,
  ModelNotReadyException: 429,
  ModelErrorException: 424,
  ServiceQuotaExceededException: 400,
  UnrecognizedClientException: 403,
  InvalidSignatureException: 403,
  ExpiredTokenException: 403,
};

/** Default message for each error name, worded like Bedrock's. */
export const ERROR_MESSAGE: Record<ErrorName, string> = {
  ValidationException: "The request is invalid.",
  AccessDeniedException: "You don't have access to the model with the specified model ID.",
  ResourceNotFoundException: "Could not resolve the foundation model from the provided model identifier.",
  ThrottlingException: "Too many requests, please wait before trying again.",
  ServiceUnavailableException: "Bedrock is unable to process your request.",
  InternalServerException: "The server encountered an internal error while processing the request.",
  ModelTimeoutException: "Model has timed out in processing the request. Try your request again.",
  ModelNotReadyException: "Model is not ready to serve inference requests. The model is in the process of being loaded.",
  ModelErrorException: "The model encountered an error while processing the request.",
  ServiceQuotaExceededException: "Your request exceeds the service quota for your account.",
  UnrecognizedClientException: "The security token included in the request is invalid.",
  InvalidSignatureException: "The request signature we calculated does not match the signature you provided.",
  ExpiredTokenException: "The security token included in the request is expired",
};

export function errorPlan(name: ErrorName, message?: string, status?: number): ErrorPlan {
  return { kind: "error", name, status: status ?? ERROR_STATUS[name], message: message ?? ERROR_MESSAGE[name] };
}
