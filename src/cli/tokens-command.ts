/** `minion tokens "text" [--model NAME] [--system S] [--json]`: the input tokens a prompt would be billed for. */
import { parseArgs } from "node:util";
import type { TokenCount } from "../providers/bedrock/tokens/count-tokens-support.js";
import type { LlmProvider } from "../providers/llm-provider.js";
import type { MessageInput } from "../schema/message.js";
import type { CliIo } from "./cli-io.js";
import { interruptSignal, withModel } from "./cli-context.js";
import { readPrompt } from "./read-prompt.js";
import { UsageError } from "./usage-error.js";

export const TOKENS_HELP = `Usage: minion tokens "prompt" [options]

Prints how many input tokens the prompt (with its system prompt) would be billed for, counted by Bedrock's
CountTokens for the request "minion ask" would send; nothing is generated. Where Bedrock cannot count
(models other than Claude, application inference profiles), prints the library's estimate and says so.
With no prompt argument, reads it from stdin.

Options:
  -m, --model NAME        a model name from the config (default: the config's default model)
      --system TEXT       a system prompt
      --json              print {"model", "inputTokens", "estimated", "reason"?} as JSON
  -c, --config PATH       config file to use instead of config/config.yaml
  -h, --help              show this help
`;

type CountingProvider = LlmProvider & { countTokens(messages: MessageInput[], options?: { signal?: AbortSignal }): Promise<TokenCount> };

export async function runTokensCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      model: { type: "string", short: "m" },
      system: { type: "string" },
      json: { type: "boolean" },
      config: { type: "string", short: "c" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    io.stdout.write(TOKENS_HELP);
    return 0;
  }
  const prompt = await readPrompt(positionals, io.stdin);
  if (!prompt) throw new UsageError('tokens needs a prompt: minion tokens "How long is this prompt?"', TOKENS_HELP);
  const messages: MessageInput[] = [];
  if (values.system) messages.push({ role: "system", content: values.system });
  messages.push({ role: "user", content: prompt });
  return withModel(io, { model: values.model, configPath: values.config }, async ({ resolved, provider }) => {
    if (!canCount(provider)) throw new UsageError(`model '${resolved.name ?? resolved.config.model}' (${resolved.config.apiType}) cannot count tokens; pick a chat model with --model.`, TOKENS_HELP);
    const interrupt = interruptSignal();
    try {
      const count = await provider.countTokens(messages, { signal: interrupt.signal });
      io.stdout.write(`${values.json ? JSON.stringify({ model: resolved.config.model, ...count }) : describe(count)}\n`);
      return 0;
    } finally {
      interrupt.dispose();
    }
  });
}

function canCount(provider: LlmProvider): provider is CountingProvider {
  return typeof (provider as Partial<CountingProvider>).countTokens === "function";
}

function describe(count: TokenCount): string {
  if (!count.estimated) return `${count.inputTokens} input tokens (counted by Bedrock)`;
  return `~${count.inputTokens} input tokens (estimate: ${count.reason ?? "Bedrock could not count them"})`;
}
