/**
 * The emulator in its own process (so the clients and the server never share an event loop or a CPU budget).
 * Started by emulator-process.ts with the knobs in BENCH_EMULATOR; prints one JSON line {url, ca, credentials}
 * on stdout, answers "stats" messages over IPC with its metrics, its own CPU time and its own per-request
 * timestamps since the last "stats" (server-timestamps.ts), and exits on "close".
 */
import { installServerTimestamps, takeServerTimings } from "./server-timestamps.js";

interface StartedEmulator {
  url: string;
  ca?: string;
  metrics: { requests: number; errors: number; streamsInFlight: number };
  close(): Promise<void>;
}

interface EmulatorModule {
  startEmulator(options: Record<string, unknown>): Promise<StartedEmulator>;
  EXAMPLE_CREDENTIALS: { accessKeyId: string; secretAccessKey: string };
}

// The module path is a variable so the bench type-checks on its own; BENCH_EMULATOR_MODULE swaps it (dev only).
const EMULATOR_MODULE = process.env.BENCH_EMULATOR_MODULE ?? "../../src/emulator/index.js";

async function main(): Promise<void> {
  const options = JSON.parse(process.env.BENCH_EMULATOR ?? "{}") as Record<string, unknown>;
  installServerTimestamps();
  const mod = (await import(EMULATOR_MODULE)) as EmulatorModule;
  // recordRequests off: the emulator would otherwise keep every request body in memory for the whole run.
  const emulator = await mod.startEmulator({ port: 0, host: "127.0.0.1", recordRequests: false, ...options });
  process.stdout.write(`${JSON.stringify({ url: emulator.url, ca: emulator.ca, credentials: mod.EXAMPLE_CREDENTIALS })}\n`);
  process.on("message", (message: { type: string }) => {
    if (message.type === "stats") {
      const m = emulator.metrics;
      const cpu = process.cpuUsage();
      process.send?.({
        type: "stats",
        requests: m.requests,
        errors: m.errors,
        streamsInFlight: m.streamsInFlight,
        cpuUs: cpu.user + cpu.system,
        rssMB: process.memoryUsage.rss() / 1024 / 1024,
        timings: takeServerTimings(),
      });
    } else if (message.type === "close") {
      void emulator.close().finally(() => process.exit(0));
    }
  });
  process.on("disconnect", () => void emulator.close().finally(() => process.exit(0)));
}

main().catch((error: unknown) => {
  process.stderr.write(`emulator failed to start: ${(error as Error)?.stack ?? String(error)}\n`);
  process.exit(1);
});
