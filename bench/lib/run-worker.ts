/** Forks one worker process for one job, relays its progress and returns its result. */
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { Job, LoadResult, ScaleResult, WorkerMessage } from "./job.js";

const WORKER_SOURCE = fileURLToPath(new URL("./worker.ts", import.meta.url));

/** Which worker file to fork: the compiled one (plain node) or the TypeScript source (through tsx). */
export interface WorkerEntry {
  file: string;
  compiled: boolean;
}

export const SOURCE_WORKER: WorkerEntry = { file: WORKER_SOURCE, compiled: false };

export interface WorkerFailure {
  kind: "failed";
  clientId: string;
  message: string;
}

/** The environment of a client process: no AWS settings from this shell, no metadata service, the emulator CA. */
export function clientEnvironment(caFile: string | undefined, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(AWS_|HTTPS?_PROXY|NO_PROXY)/i.test(key)) continue;
    env[key] = value;
  }
  env.AWS_EC2_METADATA_DISABLED = "true";
  if (caFile) env.NODE_EXTRA_CA_CERTS = caFile;
  return { ...env, ...extra };
}

export function runWorker(
  job: Job,
  caFile: string | undefined,
  timeoutMs: number,
  onProgress: (message: Extract<WorkerMessage, { type: "progress" }>) => void,
  entry: WorkerEntry = SOURCE_WORKER,
): Promise<LoadResult | ScaleResult | WorkerFailure> {
  return new Promise((resolve) => {
    const child = fork(entry.file, [], {
      execArgv: [...(entry.compiled ? [] : ["--import", "tsx"]), "--expose-gc"],
      env: clientEnvironment(caFile, { BENCH_JOB: JSON.stringify(job) }),
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    let output = "";
    const keep = (data: Buffer) => {
      output = (output + data.toString("utf8")).slice(-2000);
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    let settled: LoadResult | ScaleResult | WorkerFailure | null = null;
    const timer = setTimeout(() => {
      settled ??= { kind: "failed", clientId: job.clientId, message: `timed out after ${timeoutMs / 1000}s` };
      child.kill("SIGKILL");
    }, timeoutMs);
    child.on("message", (message: WorkerMessage) => {
      if (message.type === "progress") onProgress(message);
      else if (message.type === "result") settled ??= message.result;
      else settled ??= { kind: "failed", clientId: job.clientId, message: message.message };
    });
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      const tail = output.trim().split("\n").slice(-3).join(" | ");
      resolve(
        settled ?? {
          kind: "failed",
          clientId: job.clientId,
          message: `worker exited (${signal ?? code}) without a result${tail ? `: ${tail}` : ""}`,
        },
      );
    });
  });
}
