/**
 * The addresses emulators listen on in this thread, on a global registry (`Symbol.for`, so any copy of
 * minion-ts in the process finds it; `globalThis` is per thread, so it holds this thread's emulators only).
 * generateSync reads it to refuse, with a clear error, a call that this thread's own emulator would have to
 * answer while the thread is blocked. An entry is removed when its server closes.
 */
import type { AddressInfo, Server } from "node:net";

export const EMULATOR_THREAD_REGISTRY = Symbol.for("minion-ts.emulator.listening-in-thread");

export interface ListeningAddress {
  host: string;
  port: number;
}

export function registerListeningInThread(server: Server): void {
  const address = server.address() as AddressInfo | null;
  if (!address) return;
  const registry = ((globalThis as Record<symbol, unknown>)[EMULATOR_THREAD_REGISTRY] ??= new Set<ListeningAddress>()) as Set<ListeningAddress>;
  const entry: ListeningAddress = { host: address.address, port: address.port };
  registry.add(entry);
  server.once("close", () => registry.delete(entry));
}
