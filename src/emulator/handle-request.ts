import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { STREAMING_OPERATIONS, type AnswerPlan, type EmulatorRequest, type ErrorPlan, type Plan, type PlanRequest } from "./answer-plan.js";
import { sleep, waitForAbort } from "./abortable-wait.js";
import { anthropicStreamFrames } from "./anthropic-stream-frames.js";
import { redactHeaders, type RequestAuthenticator } from "./authenticate-request.js";
import { converseStreamFrames } from "./converse-stream-frames.js";
import type { MetricsRecorder } from "./emulator-metrics.js";
import { invokeKnobEchoHeaders } from "./echo-request-knobs.js";
import { exceptionAsErrorPlan } from "./exception-as-error.js";
import { parseJsonBody, readRequestBody } from "./read-request-body.js";
import type { RecordedRequest } from "./recorded-request.js";
import { renderConverse, renderCountTokens, renderInvokeModel, type RenderedJson } from "./render-json-answer.js";
import { renderModelJson } from "./render-model-json.js";
import { routeRequest } from "./route-request.js";
import type { BatchJobStore } from "./batch/batch-job-store.js";
import { routeControlPlane, type ControlPlaneRoute } from "./batch/control-plane-route.js";
import { answerControlPlane } from "./batch/handle-control-plane.js";
import { sendError, WireError } from "./send-error.js";
import type { StreamClock } from "./stream-frame.js";
import { writeEventStream } from "./write-event-stream.js";
import type { WireExchange } from "./wire-exchange.js";

export interface HandlerContext {
  metrics: MetricsRecorder;
  authenticator: RequestAuthenticator;
  planner: PlanRequest;
  maxBodyBytes: number;
  recordRequests: boolean;
  recorded: RecordedRequest[];
  /** Aborted by close(): ends every stall, delay and stream. */
  active: Set<AbortController>;
  /** The control-plane batch jobs. */
  batchJobs?: BatchJobStore;
}

interface Exchange {
  wire: WireExchange;
  requestId: string;
  started: number;
  signal: AbortSignal;
}

/** Serves one request end to end; never throws. */
export async function handleExchange(context: HandlerContext, wire: WireExchange): Promise<void> {
  context.metrics.requests += 1;
  const controller = new AbortController();
  context.active.add(controller);
  wire.res.on("close", () => {
    controller.abort();
    context.active.delete(controller);
  });
  wire.res.on("error", () => undefined);
  wire.req.on("error", () => undefined);
  const exchange: Exchange = { wire, requestId: randomUUID(), started: performance.now(), signal: controller.signal };
  try {
    await serve(context, exchange);
  } catch (error) {
    context.metrics.errors += 1;
    if (wire.res.headersSent) {
      // Too late for an error response: cut the exchange rather than leave it hanging.
      wire.reset();
      return;
    }
    const wireError = error instanceof WireError ? error : new WireError("InternalServerException", 500, "The emulator failed to handle the request.");
    if (!wire.req.complete) wire.refuseBody();
    context.metrics.bytesOut += sendError(wire, wireError, exchange.requestId);
  }
}

async function serve(context: HandlerContext, exchange: Exchange): Promise<void> {
  const { req } = exchange.wire;
  const controlPlane = routeControlPlane(req.method ?? "", req.url ?? "");
  if (controlPlane && "error" in controlPlane) throw new WireError(controlPlane.status === 405 ? "UnknownOperationException" : "ValidationException", controlPlane.status, controlPlane.error);
  if (controlPlane) return serveControlPlane(context, exchange, controlPlane);
  const route = routeRequest(req.method ?? "", req.url ?? "");
  if (route.kind === "not_found") throw new WireError("UnknownOperationException", 404, route.message);
  if (route.kind === "method_not_allowed") throw new WireError("UnknownOperationException", 405, route.message);
  if (route.kind === "bad_path") throw new WireError("ValidationException", 400, route.message);
  context.metrics.countOperation(route.operation);

  // Authentication and the declared size are checked before the body is read: a refused upload is not buffered.
  const auth = await context.authenticator.authenticateHeaders(req, route.rawPath);
  const read = await readRequestBody(req, context.maxBodyBytes, (count) => {
    context.metrics.bytesIn += count;
  });
  if (read.kind === "aborted") return;
  if (read.kind === "too_large") throw read.error;
  await auth.checkBody(read.body);
  const authType = auth.type;
  const body = parseJsonBody(read.body);
  const headers = redactHeaders(req.headers);
  if (context.recordRequests) {
    context.recorded.push({ operation: route.operation, modelId: route.modelId, headers, body, protocol: exchange.wire.protocol, authType });
  }
  const plan = await context.planner({ operation: route.operation, modelId: route.modelId, body, headers });
  await renderPlan(context, exchange, { operation: route.operation, modelId: route.modelId, body, headers }, plan);
}

async function serveControlPlane(context: HandlerContext, exchange: Exchange, route: ControlPlaneRoute): Promise<void> {
  const { req, res } = exchange.wire;
  const auth = await context.authenticator.authenticateHeaders(req, route.rawPath);
  const read = await readRequestBody(req, context.maxBodyBytes, (count) => {
    context.metrics.bytesIn += count;
  });
  if (read.kind === "aborted") return;
  if (read.kind === "too_large") throw read.error;
  await auth.checkBody(read.body);
  const answer = await answerControlPlane(context.batchJobs, route, read.body);
  if (exchange.wire.closed) return;
  const body = Buffer.from(JSON.stringify(answer));
  res.writeHead(200, { "content-type": "application/json", "content-length": body.length, "x-amzn-requestid": exchange.requestId });
  res.end(body);
  context.metrics.bytesOut += body.length;
}

async function renderPlan(context: HandlerContext, exchange: Exchange, request: EmulatorRequest, plan: Plan): Promise<void> {
  const { operation } = request;
  if (plan.kind === "connection_fault") {
    context.metrics.errors += 1;
    if (plan.type === "reset") exchange.wire.reset();
    else await waitForAbort(exchange.signal);
    return;
  }
  if (plan.kind === "error") return renderError(context, exchange, plan);
  if (plan.kind === "json") {
    if (!(await sleep(plan.timing.firstByteLatencyMs, exchange.signal)) || exchange.wire.closed) return;
    context.metrics.bytesOut += await renderModelJson(exchange.wire.res, plan, exchange.requestId, Math.round(performance.now() - exchange.started));
    return;
  }
  if (!(await sleep(plan.timing.firstByteLatencyMs, exchange.signal))) return;
  if (STREAMING_OPERATIONS.has(operation)) return renderStream(context, exchange, request, plan);
  if (plan.fault && plan.fault.type !== "corrupt_frame" && plan.fault.type !== "truncate") {
    if (plan.fault.type === "exception") return renderError(context, exchange, exceptionAsErrorPlan(plan.fault));
    return renderPlan(context, exchange, request, { kind: "connection_fault", type: plan.fault.type });
  }
  const latency = Math.round(performance.now() - exchange.started);
  const rendered = renderJson(request, plan, latency);
  const { res } = exchange.wire;
  if (exchange.wire.closed) return;
  res.writeHead(200, { ...rendered.headers, "content-length": rendered.body.length, "x-amzn-requestid": exchange.requestId });
  res.end(rendered.body);
  context.metrics.bytesOut += rendered.body.length;
  if (request.operation !== "CountTokens") context.metrics.addUsageSent(plan.usage);
}

function renderJson(request: EmulatorRequest, plan: AnswerPlan, latency: number): RenderedJson {
  if (request.operation === "InvokeModel") return renderInvokeModel(plan, request.modelId, latency, request.headers);
  if (request.operation === "Converse") return renderConverse(plan, request.body, latency);
  return renderCountTokens(plan);
}

async function renderError(context: HandlerContext, exchange: Exchange, plan: ErrorPlan): Promise<void> {
  if (!(await sleep(plan.timing?.firstByteLatencyMs ?? 0, exchange.signal))) return;
  context.metrics.errors += 1;
  const error = new WireError(plan.name, plan.status, plan.message, plan.retryAfterSeconds);
  context.metrics.bytesOut += sendError(exchange.wire, error, exchange.requestId);
}

async function renderStream(context: HandlerContext, exchange: Exchange, request: EmulatorRequest, plan: AnswerPlan): Promise<void> {
  const { wire } = exchange;
  const { operation } = request;
  if (wire.closed) return;
  const headers: Record<string, string> = { "content-type": "application/vnd.amazon.eventstream", "x-amzn-requestid": exchange.requestId };
  if (operation === "InvokeModelWithResponseStream") Object.assign(headers, { "x-amzn-bedrock-content-type": "application/json" }, invokeKnobEchoHeaders(request.headers));
  wire.res.writeHead(200, headers);
  const firstByte = Math.round(performance.now() - exchange.started);
  const clock: StreamClock = {
    firstByteLatencyMs: () => firstByte,
    invocationLatencyMs: () => Math.round(performance.now() - exchange.started),
  };
  const endStream = context.metrics.startStream();
  wire.res.on("close", endStream);
  try {
    const frames =
      operation === "ConverseStream" ? converseStreamFrames(plan, request.body, clock) : anthropicStreamFrames(plan, request.modelId, request.headers, clock);
    const outcome = await writeEventStream(wire, frames, plan, exchange.signal, (increase) => context.metrics.addUsageSent(increase));
    context.metrics.bytesOut += outcome.bytesOut;
    if (outcome.faulted) context.metrics.errors += 1;
  } finally {
    if (wire.closed) endStream();
  }
}
