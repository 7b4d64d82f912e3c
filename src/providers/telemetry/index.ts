export { ProviderTelemetry, type ProviderTelemetryInit } from "./provider-telemetry.js";
export { traceCall, traceStream, completionOutcome } from "./trace-call.js";
export { SEMCONV_VERSION } from "./gen-ai-conventions.js";
export type { TelemetryHooks, TelemetryCall, TelemetryResponse, TelemetryError, TelemetryUsage, TelemetryUsageEvent, RequestParameters } from "./telemetry-hooks.js";
