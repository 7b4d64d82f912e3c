/**
 * The worker and emulator processes run compiled JavaScript, as users run minion-ts (tsc output) and as the
 * peer libraries ship: under tsx, every require() goes through its resolver (the AWS SDK requires a module on
 * every event-stream response) and esbuild's __name helper wraps closures, which would bill the loader to the
 * clients. tsc compiles the two entry points and everything they import (minion-ts' src/ included) into
 * bench/out/build; it is rebuilt only when a file under src/ or bench/ is newer than the last build. Emit only
 * (--noCheck): `npm run typecheck` is what checks types.
 */
import { execFile } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const OUT = join(ROOT, "bench", "out", "build");
const ENTRIES = ["bench/lib/worker.ts", "bench/lib/embedding-worker.ts", "bench/lib/cold-start-child.ts", "bench/lib/emulator-child.ts", "src/emulator/index.ts"];

export interface BuiltEntries {
  worker: string;
  embeddingWorker: string;
  coldStartChild: string;
  emulatorChild: string;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "out" || entry.name === "node_modules") continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

export async function buildBench(): Promise<BuiltEntries> {
  const built: BuiltEntries = {
    worker: join(OUT, "bench", "lib", "worker.js"),
    embeddingWorker: join(OUT, "bench", "lib", "embedding-worker.js"),
    coldStartChild: join(OUT, "bench", "lib", "cold-start-child.js"),
    emulatorChild: join(OUT, "bench", "lib", "emulator-child.js"),
  };
  const outputs = [built.worker, built.embeddingWorker, built.coldStartChild, built.emulatorChild, join(OUT, "src", "emulator", "index.js")];
  const stamp = Math.min(...outputs.map((f) => (existsSync(f) ? statSync(f).mtimeMs : 0)));
  if (stamp >= Math.max(newestMtime(join(ROOT, "src")), newestMtime(join(ROOT, "bench")))) return built;
  const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
  const flags = ["--target", "ES2022", "--module", "NodeNext", "--moduleResolution", "NodeNext", "--esModuleInterop",
    "--skipLibCheck", "--resolveJsonModule", "--types", "node", "--noCheck", "--rootDir", ".", "--outDir", OUT];
  // What matters is that the entry points were written (tsc also emits past errors it reports).
  await promisify(execFile)(process.execPath, [tsc, ...flags, ...ENTRIES], { cwd: ROOT, maxBuffer: 1 << 24 }).catch(
    (error: { stdout?: string }) => {
      if (!outputs.every((f) => existsSync(f))) throw new Error(`could not compile the bench: ${error.stdout ?? String(error)}`);
    },
  );
  return built;
}
