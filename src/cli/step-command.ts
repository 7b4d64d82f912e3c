/**
 * `minion step "query" --route code|react|cot|raw [--model NAME] [--max-steps N]`: one Brain step. The trace
 * (model text as it arrives, tool calls, code runs and their output) goes to stderr as it happens; the answer
 * goes to stdout.
 */
import { parseArgs } from "node:util";
import { Brain } from "../brain/brain.js";
import { ROUTES, type BrainEvent, type RouteName, type StepResult, type TraceStep } from "../brain/brain-types.js";
import { interruptSignal, withModel } from "./cli-context.js";
import { withCliTrace } from "./cli-trace.js";
import { processIo, type CliIo } from "./cli-io.js";
import { positiveIntegerOption, temperatureOption } from "./option-values.js";
import { readPrompt } from "./read-prompt.js";
import { UsageError } from "./usage-error.js";
import { forOutput, visibleControls, visibleStreamed } from "./terminal-text.js";

export const STEP_HELP = `Usage: minion step "query" [options]

Runs one step of the agent (the Brain) and prints the answer on stdout. The trace (model text as it arrives,
tool calls, code runs with their output) is printed on stderr as it happens. With no query, reads it from stdin.

Options:
  -r, --route ROUTE       ${ROUTES.join(" | ")} (default: code)
  -m, --model NAME        a model name from the config (default: the config's default model)
      --max-steps N       most model calls for react and code (default 8)
      --system TEXT       extra system instructions
  -t, --temperature N     sampling temperature for this step
      --timeout-ms N      time limit of one code run in the sandbox (default 5000)
  -q, --quiet             print only the answer (no trace)
      --trace             print the step's OpenTelemetry span tree (step, model calls, tool calls) to stderr
  -c, --config PATH       config file to use instead of config/config.yaml
  -h, --help              show this help
`;

export async function runStepCommand(args: string[], io: CliIo = processIo()): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      route: { type: "string", short: "r" },
      model: { type: "string", short: "m" },
      "max-steps": { type: "string" },
      system: { type: "string" },
      temperature: { type: "string", short: "t" },
      "timeout-ms": { type: "string" },
      quiet: { type: "boolean", short: "q" },
      trace: { type: "boolean" },
      config: { type: "string", short: "c" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    io.stdout.write(STEP_HELP);
    return 0;
  }
  const route = (values.route ?? "code") as RouteName;
  if (!(ROUTES as readonly string[]).includes(route)) throw new UsageError(`Unknown route "${route}". Routes: ${ROUTES.join(", ")}.`, STEP_HELP);
  const maxSteps = positiveIntegerOption("--max-steps", values["max-steps"], STEP_HELP);
  const temperature = temperatureOption(values.temperature, STEP_HELP);
  const timeoutMs = positiveIntegerOption("--timeout-ms", values["timeout-ms"], STEP_HELP);
  const query = await readPrompt(positionals, io.stdin);
  if (!query) throw new UsageError('step needs a query: minion step "What is the sum of the squares below 100000?" --route code', STEP_HELP);

  return withCliTrace(io, values.trace, () => withModel(io, { model: values.model, configPath: values.config }, async ({ provider }) => {
    const brain = new Brain({ llm: provider, sandbox: timeoutMs !== undefined ? { timeoutMs } : {} });
    const interrupt = interruptSignal();
    const trace = new TracePrinter(values.quiet ? undefined : io.stderr);
    try {
      let result: StepResult | undefined;
      const options = {
        query,
        route,
        signal: interrupt.signal,
        ...(values.system !== undefined ? { system: values.system } : {}),
        ...(maxSteps !== undefined ? { maxSteps } : {}),
        ...(temperature !== undefined ? { temperature } : {}),
      };
      for await (const event of brain.stepStream(options)) {
        if (event.type === "result") result = event.result;
        else trace.print(event);
      }
      trace.end();
      if (!result) return 1;
      if (result.outcome === "max_steps") {
        io.stderr.write(`minion: no final answer after ${result.steps.filter((step) => step.type === "model").length} model calls (the --max-steps limit); the last reply follows.\n`);
      }
      const output = forOutput(io.stdout, result.output);
      io.stdout.write(output.endsWith("\n") ? output : `${output}\n`);
      return 0;
    } finally {
      interrupt.dispose();
    }
  }));
}

/**
 * Writes trace events as readable lines; model text is streamed as it arrives. Everything in them comes from the
 * model (its text, its code's output and errors, tool arguments), so control characters are shown as text.
 */
class TracePrinter {
  private inText = false;
  private readonly text: { write(text: string): void; end(): void } | undefined;

  constructor(private readonly out: NodeJS.WritableStream | undefined) {
    this.text = out ? visibleStreamed(out) : undefined;
  }

  print(event: Exclude<BrainEvent, { type: "result" }>): void {
    if (!this.out) return;
    switch (event.type) {
      case "text":
        if (!this.inText) this.write("[model] ");
        this.inText = true;
        this.text?.write(event.text);
        return;
      case "tool_call":
        this.line(`[tool] ${event.name}(${compact(event.args)})`);
        return;
      case "code":
        this.line(`[code] running ${event.code.trim().split("\n").length} line(s) in the sandbox`);
        return;
      case "step":
        this.printStep(event.step);
        return;
    }
  }

  end(): void {
    if (!this.inText) return;
    this.text?.end();
    this.write("\n");
    this.inText = false;
  }

  private printStep(step: TraceStep): void {
    if (step.type === "model") {
      this.end();
      if (step.text === "" && step.toolCalls.length === 0) this.line("[model] (empty reply)");
    } else if (step.type === "tool") {
      this.line(step.error !== undefined ? `[tool error] ${step.name}: ${step.error}` : `[tool result] ${step.name} -> ${compact(step.result)}`);
    } else {
      if (step.output !== "") this.line(`[code output]\n${indent(step.output)}`);
      if (step.error) this.line(`[code error] ${step.error.message}`);
      if (step.finalAnswer) this.line(`[code] finalAnswer(${compact(step.finalAnswer.value)})`);
    }
  }

  private line(text: string): void {
    this.end();
    this.write(`${visibleControls(text)}\n`);
  }

  private write(text: string): void {
    this.out?.write(text);
  }
}

function compact(value: unknown): string {
  const text = typeof value === "string" ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 300 ? `${text.slice(0, 300)}...` : text;
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => `  ${line}`)
    .join("\n");
}
