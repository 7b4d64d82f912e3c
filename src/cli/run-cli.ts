/** Dispatches `minion <command> ...` and turns errors into a message and exit code 1 (no stack traces). */
import { AbortError, MinionError } from "../schema/errors.js";
import { processIo, type CliIo } from "./cli-io.js";
import { packageVersion } from "./package-version.js";
import { UsageError } from "./usage-error.js";
import { visibleControls } from "./terminal-text.js";

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

/**
 * Each command's module is imported only when that command runs (or its help is asked for): `--help`,
 * `--version` and a typo then answer without loading the providers, the emulator or the agent.
 */
const COMMANDS: Record<string, () => Promise<{ run: Command; help: string }>> = {
  ask: async () => import("./ask-command.js").then((m) => ({ run: m.runAskCommand, help: m.ASK_HELP })),
  chat: async () => import("./chat-command.js").then((m) => ({ run: m.runChatCommand, help: m.CHAT_HELP })),
  embed: async () => import("./embed-command.js").then((m) => ({ run: m.runEmbedCommand, help: m.EMBED_HELP })),
  models: async () => import("./models-command.js").then((m) => ({ run: m.runModelsCommand, help: m.MODELS_HELP })),
  step: async () => import("./step-command.js").then((m) => ({ run: m.runStepCommand, help: m.STEP_HELP })),
  batch: async () => import("./batch-command.js").then((m) => ({ run: m.runBatchCommand, help: m.BATCH_HELP })),
  tokens: async () => import("./tokens-command.js").then((m) => ({ run: m.runTokensCommand, help: m.TOKENS_HELP })),
};

function commandNamed(name: string | undefined): (() => Promise<{ run: Command; help: string }>) | undefined {
  return name !== undefined && Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
}

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
    const topic = commandNamed(command === "help" ? args[0] : undefined);
    io.stdout.write(topic ? (await topic()).help : MAIN_HELP);
    return 0;
  }
  if (command === "--version" || command === "-v" || command === "version") {
    io.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  const known = commandNamed(command);
  if (known) return (await known()).run(args, io);
  if (command === "emulator") {
    const { runEmulatorCommand } = await import("./emulator-command.js");
    await runEmulatorCommand(args);
    return 0;
  }
  throw new UsageError(`Unknown command "${command}". Commands: ask, chat, embed, models, step, batch, tokens, emulator.`, MAIN_HELP);
}

function reportError(error: unknown, io: CliIo): number {
  if (error instanceof UsageError) {
    io.stderr.write(`minion: ${visibleControls(error.message)}\n${error.help ? `\n${error.help}` : ""}`);
    return 1;
  }
  if (error instanceof AbortError) {
    io.stderr.write("minion: interrupted\n");
    return 130;
  }
  if (error instanceof MinionError) {
    io.stderr.write(`minion: ${visibleControls(error.message)}\n`);
    return 1;
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS")) {
    io.stderr.write(`minion: ${visibleControls((error as Error).message)}. Run "minion --help" for usage.\n`);
    return 1;
  }
  if (error instanceof Error && error.name === "CredentialsProviderError") {
    io.stderr.write(`minion: no AWS credentials: ${visibleControls(error.message)}. ${CREDENTIALS_HINT}\n`);
    return 1;
  }
  const debug = io.env["MINION_DEBUG"] === "1";
  io.stderr.write(`minion: unexpected error: ${visibleControls(error instanceof Error ? error.message : String(error))}\n`);
  if (debug && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
  else io.stderr.write("(set MINION_DEBUG=1 for the stack trace)\n");
  return 1;
}
