/**
 * CreateModelInvocationJob's request checks, with the constraints of the service model
 * (reference/aws-models/bedrock-2023-04-20.json) and Bedrock's message style:
 * "1 validation error detected: Value 'x' at 'roleArn' failed to satisfy constraint: ...".
 */
import { WireError } from "../send-error.js";

export interface CreateJobRequest {
  jobName: string;
  roleArn: string;
  clientRequestToken?: string;
  modelId: string;
  inputUri: string;
  outputUri: string;
  timeoutDurationInHours?: number;
  modelInvocationType: "InvokeModel" | "Converse";
  tags?: JobTag[];
}

export interface JobTag {
  key: string;
  value: string;
}

export const JOB_NAME = /^[a-zA-Z0-9]{1,63}(-*[a-zA-Z0-9+\-.]){0,63}$/;
const ROLE_ARN = /^arn:aws(-[^:]+)?:iam::([0-9]{12})?:role\/.+$/;
const TOKEN = /^[a-zA-Z0-9]{1,256}(-*[a-zA-Z0-9]){0,256}$/;
const MODEL_ID = /^(arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{0,12}:[a-z-]+\/.+|[a-zA-Z0-9.:_-]{1,2048})$/;
const TAG_TEXT = /^[a-zA-Z0-9\s._:/=+@-]*$/;
const MAX_TAGS = 200;
const S3_URI = /^s3:\/\/[a-z0-9][-.a-z0-9]{1,61}[a-z0-9](?:\/[-!_*'().a-z0-9A-Z]+(?:\/[-!_*'().a-z0-9A-Z]+)*)?\/?$/;

export function validateCreateJob(body: unknown): CreateJobRequest {
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw validation("Malformed input request: the body must be a JSON object.");
  const b = body as Record<string, unknown>;
  const problems: string[] = [];
  const jobName = stringField(b, "jobName", JOB_NAME, 63, problems);
  const roleArn = stringField(b, "roleArn", ROLE_ARN, 2048, problems);
  const modelId = stringField(b, "modelId", MODEL_ID, 2048, problems);
  const clientRequestToken = b["clientRequestToken"] === undefined ? undefined : stringField(b, "clientRequestToken", TOKEN, 256, problems);
  const inputUri = s3Uri(b, "inputDataConfig", "s3InputDataConfig", problems);
  const outputUri = s3Uri(b, "outputDataConfig", "s3OutputDataConfig", problems);
  const timeout = b["timeoutDurationInHours"];
  if (timeout !== undefined && !(Number.isInteger(timeout) && (timeout as number) >= 24 && (timeout as number) <= 168)) {
    problems.push(`Value '${String(timeout).slice(0, 40)}' at 'timeoutDurationInHours' failed to satisfy constraint: Member must have value between 24 and 168`);
  }
  const type = b["modelInvocationType"] ?? "InvokeModel";
  if (type !== "InvokeModel" && type !== "Converse") problems.push(`Value '${String(type).slice(0, 40)}' at 'modelInvocationType' failed to satisfy constraint: Member must satisfy enum value set: [InvokeModel, Converse]`);
  const tags = b["tags"] === undefined ? undefined : tagList(b["tags"], problems);
  if (problems.length > 0) throw validation(`${problems.length} validation error${problems.length > 1 ? "s" : ""} detected: ${problems.join("; ")}`);
  return {
    jobName: jobName!,
    roleArn: roleArn!,
    modelId: modelId!,
    inputUri: inputUri!,
    outputUri: outputUri!,
    modelInvocationType: type as "InvokeModel" | "Converse",
    ...(clientRequestToken ? { clientRequestToken } : {}),
    ...(typeof timeout === "number" ? { timeoutDurationInHours: timeout } : {}),
    ...(tags ? { tags } : {}),
  };
}

/** TagList: at most 200 tags, each a key of 1-128 and a value of 0-256 characters from TagKey's pattern. */
function tagList(value: unknown, problems: string[]): JobTag[] | undefined {
  if (!Array.isArray(value)) {
    problems.push(`Value '${shown(value)}' at 'tags' failed to satisfy constraint: Member must be a list of tags`);
    return undefined;
  }
  if (value.length > MAX_TAGS) {
    problems.push(`Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to ${MAX_TAGS}`);
    return undefined;
  }
  const tags: JobTag[] = [];
  value.forEach((tag: unknown, index) => {
    const at = `tags.${index + 1}.member`;
    const fields = tag !== null && typeof tag === "object" ? (tag as Record<string, unknown>) : {};
    const key = tagText(fields["key"], `${at}.key`, 1, 128, problems);
    const text = tagText(fields["value"], `${at}.value`, 0, 256, problems);
    if (key !== undefined && text !== undefined) tags.push({ key, value: text });
  });
  return tags;
}

function tagText(value: unknown, at: string, min: number, max: number, problems: string[]): string | undefined {
  if (value === undefined || value === null) {
    problems.push(`Value null at '${at}' failed to satisfy constraint: Member must not be null`);
    return undefined;
  }
  if (typeof value !== "string" || value.length < min || value.length > max) {
    problems.push(`Value '${shown(value)}' at '${at}' failed to satisfy constraint: Member must have length between ${min} and ${max}`);
    return undefined;
  }
  if (!TAG_TEXT.test(value)) {
    problems.push(`Value '${shown(value)}' at '${at}' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9\\s._:/=+@-]*`);
    return undefined;
  }
  return value;
}

function stringField(body: Record<string, unknown>, name: string, pattern: RegExp, max: number, problems: string[]): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) {
    problems.push(`Value null at '${name}' failed to satisfy constraint: Member must not be null`);
    return undefined;
  }
  if (typeof value !== "string" || value.length > max || !pattern.test(value)) {
    problems.push(`Value '${shown(value)}' at '${name}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${pattern.source.slice(1, -1)}`);
    return undefined;
  }
  return value;
}

function s3Uri(body: Record<string, unknown>, config: string, member: string, problems: string[]): string | undefined {
  const holder = body[config];
  const inner = holder !== null && typeof holder === "object" ? (holder as Record<string, unknown>)[member] : undefined;
  if (inner === null || typeof inner !== "object") {
    problems.push(`Value null at '${config}.${member}' failed to satisfy constraint: Member must not be null`);
    return undefined;
  }
  const found: string[] = [];
  const uri = stringField(inner as Record<string, unknown>, "s3Uri", S3_URI, 1024, found);
  problems.push(...found.map((problem) => problem.replace("at 's3Uri'", `at '${config}.${member}.s3Uri'`)));
  return uri;
}

function shown(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value) ?? String(value);
  return text.length > 100 ? `${text.slice(0, 100)}...` : text;
}

export function validation(message: string): WireError {
  return new WireError("ValidationException", 400, message);
}
