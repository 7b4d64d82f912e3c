/** `minion ask "prompt" [--model NAME] [--stream] [--system S] [--trace]`: one question, one answer on stdout. */
import { parseArgs } from "node:util";
import type { MessageInput } from "../schema/message.js";
import { positiveIntegerOption, temperatureOption } from "./option-values.js";
import { UsageError } from "./usage-error.js";
import type { CliIo } from "./cli-io.js";
import { interruptSignal, withModel } from "./cli-context.js";
import { readPrompt } from "./read-prompt.js";
import { withCliTrace } from "./cli-trace.js";
import { forOutput, streamedOutput } from "./terminal-text.js";

export const ASK_HELP = `Usage: minion ask "prompt" [options]

Sends one prompt to a model and prints the answer. With no prompt argument, reads it from stdin.

Options:
  -m, --model NAME        a model name from the config (default: the config's default model)
  -s, --stream            print the answer as it arrives
      --system TEXT       a system prompt
  -t, --temperature N     sampling temperature (0 to 1)
      --max-tokens N      most tokens to generate
      --trace             print the call's OpenTelemetry span tree to stderr (needs @opentelemetry/api,
                          @opentelemetry/sdk-trace-base and @opentelemetry/context-async-hooks)
  -c, --config PATH       config file to use instead of config/config.yaml
  -h, --help              show this help
`;

export async function runAskCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      model: { type: "string", short: "m" },
      stream: { type: "boolean", short: "s" },
      system: { type: "string" },
      temperature: { type: "string", short: "t" },
      "max-tokens": { type: "string" },
      trace: { type: "boolean" },
      config: { type: "string", short: "c" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    io.stdout.write(ASK_HELP);
    return 0;
  }
  const options = {
    temperature: temperatureOption(values.temperature, ASK_HELP),
    maxTokens: positiveIntegerOption("--max-tokens", values["max-tokens"], ASK_HELP),
  };
  const prompt = await readPrompt(positionals, io.stdin);
  if (!prompt) throw new UsageError('ask needs a prompt: minion ask "What is the capital of France?"', ASK_HELP);
  const messages: MessageInput[] = [];
  if (values.system) messages.push({ role: "system", content: values.system });
  messages.push({ role: "user", content: prompt });
  return withCliTrace(io, values.trace, () => ask(io, values, messages, options));
}

async function ask(io: CliIo, values: { model?: string; config?: string; stream?: boolean }, messages: MessageInput[], options: { temperature?: number; maxTokens?: number }): Promise<number> {
  return withModel(io, { model: values.model, configPath: values.config }, async ({ provider }) => {
    const interrupt = interruptSignal();
    try {
      const callOptions = { ...definedOnly(options), signal: interrupt.signal };
      let answer = "";
      if (values.stream) {
        const output = streamedOutput(io.stdout);
        for await (const chunk of provider.generateStream(messages, callOptions)) {
          output.write(chunk);
          answer += chunk;
        }
        output.end();
      } else {
        answer = await provider.generate(messages, callOptions);
        io.stdout.write(forOutput(io.stdout, answer));
      }
      if (!answer.endsWith("\n")) io.stdout.write("\n");
      return 0;
    } finally {
      interrupt.dispose();
    }
  });
}

function definedOnly<T extends Record<string, unknown>>(object: T): Partial<T> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as Partial<T>;
}
