/** `minion chat`: a REPL that keeps the conversation history. /exit, /cost, /reset, /help. */
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { MinionError } from "../schema/errors.js";
import type { MessageInput } from "../schema/message.js";
import { withModel } from "./cli-context.js";
import type { CliIo } from "./cli-io.js";
import { formatCost } from "./format-cost.js";
import { temperatureOption } from "./option-values.js";
import { streamedOutput, visibleControls } from "./terminal-text.js";

/** What /help prints inside the chat. */
export const CHAT_COMMANDS = `In the chat:
  /cost    the cost so far        /reset   forget the history
  /help    this list              /exit    leave (also /quit or Ctrl-D)
  Ctrl-C stops the answer being written; at the prompt it leaves.
`;

export const CHAT_HELP = `Usage: minion chat [options]

A conversation with a model; every turn is sent with the history so far. Answers stream as they arrive.

${CHAT_COMMANDS}
Options:
  -m, --model NAME        a model name from the config (default: the config's default model)
      --system TEXT       a system prompt for the whole conversation
  -t, --temperature N     sampling temperature (0 to 1)
  -c, --config PATH       config file to use instead of config/config.yaml
  -h, --help              show this help
`;

export async function runChatCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    allowPositionals: false,
    options: {
      model: { type: "string", short: "m" },
      system: { type: "string" },
      temperature: { type: "string", short: "t" },
      config: { type: "string", short: "c" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    io.stdout.write(CHAT_HELP);
    return 0;
  }
  const temperature = temperatureOption(values.temperature, CHAT_HELP);
  return withModel(io, { model: values.model, configPath: values.config }, async ({ resolved, provider }) => {
    const interactive = io.stdin.isTTY === true;
    const lines = createInterface({ input: io.stdin, output: interactive ? io.stdout : undefined, terminal: interactive });
    const history: MessageInput[] = values.system ? [{ role: "system", content: values.system }] : [];
    let turn: AbortController | undefined;
    lines.on("SIGINT", () => (turn ? turn.abort(new Error("interrupted")) : lines.close()));
    const onSigint = () => turn?.abort(new Error("interrupted"));
    process.on("SIGINT", onSigint);
    io.stderr.write(`Chatting with ${visibleControls(resolved.name ?? resolved.config.model)}. /help for commands, /exit to leave.\n`);
    if (interactive) lines.setPrompt("you> ");
    try {
      if (interactive) lines.prompt();
      for await (const raw of lines) {
        const line = raw.trim();
        if (line === "/exit" || line === "/quit") break;
        if (line === "/cost") io.stderr.write(`${formatCost(provider.getCost(), { name: resolved.name, id: resolved.config.model })}\n`);
        else if (line === "/reset") {
          history.splice(values.system ? 1 : 0);
          io.stderr.write("History cleared.\n");
        } else if (line === "/help") io.stderr.write(CHAT_COMMANDS);
        else if (line.startsWith("/")) io.stderr.write(`Unknown command ${line}; /help lists them.\n`);
        else if (line) {
          turn = new AbortController();
          await answer(line, history, { provider, io, signal: turn.signal, temperature });
          turn = undefined;
        }
        if (interactive) lines.prompt();
      }
    } finally {
      process.off("SIGINT", onSigint);
      lines.close();
    }
    return 0;
  });
}

async function answer(
  line: string,
  history: MessageInput[],
  context: { provider: { generateStream: (m: MessageInput[], o: object) => AsyncIterable<string> }; io: CliIo; signal: AbortSignal; temperature: number | undefined },
): Promise<void> {
  const { provider, io, signal, temperature } = context;
  history.push({ role: "user", content: line });
  let reply = "";
  try {
    const output = streamedOutput(io.stdout);
    for await (const chunk of provider.generateStream(history, { signal, ...(temperature !== undefined ? { temperature } : {}) })) {
      output.write(chunk);
      reply += chunk;
    }
    output.end();
    io.stdout.write(reply.endsWith("\n") ? "" : "\n");
    history.push({ role: "assistant", content: reply });
  } catch (error) {
    if (reply) io.stdout.write("\n");
    if (signal.aborted && reply) {
      history.push({ role: "assistant", content: reply });
      io.stderr.write("(answer stopped)\n");
      return;
    }
    history.pop();
    if (!(error instanceof MinionError)) throw error;
    io.stderr.write(`minion: ${visibleControls(error.message)}\n`);
  }
}
