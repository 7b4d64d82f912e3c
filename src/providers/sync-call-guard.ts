/**
 * generateSync blocks its thread, so a server running on that same thread (the in-process emulator) can never
 * answer it: instead of a silent deadlock, the call is refused up front. Emulators register where they listen
 * on a per-thread global registry (src/emulator/thread-registry.ts, read here by its Symbol.for key so that
 * this layer does not import the emulator).
 */
import { InvalidRequestError } from "../schema/errors.js";

const EMULATOR_THREAD_REGISTRY = Symbol.for("minion-ts.emulator.listening-in-thread");
const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|::1|::ffff:127(?:\.\d{1,3}){3})$/i;
const ANY_ADDRESS = new Set(["0.0.0.0", "::"]);

interface ListeningAddress {
  host: string;
  port: number;
}

export function assertNotServedByThisThread(endpoint: string | undefined): void {
  if (endpoint === undefined) return;
  const registry = (globalThis as Record<symbol, unknown>)[EMULATOR_THREAD_REGISTRY];
  if (!(registry instanceof Set) || registry.size === 0) return;
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return; // the provider reports a malformed endpoint itself
  }
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
  for (const listening of registry as Set<ListeningAddress>) {
    if (listening.port === port && sameMachineAddress(listening.host, host)) {
      throw new InvalidRequestError(
        `generateSync cannot call ${url.origin}: an emulator started in this thread listens there, and generateSync blocks ` +
          "this thread, so the emulator could never answer (a deadlock). Use `await llm.generate(...)` here, or run the emulator " +
          "in another thread or process (a Worker, or `npx minion emulator`).",
      );
    }
  }
}

function sameMachineAddress(listening: string, requested: string): boolean {
  if (listening.toLowerCase() === requested.toLowerCase()) return true;
  return LOOPBACK.test(requested) && (ANY_ADDRESS.has(listening) || LOOPBACK.test(listening));
}
