/** The child side of emulator-process.ts: starts one emulator and answers "metrics" and "close" over IPC. */
import { startEmulator, type Emulator } from "../../src/emulator/index.js";

let emulator: Emulator | undefined;

process.on("message", (message: { id: number; type: string; options?: Record<string, unknown> }) => {
  void handle(message).then(
    (reply) => process.send!({ id: message.id, ...reply }),
    (error: unknown) => process.send!({ id: message.id, error: String(error) }),
  );
});

async function handle(message: { type: string; options?: Record<string, unknown> }): Promise<Record<string, unknown>> {
  if (message.type === "start") {
    emulator = await startEmulator(message.options ?? {});
    return { url: emulator.url };
  }
  if (message.type === "metrics") {
    const metrics = emulator!.metrics;
    return {
      metrics: {
        requests: metrics.requests,
        streamsInFlight: metrics.streamsInFlight,
        streamsStarted: metrics.streamsStarted,
        bytesIn: metrics.bytesIn,
        bytesOut: metrics.bytesOut,
        bytesReceived: metrics.bytesReceived,
        openConnections: metrics.openConnections,
        errors: metrics.errors,
        byOperation: metrics.byOperation,
        usageSent: metrics.usageSent,
      },
    };
  }
  await emulator?.close();
  setImmediate(() => process.disconnect());
  return {};
}
