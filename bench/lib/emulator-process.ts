/** Starts the emulator in a child process and hands back its URL, CA file and a way to read its counters. */
import { fork, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ServerTimings } from "./server-timestamps.js";

export interface EmulatorKnobs {
  tls: boolean;
  firstByteLatencyMs: number;
  chunkDelayMs: number;
  chunksPerAnswer: number;
}

export interface EmulatorStats {
  requests: number;
  errors: number;
  streamsInFlight: number;
  cpuUs: number;
  rssMB: number;
  /** The emulator's own durations for the requests served since the previous stats() call. */
  timings: ServerTimings;
}

export interface EmulatorProcess {
  url: string;
  ca?: string;
  /** A file holding the CA, for NODE_EXTRA_CA_CERTS in the client processes (undefined over plain HTTP). */
  caFile?: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  stats(): Promise<EmulatorStats>;
  close(): Promise<void>;
}

const CHILD = fileURLToPath(new URL("./emulator-child.ts", import.meta.url));

/** Starts the emulator; `compiledChild` is the tsc-built emulator-child.js (else the source runs through tsx). */
export async function startEmulatorProcess(knobs: EmulatorKnobs, compiledChild?: string): Promise<EmulatorProcess> {
  const child = fork(compiledChild ?? CHILD, [], {
    execArgv: compiledChild ? [] : ["--import", "tsx"],
    env: { ...process.env, BENCH_EMULATOR: JSON.stringify(knobs) },
    stdio: ["ignore", "pipe", "inherit", "ipc"],
  });
  const first = await firstLine(child);
  const info = JSON.parse(first) as Pick<EmulatorProcess, "url" | "ca" | "credentials">;
  const dir = mkdtempSync(join(tmpdir(), "minion-bench-"));
  let caFile: string | undefined;
  if (info.ca) {
    caFile = join(dir, "emulator-ca.pem");
    writeFileSync(caFile, info.ca);
  }
  return {
    ...info,
    caFile,
    stats: () => request(child),
    close: async () => {
      if (child.connected) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.send({ type: "close" });
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3000).unref())]);
      }
      if (child.exitCode === null) child.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = "";
    const onData = (data: Buffer) => {
      buffered += data.toString("utf8");
      const newline = buffered.indexOf("\n");
      if (newline >= 0) {
        child.stdout?.off("data", onData);
        child.stdout?.resume();
        resolve(buffered.slice(0, newline));
      }
    };
    child.stdout?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`the emulator process exited (code ${code}) before printing its URL`)));
  });
}

function request(child: ChildProcess): Promise<EmulatorStats> {
  return new Promise((resolve) => {
    const onMessage = (message: { type: string } & EmulatorStats) => {
      if (message.type !== "stats") return;
      child.off("message", onMessage);
      resolve(message);
    };
    child.on("message", onMessage);
    child.send({ type: "stats" });
  });
}
