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
  }
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
