/**
 * `@opentelemetry/api`, an optional peer dependency, loaded on first use and only once. When it is not
 * installed every telemetry entry point sees `undefined` and does nothing. The API keeps its registered
 * providers on a process-wide global, so the copy loaded here sees what the application registered, whatever
 * module format it imported the API in.
 */
import { createRequire } from "node:module";
import type * as OtelApi from "@opentelemetry/api";
import { packageVersion } from "./package-version.js";

export type OtelApiModule = typeof OtelApi;

const INSTRUMENTATION_SCOPE = "minion-ts";
let loaded: OtelApiModule | null | undefined;
let noopMeterType: unknown;

/** The API module, or undefined when it is not installed. */
export function otelApi(): OtelApiModule | undefined {
  if (loaded === undefined) {
    try {
      loaded = createRequire(import.meta.url)("@opentelemetry/api") as OtelApiModule;
    } catch {
      loaded = null;
    }
  }
  return loaded ?? undefined;
}

/**
 * The library's tracer, looked up on each use: a tracer obtained while a provider is registered stays bound to
 * that provider, so a cached one would keep sending spans to a provider the application has since replaced.
 */
export function minionTracer(api: OtelApiModule): OtelApi.Tracer {
  return api.trace.getTracer(INSTRUMENTATION_SCOPE, packageVersion());
}

/** The library's meter, or undefined while no meter provider is registered (recording would be thrown away). */
export function minionMeter(api: OtelApiModule): OtelApi.Meter | undefined {
  const meter = api.metrics.getMeter(INSTRUMENTATION_SCOPE, packageVersion());
  noopMeterType ??= api.createNoopMeter().constructor;
  return meter.constructor === noopMeterType ? undefined : meter;
}

/** Test seam: forget the loaded module (the next call loads it again). */
export function resetOtelApiForTests(module?: OtelApiModule | null): void {
  loaded = module;
  noopMeterType = undefined;
}
