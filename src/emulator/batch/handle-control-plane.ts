/** Serves the control-plane batch operations once the request is routed, authenticated and read. */
import { parseJsonBody } from "../read-request-body.js";
import { WireError } from "../send-error.js";
import type { BatchJobStore } from "./batch-job-store.js";
import { describeJob } from "./batch-job.js";
import type { ControlPlaneRoute } from "./control-plane-route.js";
import { validateCreateJob } from "./validate-create-job.js";
import { validateListJobs } from "./validate-list-jobs.js";

export async function answerControlPlane(store: BatchJobStore | undefined, route: ControlPlaneRoute, body: Buffer): Promise<unknown> {
  if (!store) throw new WireError("ValidationException", 400, "Batch jobs are not enabled on this emulator.");
  switch (route.operation) {
    case "CreateModelInvocationJob":
      return store.create(validateCreateJob(parseJsonBody(body)));
    case "GetModelInvocationJob":
      return describeJob(store.get(jobIdentifier(route)));
    case "ListModelInvocationJobs":
      return store.list(validateListJobs(route.query));
    case "StopModelInvocationJob":
      store.stop(jobIdentifier(route));
      return {};
    case "ListTagsForResource":
      return { tags: store.get(resourceArn(parseJsonBody(body))).request.tags ?? [] };
  }
}

/** The emulator tags only batch jobs: resourceARN must be a job's ARN. */
function resourceArn(body: unknown): string {
  const arn = body !== null && typeof body === "object" ? (body as Record<string, unknown>)["resourceARN"] : undefined;
  if (typeof arn !== "string" || arn.length < 20 || arn.length > 1011) {
    throw new WireError("ValidationException", 400, `1 validation error detected: Value '${String(arn).slice(0, 200)}' at 'resourceARN' failed to satisfy constraint: Member must have length between 20 and 1011`);
  }
  if (!/^arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:model-invocation-job\/[a-z0-9]{12}$/.test(arn)) {
    throw new WireError("ResourceNotFoundException", 404, `The resource ${arn.slice(0, 200)} was not found: the emulator tags batch inference jobs only.`);
  }
  return arn;
}

function jobIdentifier(route: ControlPlaneRoute): string {
  const identifier = route.jobIdentifier ?? "";
  if (!/^((arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:model-invocation-job\/)?[a-z0-9]{12})$/.test(identifier)) {
    throw new WireError(
      "ValidationException",
      400,
      `1 validation error detected: Value '${identifier.slice(0, 200)}' at 'jobIdentifier' failed to satisfy constraint: Member must satisfy regular expression pattern: ((arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:model-invocation-job/)?[a-z0-9]{12})`,
    );
  }
  return identifier;
}
