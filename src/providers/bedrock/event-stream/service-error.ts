/**
 * Bedrock's error payloads as the error shape the AWS SDK throws (name, `$fault`, `$metadata`, `$response`),
 * so that map-bedrock-error.ts maps them exactly as it maps the SDK's own exceptions:
 *  - an HTTP error response: the name from `x-amzn-errortype` ("ValidationException:http://...") or the
 *    body's `__type` / `code`, the message from the JSON body;
 *  - an exception frame inside an event stream (`:exception-type` + JSON body) or an error frame
 *    (`:error-code` + `:error-message`).
 */
import type { IncomingHttpHeaders } from "node:http";
import { scrub } from "../scrub-secrets.js";

export interface ServiceErrorShape extends Error {
  $fault: "client" | "server";
  $metadata: { httpStatusCode?: number; requestId?: string };
  $response?: { statusCode: number; headers: Record<string, string | undefined> };
}

export function serviceError(name: string, message: string, status: number | undefined, extra: Partial<ServiceErrorShape> = {}): ServiceErrorShape {
  const error = new Error(message) as ServiceErrorShape;
  error.name = name;
  error.$fault = status !== undefined && status >= 500 ? "server" : "client";
  error.$metadata = status === undefined ? {} : { httpStatusCode: status };
  return Object.assign(error, extra);
}

/**
 * A non-200 response and its (already read) body. A body that is not JSON goes into the message as an
 * excerpt, with `secrets` (the request's credentials, which a proxy may echo) removed before it is cut.
 */
export function serviceErrorFromResponse(status: number, headers: IncomingHttpHeaders, body: string, secrets: readonly string[] = []): ServiceErrorShape {
  const json = parseObject(body);
  const name = errorName(headerOf(headers, "x-amzn-errortype") ?? stringField(json, "__type") ?? stringField(json, "code")) ?? "UnknownError";
  const message = stringField(json, "message") ?? stringField(json, "Message") ?? `HTTP ${status} from Bedrock${body && !json ? `: ${scrub(body, secrets).slice(0, 200)}` : ""}`;
  const requestId = headerOf(headers, "x-amzn-requestid");
  const flat: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(headers)) flat[key] = Array.isArray(value) ? value.join(", ") : value;
  return serviceError(name, message, status, {
    $metadata: { httpStatusCode: status, ...(requestId ? { requestId } : {}) },
    $response: { statusCode: status, headers: flat },
  });
}

/** An `:message-type: exception` frame. */
export function serviceErrorFromException(exceptionType: string, body: string): ServiceErrorShape {
  const json = parseObject(body);
  const error = serviceError(exceptionType, stringField(json, "message") ?? stringField(json, "Message") ?? "no message", undefined);
  const status = json?.["originalStatusCode"];
  if (typeof status === "number" && status >= 500) error.$fault = "server";
  return error;
}

/** "ValidationException:http://internal.amazon.com/..." or "com.amazon#ValidationException" -> "ValidationException". */
function errorName(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const name = raw.split(":")[0]!.split("#").pop()!.trim();
  return name || undefined;
}

function headerOf(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function parseObject(body: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function stringField(json: Record<string, unknown> | undefined, key: string): string | undefined {
  const value = json?.[key];
  return typeof value === "string" && value !== "" ? value : undefined;
}
