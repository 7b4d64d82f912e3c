/** Runs the CLI (in this process, or the real executable in a child: see cli-entry.ts) in a temp directory with a temp HOME. */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Writable } from "node:stream";
import { runCli } from "../../src/cli/run-cli.js";
import { EXAMPLE_CREDENTIALS } from "../../src/emulator/index.js";
import { cliEntry } from "./cli-entry.js";

/**
 * The YAML lines of one bedrock_async model (Claude 3.5 Haiku: $0.80 in, $4 out per million tokens) pointed
 * at the emulator at `url`, with the emulator's example access key id: `secret` is the secret_access_key value
 * as written, `extra` more settings.
 */
export function emulatorModelYaml(name: string, url: string, secret: string, extra: string[] = []): string[] {
  return [
    `  ${name}:`,
    "    api_type: bedrock_async",
    "    model: anthropic.claude-3-5-haiku-20241022-v1:0",
    `    endpoint: ${url}`,
    "    region: us-east-1",
    `    access_key_id: ${EXAMPLE_CREDENTIALS.accessKeyId}`,
    `    secret_access_key: ${secret}`,
    ...extra.map((line) => `    ${line}`),
  ];
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd: string;
  home: string;
  env?: Record<string, string>;
  stdin?: string;
  /** Modules the child preloads with --import (implies `spawn`). */
  preload?: string[];
  /** Run the real executable in a child process instead of `runCli` in this one. */
  spawn?: boolean;
}

/**
 * Runs `minion ARGS` as a user would, with only PATH and HOME (plus `env`) in its environment. By default it
 * calls `runCli` in this process with that environment, cwd and home (a child costs about 0.6 s of CPU to load
 * the CLI); `spawn` runs the real executable for what only a process shows: exit codes set by main.ts,
 * signals, closed pipes, preloaded modules.
 */
export function runMinion(args: string[], options: RunOptions): Promise<CliResult> {
  const env = { PATH: process.env["PATH"] ?? "", HOME: options.home, NODE_NO_WARNINGS: "1", ...options.env };
  return options.spawn || options.preload ? spawnMinion(args, options, env) : runInProcess(args, options, env);
}

async function runInProcess(args: string[], options: RunOptions, env: Record<string, string>): Promise<CliResult> {
  const stdout = collector();
  const stderr = collector();
  const stdin = new PassThrough();
  stdin.end(options.stdin ?? "");
  const code = await runCli(args, { stdout: stdout.stream, stderr: stderr.stream, stdin, env, cwd: options.cwd, home: options.home });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

function collector(): { stream: Writable; text(): string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString("utf8") };
}

function spawnMinion(args: string[], options: RunOptions, env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const preload = (options.preload ?? []).flatMap((file) => ["--import", file]);
    const child = spawn(process.execPath, [...preload, cliEntry(), ...args], { cwd: options.cwd, env, stdio: ["pipe", "pipe", "pipe"] });
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
