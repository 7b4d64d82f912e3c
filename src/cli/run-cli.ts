/** Dispatches `minion <command> ...` and turns errors into a message and exit code 1 (no stack traces). */
import { AbortError, MinionError } from "../schema/errors.js";
import { ASK_HELP, runAskCommand } from "./ask-command.js";
import { BATCH_HELP, runBatchCommand } from "./batch-command.js";
import { CHAT_HELP, runChatCommand } from "./chat-command.js";
import { EMBED_HELP, runEmbedCommand } from "./embed-command.js";
import { processIo, type CliIo } from "./cli-io.js";
import { runEmulatorCommand } from "./emulator-command.js";
import { MODELS_HELP, runModelsCommand } from "./models-command.js";
import { packageVersion } from "./package-version.js";
import { runStepCommand, STEP_HELP } from "./step-command.js";
import { runTokensCommand, TOKENS_HELP } from "./tokens-command.js";
import { UsageError } from "./usage-error.js";

export const MAIN_HELP = `Usage: minion <command> [options]

Commands:
  ask "prompt"     one answer (--stream to print it as it arrives, --model NAME, --system TEXT)
  chat             a conversation that keeps its history (/exit, /cost, /reset)
  embed "text"     an embedding: its size, norm and first values (--json for the vector)
  models           the models in the config; * marks the default
  tokens "prompt"  the input tokens a prompt would be billed for (Bedrock CountTokens; says when it is an estimate)
  step "query"     one step of the agent (Brain)
  batch IN.jsonl   send every request of a JSONL file, resumably (--output OUT.jsonl; see docs/batch.md)
  emulator         run the local Bedrock Runtime emulator

Every command that calls a model prints a cost summary to stderr when it ends.
The config is config/config.yaml in the current directory, merged over ~/.minion/config.yaml
(or the file given with --config / MINION_CONFIG). See docs/cli.md and docs/configuration.md.

Run "minion <command> --help" for a command's options; "minion --version" prints the version.
`;

const CREDENTIALS_HINT =
  "Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE, or run aws sso login), put access_key_id / secret_access_key " +
  "or profile in the model's config, or use the built-in emulator (--model local). See docs/configuration.md#credentials-and-region.";

type Command = (args: string[], io: CliIo) => Promise<number>;

const COMMANDS: Record<string, { run: Command; help: string }> = {
  ask: { run: runAskCommand, help: ASK_HELP },
  chat: { run: runChatCommand, help: CHAT_HELP },
  embed: { run: runEmbedCommand, help: EMBED_HELP },
  models: { run: runModelsCommand, help: MODELS_HELP },
  step: { run: runStepCommand, help: STEP_HELP },
  batch: { run: runBatchCommand, help: BATCH_HELP },
  tokens: { run: runTokensCommand, help: TOKENS_HELP },
};

export async function runCli(argv: string[], io: CliIo = processIo()): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (error) {
    return reportError(error, io);
  }
}

async function dispatch(argv: string[], io: CliIo): Promise<number> {
  const [command, ...args] = argv;
  if (command === undefined || command === "-h" || command === "--help" || command === "help") {
    const topic = command === "help" ? args[0] : undefined;
    io.stdout.write(topic && COMMANDS[topic] ? COMMANDS[topic].help : MAIN_HELP);
    return 0;
  }
  if (command === "--version" || command === "-v" || command === "version") {
    io.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  const known = COMMANDS[command];
  if (known) return known.run(args, io);
  if (command === "emulator") {
    await runEmulatorCommand(args);
    return 0;
  }
  throw new UsageError(`Unknown command "${command}". Commands: ask, chat, embed, models, step, batch, tokens, emulator.`, MAIN_HELP);
}

function reportError(error: unknown, io: CliIo): number {
  if (error instanceof UsageError) {
    io.stderr.write(`minion: ${error.message}\n${error.help ? `\n${error.help}` : ""}`);
    return 1;
  }
  if (error instanceof AbortError) {
    io.stderr.write("minion: interrupted\n");
    return 130;
  }
  if (error instanceof MinionError) {
    io.stderr.write(`minion: ${error.message}\n`);
    return 1;
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS")) {
    io.stderr.write(`minion: ${(error as Error).message}. Run "minion --help" for usage.\n`);
    return 1;
  }
  if (error instanceof Error && error.name === "CredentialsProviderError") {
    io.stderr.write(`minion: no AWS credentials: ${error.message}. ${CREDENTIALS_HINT}\n`);
    return 1;
  }
  const debug = io.env["MINION_DEBUG"] === "1";
  io.stderr.write(`minion: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`);
  if (debug && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
  else io.stderr.write("(set MINION_DEBUG=1 for the stack trace)\n");
  return 1;
}
