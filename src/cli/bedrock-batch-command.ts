/** `minion batch --engine bedrock`: submit (or resume, or --stop) a Bedrock Batch Inference job. */
import { runBedrockBatch, stopBedrockBatch, type BedrockBatchSummary } from "../batch/bedrock/run-bedrock-batch.js";
import type { CliIo } from "./cli-io.js";
import { interruptSignal } from "./cli-context.js";
import { numberOption } from "./option-values.js";
import { resolveModel } from "./resolve-model.js";
import { UsageError } from "./usage-error.js";

export interface BedrockBatchValues {
  input: string;
  output: string;
  model?: string | undefined;
  config?: string | undefined;
  s3?: string | undefined;
  "role-arn"?: string | undefined;
  "poll-interval"?: string | undefined;
  "max-failed-polls"?: string | undefined;
  "timeout-hours"?: string | undefined;
  tag?: string[] | undefined;
  stop?: boolean | undefined;
  "min-records"?: string | undefined;
  "s3-endpoint"?: string | undefined;
  "bedrock-endpoint"?: string | undefined;
}

export async function runBedrockBatchCommand(io: CliIo, values: BedrockBatchValues): Promise<number> {
  const pollSeconds = numberOption("--poll-interval", values["poll-interval"]);
  if (pollSeconds !== undefined && pollSeconds < 0) throw new UsageError(`--poll-interval needs seconds >= 0, got "${values["poll-interval"]}".`);
  const maxFailedPolls = numberOption("--max-failed-polls", values["max-failed-polls"]);
  if (maxFailedPolls !== undefined && !(Number.isSafeInteger(maxFailedPolls) && maxFailedPolls >= 0)) {
    throw new UsageError(`--max-failed-polls needs a whole number >= 0 (0: no limit), got "${values["max-failed-polls"]}".`);
  }
  const minRecords = numberOption("--min-records", values["min-records"]);
  if (minRecords !== undefined && (!Number.isInteger(minRecords) || minRecords < 1)) throw new UsageError(`--min-records needs a whole number >= 1, got "${values["min-records"]}".`);
  if (!values.stop && (!values.s3 || !values["role-arn"])) {
    throw new UsageError("--engine bedrock needs --s3 s3://BUCKET/PREFIX and --role-arn ARN (the role Bedrock assumes to read and write there).");
  }
  const timeoutHours = numberOption("--timeout-hours", values["timeout-hours"]);
  if (timeoutHours !== undefined && !(Number.isInteger(timeoutHours) && timeoutHours >= 24 && timeoutHours <= 168)) {
    throw new UsageError(`--timeout-hours needs a whole number of hours from 24 to 168 (Bedrock's range), got "${values["timeout-hours"]}".`);
  }
  const tags = tagOptions(values.tag ?? []);
  const endpoints = { s3Endpoint: values["s3-endpoint"], bedrockEndpoint: values["bedrock-endpoint"] };
  const resolved = await resolveModel({ model: values.model, configPath: values.config, cwd: io.cwd, home: io.home, env: io.env });
  try {
    if (values.stop) {
      const stopped = await stopBedrockBatch({ output: values.output, model: resolved.config, ...endpoints });
      io.stderr.write(`minion: asked Bedrock to stop job ${stopped.jobArn}. Run the batch command again (without --stop) to collect what it finished.\n`);
      return 0;
    }
    const interrupt = interruptSignal();
    try {
      const summary = await runBedrockBatch({
        input: values.input,
        output: values.output,
        model: resolved.config,
        s3: values.s3!,
        roleArn: values["role-arn"]!,
        ...endpoints,
        ...(pollSeconds !== undefined ? { pollIntervalMs: pollSeconds * 1000 } : {}),
        ...(maxFailedPolls !== undefined ? { maxFailedPolls } : {}),
        ...(minRecords !== undefined ? { limits: { minRecords } } : {}),
        ...(timeoutHours !== undefined ? { timeoutDurationInHours: timeoutHours } : {}),
        ...(Object.keys(tags).length > 0 ? { tags } : {}),
        signal: interrupt.signal,
        progressStream: io.stderr,
      });
      io.stderr.write(`${summaryLine(summary)}\n`);
      if (summary.interrupted) return 130;
      return summary.failed > 0 || summary.missing > 0 ? 2 : 0;
    } finally {
      interrupt.dispose();
    }
  } finally {
    await resolved.close();
  }
}

/** --tag KEY=VALUE, repeated; the value may be empty or hold "=". */
function tagOptions(flags: readonly string[]): Record<string, string> {
  const tags: Record<string, string> = Object.create(null) as Record<string, string>; // a "__proto__" key stays a key
  for (const flag of flags) {
    const split = flag.indexOf("=");
    if (split < 1) throw new UsageError(`--tag needs KEY=VALUE, got "${flag.slice(0, 200)}".`);
    const key = flag.slice(0, split);
    if (Object.hasOwn(tags, key)) throw new UsageError(`--tag ${key} is given twice; a job's tag keys are unique.`);
    tags[key] = flag.slice(split + 1);
  }
  return tags;
}

function summaryLine(summary: BedrockBatchSummary): string {
  if (summary.interrupted) return `minion: bedrock batch not finished: job ${summary.jobArn} is still running`;
  if (summary.submitted === undefined && summary.jobArn === undefined) {
    return `minion: bedrock batch: nothing to send: ${summary.skipped} of ${summary.total} already in the output`;
  }
  return (
    `minion: bedrock batch ${summary.status ?? "done"}: ${summary.succeeded} succeeded, ${summary.failed} failed, ${summary.missing} without a result, ` +
    `${summary.skipped} already in the output, of ${summary.total}; ${summary.inputTokens} input + ${summary.outputTokens} output tokens; ` +
    `cost $${summary.cost.toFixed(6)} at batch prices`
  );
}
