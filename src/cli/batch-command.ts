/**
 * `minion batch INPUT.jsonl --output OUT.jsonl`: the resumable local batch runner, or with `--engine bedrock`
 * the same input through Bedrock Batch Inference (see docs/batch.md).
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { planBatch, type BatchPlan } from "../batch/plan-batch.js";
import { DEFAULT_CONCURRENCY, runBatch } from "../batch/run-batch.js";
import { createLlmProvider } from "../providers/registry.js";
import { numberOption } from "./option-values.js";
import type { CliIo } from "./cli-io.js";
import { interruptSignal } from "./cli-context.js";
import { resolveModel } from "./resolve-model.js";
import { DEFAULT_BEDROCK_BATCH_LIMITS } from "../batch/bedrock/bedrock-batch-limits.js";
import { runBedrockBatchCommand } from "./bedrock-batch-command.js";
import { UsageError } from "./usage-error.js";

export const BATCH_HELP = `Usage: minion batch INPUT.jsonl --output OUT.jsonl [options]

Sends every request of INPUT.jsonl (one {"id", "messages", ...call options} per line) and appends one
record per request to OUT.jsonl: {"id", "output", "usage", "cost"} or {"id", "error"}. Run the same command
again after an interruption (Ctrl-C, a crash, kill -9): ids already in OUT.jsonl are skipped.

With --engine bedrock the requests go through Bedrock Batch Inference instead (at batch prices): the input
is written to S3, one job is created and polled, and its results are appended to OUT.jsonl in the same
shape. The job is recorded in OUT.jsonl.bedrock-job.json: running the same command again resumes it.

Options:
  -o, --output PATH        the JSONL output (required; created or appended to)
      --engine NAME        local (default) or bedrock
  -m, --model NAME         a model name from the config (default: the config's default model)
  -n, --concurrency N      most requests in flight (default ${DEFAULT_CONCURRENCY}; throttling lowers it for a while)
      --retries N          resends of a request after a retryable error (default 3)
      --dry-run            print the request count, estimated tokens and cost; send nothing
      --output-tokens N    with --dry-run: expected output tokens per request (default: max_tokens)
  -c, --config PATH        config file to use instead of config/config.yaml
  -h, --help               show this help

Bedrock engine (--engine bedrock):
      --s3 s3://BUCKET/PREFIX  where the job's input and results go (required)
      --role-arn ARN       the IAM role Bedrock assumes to read and write there (required)
      --poll-interval S    seconds between two job status checks (default 60)
      --max-failed-polls N  status checks in a row that may fail (throttling, 5xx, network, timeout) before
                           the command gives up watching; the job runs on (default 10; 0 = no limit)
      --timeout-hours N    hours before Bedrock ends the job, 24 to 168 (default 24)
      --tag KEY=VALUE      a tag for the job (repeat for more, at most 200)
      --stop               stop the job recorded for OUT.jsonl (StopModelInvocationJob) and exit
      --min-records N      the account's "Minimum number of records per batch inference job" (default 100)
      --s3-endpoint URL    an S3-compatible endpoint (path-style), e.g. a local test server
      --bedrock-endpoint URL  the control plane's endpoint (default: the model's endpoint, else the region's)

Exit status: 0 when every request has an answer, 2 when some records are errors (or, with --engine bedrock,
have no result: a PartiallyCompleted job), 130 when interrupted (a Bedrock job keeps running), 1 for a usage
or input error and for a Bedrock job that ended Failed, Stopped or Expired (what it finished is collected).
`;

const OPTIONS = {
  output: { type: "string", short: "o" },
  model: { type: "string", short: "m" },
  concurrency: { type: "string", short: "n" },
  retries: { type: "string" },
  "dry-run": { type: "boolean" },
  "output-tokens": { type: "string" },
  config: { type: "string", short: "c" },
  help: { type: "boolean", short: "h" },
  engine: { type: "string" },
  s3: { type: "string" },
  "role-arn": { type: "string" },
  "poll-interval": { type: "string" },
  "max-failed-polls": { type: "string" },
  "timeout-hours": { type: "string" },
  tag: { type: "string", multiple: true },
  stop: { type: "boolean" },
  "min-records": { type: "string" },
  "s3-endpoint": { type: "string" },
  "bedrock-endpoint": { type: "string" },
} as const;

export async function runBatchCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: OPTIONS });
  if (values.help) {
    io.stdout.write(BATCH_HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError("batch needs exactly one input file: minion batch INPUT.jsonl --output OUT.jsonl", BATCH_HELP);
  if (!values.output) throw new UsageError("batch needs --output OUT.jsonl (where the records go, and what a rerun resumes from).", BATCH_HELP);
  const engine = values.engine ?? "local";
  if (engine !== "local" && engine !== "bedrock") throw new UsageError(`--engine must be local or bedrock, got "${engine}".`, BATCH_HELP);
  const bedrockOnly = (["s3", "role-arn", "poll-interval", "max-failed-polls", "timeout-hours", "tag", "stop", "min-records", "s3-endpoint", "bedrock-endpoint"] as const).filter((flag) => values[flag] !== undefined);
  if (engine === "local" && bedrockOnly.length > 0) throw new UsageError(`--${bedrockOnly[0]} needs --engine bedrock.`, BATCH_HELP);
  const input = resolve(io.cwd, positionals[0]!);
  const output = resolve(io.cwd, values.output);
  if (engine === "bedrock" && !values["dry-run"]) return runBedrockBatchCommand(io, { ...values, input, output });
  const concurrency = wholeNumber("--concurrency", values.concurrency, 1);
  const retries = wholeNumber("--retries", values.retries, 0);
  const resolved = await resolveModel({ model: values.model, configPath: values.config, cwd: io.cwd, home: io.home, env: io.env });
  try {
    if (values["dry-run"]) {
      const outputTokensPerRequest = wholeNumber("--output-tokens", values["output-tokens"], 0);
      const plan = await planBatch({ input, output, model: resolved.config.model, outputTokensPerRequest, defaultMaxTokens: resolved.config.maxTokens });
      io.stdout.write(formatPlan(plan, resolved.config.model));
      if (engine === "bedrock") io.stdout.write(bedrockJobFit(plan.requests, wholeNumber("--min-records", values["min-records"], 1)));
      return 0;
    }
    return await run(io, { input, output, concurrency, retries, provider: createLlmProvider(resolved.config, resolved.models ? { models: resolved.models } : {}) });
  } finally {
    await resolved.close();
  }
}

async function run(io: CliIo, options: { input: string; output: string; concurrency?: number; retries?: number; provider: ReturnType<typeof createLlmProvider> }): Promise<number> {
  const interrupt = interruptSignal();
  try {
    const summary = await runBatch({ ...options, signal: interrupt.signal, progressStream: io.stderr });
    if (summary.tornBytes > 0) io.stderr.write(`minion: cut a torn last line (${summary.tornBytes} bytes) from the output; its request ran again\n`);
    if (summary.interrupted) return 130;
    return summary.failed > 0 ? 2 : 0;
  } finally {
    interrupt.dispose();
    await options.provider.close().catch(() => {});
  }
}

function wholeNumber(flag: string, value: string | undefined, min: number): number | undefined {
  const number = numberOption(flag, value);
  if (number !== undefined && (!Number.isInteger(number) || number < min)) throw new UsageError(`${flag} needs a whole number >= ${min}, got "${value}".`);
  return number;
}

export function formatPlan(plan: BatchPlan, model: string): string {
  const lines = [
    `requests to send:  ${plan.requests} (of ${plan.total}; ${plan.skipped} already in the output)`,
    `input tokens:      ~${plan.inputTokens} (estimated at 4 characters a token, text only)`,
    `output tokens:     ${plan.outputTokens === undefined ? "unknown: some requests set no max_tokens; pass --output-tokens N" : `${plan.outputIsUpperBound ? "at most " : "~"}${plan.outputTokens}`}`,
  ];
  if (!plan.onDemand || !plan.bedrockBatch) {
    lines.push(`cost:              unknown: no price for model "${model}" (see docs/cost.md)`);
  } else {
    const note = plan.outputTokens === undefined ? " (input only)" : plan.outputIsUpperBound ? " (at most)" : "";
    lines.push(`cost on-demand:    $${plan.onDemand.total.toFixed(4)}${note} (input $${plan.onDemand.input.toFixed(4)}, output $${plan.onDemand.output.toFixed(4)})`);
    lines.push(`cost Bedrock batch: $${plan.bedrockBatch.total.toFixed(4)}${note} (50% of on-demand)`);
  }
  lines.push("nothing was sent (--dry-run)");
  return `${lines.join("\n")}\n`;
}

/** With --engine bedrock: whether the requests fit one Bedrock batch job (the quotas of docs/batch.md). */
export function bedrockJobFit(requests: number, minRecords = DEFAULT_BEDROCK_BATCH_LIMITS.minRecords): string {
  const max = DEFAULT_BEDROCK_BATCH_LIMITS.maxRecordsPerJob;
  const verdict =
    requests < minRecords ? `too few: a job needs at least ${minRecords}; use the local runner` : requests > max ? `too many: a job takes at most ${max}; split the input` : "fits one job";
  return `Bedrock batch job: ${requests} records (${verdict})\n`;
}
