/**
 * ListModelInvocationJobs' query checks, with the constraints of the service model
 * (reference/aws-models/bedrock-2023-04-20.json, ListModelInvocationJobsRequest) and Bedrock's message style.
 * Every problem is reported at once, as Bedrock's "N validation errors detected: ..." does.
 */
import { JOB_STATUSES, type JobStatus } from "./batch-job.js";
import { JOB_NAME, validation } from "./validate-create-job.js";

export interface ListJobsQuery {
  statusEquals?: JobStatus;
  nameContains?: string;
  submitTimeAfter?: Date;
  submitTimeBefore?: Date;
  maxResults: number;
  /** The index of the first job of the page (decoded from nextToken). */
  start: number;
  sortOrder: "Ascending" | "Descending";
}

export const MAX_LIST_RESULTS = 1000;
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const TOKEN_PREFIX = "emulator-page-";

export function validateListJobs(query: URLSearchParams): ListJobsQuery {
  const problems: string[] = [];
  const status = query.get("statusEquals");
  if (status !== null && !(JOB_STATUSES as readonly string[]).includes(status)) {
    problems.push(`Value '${shown(status)}' at 'statusEquals' failed to satisfy constraint: Member must satisfy enum value set: [${JOB_STATUSES.join(", ")}]`);
  }
  const name = query.get("nameContains");
  if (name !== null && (name.length > 63 || !JOB_NAME.test(name))) {
    problems.push(`Value '${shown(name)}' at 'nameContains' failed to satisfy constraint: Member must satisfy regular expression pattern: ${JOB_NAME.source.slice(1, -1)}`);
  }
  const after = timestamp(query, "submitTimeAfter", problems);
  const before = timestamp(query, "submitTimeBefore", problems);
  const maxText = query.get("maxResults");
  const maxResults = maxText === null ? MAX_LIST_RESULTS : Number(maxText);
  if (maxText !== null && !(/^-?\d+$/.test(maxText) && maxResults >= 1 && maxResults <= MAX_LIST_RESULTS)) {
    problems.push(`Value '${shown(maxText)}' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and ${MAX_LIST_RESULTS}`);
  }
  const start = pageStart(query.get("nextToken"), problems);
  const sortBy = query.get("sortBy");
  if (sortBy !== null && sortBy !== "CreationTime") problems.push(`Value '${shown(sortBy)}' at 'sortBy' failed to satisfy constraint: Member must satisfy enum value set: [CreationTime]`);
  const sortOrder = query.get("sortOrder");
  if (sortOrder !== null && sortOrder !== "Ascending" && sortOrder !== "Descending") {
    problems.push(`Value '${shown(sortOrder)}' at 'sortOrder' failed to satisfy constraint: Member must satisfy enum value set: [Ascending, Descending]`);
  }
  if (problems.length > 0) throw validation(`${problems.length} validation error${problems.length > 1 ? "s" : ""} detected: ${problems.join("; ")}`);
  return {
    ...(status !== null ? { statusEquals: status as JobStatus } : {}),
    ...(name !== null ? { nameContains: name } : {}),
    ...(after ? { submitTimeAfter: after } : {}),
    ...(before ? { submitTimeBefore: before } : {}),
    maxResults,
    start,
    sortOrder: sortOrder === "Ascending" ? "Ascending" : "Descending",
  };
}

/** The nextToken of the page that starts at `start`. */
export function pageToken(start: number): string {
  return `${TOKEN_PREFIX}${start}`;
}

function pageStart(token: string | null, problems: string[]): number {
  if (token === null) return 0;
  if (token.length < 1 || token.length > 2048 || !/^\S*$/.test(token)) {
    problems.push(`Value '${shown(token)}' at 'nextToken' failed to satisfy constraint: Member must have length between 1 and 2048 and satisfy regular expression pattern: \\S*`);
    return 0;
  }
  const start = token.startsWith(TOKEN_PREFIX) && /^\d{1,9}$/.test(token.slice(TOKEN_PREFIX.length)) ? Number(token.slice(TOKEN_PREFIX.length)) : undefined;
  if (start === undefined || start < 1) {
    problems.push(`Value '${shown(token)}' at 'nextToken' failed to satisfy constraint: Member must be a nextToken returned by an earlier ListModelInvocationJobs call`);
    return 0;
  }
  return start;
}

function timestamp(query: URLSearchParams, name: string, problems: string[]): Date | undefined {
  const text = query.get(name);
  if (text === null) return undefined;
  const date = new Date(text);
  if (!ISO_8601.test(text) || Number.isNaN(date.getTime())) {
    problems.push(`Value '${shown(text)}' at '${name}' failed to satisfy constraint: Member must be a timestamp in ISO 8601 format (2024-01-31T12:00:00Z)`);
    return undefined;
  }
  return date;
}

function shown(text: string): string {
  return text.length > 100 ? `${text.slice(0, 100)}...` : text;
}
