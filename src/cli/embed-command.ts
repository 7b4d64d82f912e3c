/** `minion embed "text" ... [--model NAME] [--json]`: embeds texts and prints a summary of each vector, or JSON. */
import { parseArgs } from "node:util";
import type { EmbedOptions, EmbeddingInputType, EmbeddingType } from "../providers/embedding-provider.js";
import { createEmbeddingProvider } from "../providers/embedding-registry.js";
import type { CliIo } from "./cli-io.js";
import { interruptSignal } from "./cli-context.js";
import { formatCost } from "./format-cost.js";
import { readPrompt } from "./read-prompt.js";
import { resolveModel } from "./resolve-model.js";
import { UsageError } from "./usage-error.js";

export const DEFAULT_EMBEDDING_MODEL = "local-embed";

export const EMBED_HELP = `Usage: minion embed "text" ["more text" ...] [options]

Embeds each text and prints its size, its length (L2 norm) and its first values; --json prints the vectors.
With no text argument, embeds stdin as one text.

Options:
  -m, --model NAME        an embedding model from the config (default: ${DEFAULT_EMBEDDING_MODEL}, on the built-in emulator)
      --input-type T      search_document (default), search_query, classification or clustering
  -d, --dimensions N      output size (Titan v2: 256, 512, 1024; Cohere Embed v4: 256 to 1536)
      --type T            float (default), int8, uint8, binary or ubinary (what the model offers)
      --json              print {"model", "dimensions", "embeddings"} as JSON
  -c, --config PATH       config file to use instead of config/config.yaml
  -h, --help              show this help
`;

const SHOWN_VALUES = 8;

export async function runEmbedCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      model: { type: "string", short: "m" },
      "input-type": { type: "string" },
      dimensions: { type: "string", short: "d" },
      type: { type: "string" },
      json: { type: "boolean" },
      config: { type: "string", short: "c" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    io.stdout.write(EMBED_HELP);
    return 0;
  }
  const texts = positionals.length > 0 ? positionals : [await readPrompt([], io.stdin)].filter((text) => text !== "");
  if (texts.length === 0) throw new UsageError('embed needs a text: minion embed "The Eiffel Tower is in Paris."', EMBED_HELP);
  const options: EmbedOptions = {};
  if (values["input-type"] !== undefined) options.inputType = values["input-type"] as EmbeddingInputType;
  if (values.type !== undefined) options.embeddingType = values.type as EmbeddingType;
  if (values.dimensions !== undefined) {
    const dimensions = Number(values.dimensions);
    if (!Number.isInteger(dimensions) || dimensions < 1) throw new UsageError(`--dimensions must be a whole number, got "${values.dimensions}".`, EMBED_HELP);
    options.dimensions = dimensions;
  }

  const resolved = await resolveModel({ model: values.model ?? DEFAULT_EMBEDDING_MODEL, configPath: values.config, cwd: io.cwd, home: io.home, env: io.env });
  const provider = createEmbeddingProvider(resolved.config);
  const interrupt = interruptSignal();
  try {
    const vectors = await provider.embed(texts, { ...options, signal: interrupt.signal });
    if (values.json) {
      io.stdout.write(`${JSON.stringify({ model: provider.model, dimensions: vectors[0]?.length ?? 0, embeddings: vectors })}\n`);
    } else {
      const integers = (options.embeddingType ?? "float") !== "float";
      vectors.forEach((vector, index) => io.stdout.write(summary(texts[index]!, vector, integers)));
    }
    return 0;
  } finally {
    interrupt.dispose();
    io.stderr.write(`${formatCost(provider.getCost(), { name: resolved.name, id: resolved.config.model })}\n`);
    await provider.close().catch(() => {});
    await resolved.close();
  }
}

function summary(text: string, vector: readonly number[], integers: boolean): string {
  const norm = Math.hypot(...vector);
  const shown = vector.slice(0, SHOWN_VALUES).map((value) => (integers ? String(value) : value.toFixed(4)));
  const label = text.length > 60 ? `${text.slice(0, 57)}...` : text;
  return `${JSON.stringify(label)}: ${vector.length} dimensions, norm ${norm.toFixed(4)}, first ${shown.length}: [${shown.join(", ")}${vector.length > SHOWN_VALUES ? ", ..." : ""}]\n`;
}
