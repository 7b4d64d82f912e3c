/** Spawns the real CLI (src/cli/main.ts as JavaScript, see cli-entry.ts) in a temp directory with a temp HOME. */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cliEntry } from "./cli-entry.js";


export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runMinion(
  args: string[],
  options: { cwd: string; home: string; env?: Record<string, string>; stdin?: string; preload?: string[] },
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const preload = (options.preload ?? []).flatMap((file) => ["--import", file]);
    const child = spawn(process.execPath, [...preload, cliEntry(), ...args], {
      cwd: options.cwd,
      env: { PATH: process.env["PATH"] ?? "", HOME: options.home, NODE_NO_WARNINGS: "1", ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? "");
  });
}

/** A temp project (cwd) and home; files are written relative to the root. */
export function tempProject(files: Record<string, string>): { root: string; cwd: string; home: string; cleanup(): void } {
  const root = mkdtempSync(join(tmpdir(), "minion-cli-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  const cwd = join(root, "project");
  const home = join(root, "home");
  mkdirSync(cwd, { recursive: true });
  mkdirSync(home, { recursive: true });
  return { root, cwd, home, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}
