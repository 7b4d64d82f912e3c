/** The streams and environment a CLI command uses (the real process by default; tests may pass others). */
import { homedir } from "node:os";

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** The home directory holding the user's `~/.minion/config.yaml`. */
  home: string;
}

export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd(), home: homedir() };
}
