import type { ErrorName, ErrorPlan, StreamFault } from "./answer-plan.js";

const AS_ERROR: Record<string, { name: ErrorName; status: number }> = {
  internalServerException: { name: "InternalServerException", status: 500 },
  modelStreamErrorException: { name: "ModelErrorException", status: 424 },
  validationException: { name: "ValidationException", status: 400 },
  throttlingException: { name: "ThrottlingException", status: 429 },
  modelTimeoutException: { name: "ModelTimeoutException", status: 408 },
  serviceUnavailableException: { name: "ServiceUnavailableException", status: 503 },
};

/** A mid-stream exception fault planned for a non-streaming operation becomes the matching HTTP error. */
export function exceptionAsErrorPlan(fault: Extract<StreamFault, { type: "exception" }>): ErrorPlan {
  const mapped = AS_ERROR[fault.name] ?? { name: "InternalServerException" as const, status: 500 };
  return { kind: "error", name: mapped.name, status: mapped.status, message: fault.message };
}
