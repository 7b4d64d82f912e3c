/** The Bedrock control-plane batch operations (and ListTagsForResource for jobs), on their REST paths (bedrock-2023-04-20, restJson1). */
export type ControlPlaneOperation = "CreateModelInvocationJob" | "GetModelInvocationJob" | "ListModelInvocationJobs" | "StopModelInvocationJob" | "ListTagsForResource";

export interface ControlPlaneRoute {
  operation: ControlPlaneOperation;
  /** The {jobIdentifier} path label, decoded. */
  jobIdentifier?: string;
  query: URLSearchParams;
  rawPath: string;
}

const JOB_PATH = /^\/model-invocation-job\/([^/]+)(\/stop)?$/;

/** The control-plane operation a request names, or undefined when the path is not one of them. */
export function routeControlPlane(method: string, url: string): ControlPlaneRoute | { error: string; status: number } | undefined {
  const queryStart = url.indexOf("?");
  const rawPath = queryStart === -1 ? url : url.slice(0, queryStart);
  const query = new URLSearchParams(queryStart === -1 ? "" : url.slice(queryStart + 1));
  if (rawPath === "/model-invocation-job") return expect(method, "POST", { operation: "CreateModelInvocationJob", query, rawPath });
  if (rawPath === "/model-invocation-jobs") return expect(method, "GET", { operation: "ListModelInvocationJobs", query, rawPath });
  if (rawPath === "/listTagsForResource") return expect(method, "POST", { operation: "ListTagsForResource", query, rawPath });
  const match = JOB_PATH.exec(rawPath);
  if (!match) return undefined;
  let jobIdentifier: string;
  try {
    jobIdentifier = decodeURIComponent(match[1]!);
  } catch {
    return { error: "The job identifier in the path is not valid percent-encoding.", status: 400 };
  }
  if (match[2]) return expect(method, "POST", { operation: "StopModelInvocationJob", jobIdentifier, query, rawPath });
  return expect(method, "GET", { operation: "GetModelInvocationJob", jobIdentifier, query, rawPath });
}

function expect(method: string, wanted: string, route: ControlPlaneRoute): ControlPlaneRoute | { error: string; status: number } {
  if (method === wanted) return route;
  return { error: `Method ${method.slice(0, 20)} is not allowed on ${route.rawPath}; ${route.operation} uses ${wanted}.`, status: 405 };
}
