/** `minion models`: the models the config defines (name, api type, model id, where it runs). No secrets. */
import { parseArgs } from "node:util";
import { loadConfig } from "../config/load-config.js";
import type { LLMConfig } from "../config/llm-config.js";
import { redactUrl } from "../config/redact.js";
import type { CliIo } from "./cli-io.js";
import { EMULATOR_ENDPOINT } from "./resolve-model.js";
import { visibleControls } from "../schema/visible-controls.js";

export const MODELS_HELP = `Usage: minion models [options]

Lists the models of the config (config/config.yaml and ~/.minion/config.yaml); * marks the default.

Options:
      --json              print JSON (credentials redacted)
  -c, --config PATH       config file to use instead of config/config.yaml
  -h, --help              show this help
`;

export async function runModelsCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { json: { type: "boolean" }, config: { type: "string", short: "c" }, help: { type: "boolean", short: "h" } },
  });
  if (values.help) {
    io.stdout.write(MODELS_HELP);
    return 0;
  }
  const config = await loadConfig({ cwd: io.cwd, homeDir: io.home, env: io.env, configPath: values.config });
  const entries = Object.entries(config.models);
  if (values.json) {
    const invalid = Object.fromEntries(Object.entries(config.invalidModels).map(([name, error]) => [name, error.message]));
    io.stdout.write(`${JSON.stringify({ default: config.llmName ?? null, files: config.files, models: config.models, invalid }, null, 2)}\n`);
    return 0;
  }
  const invalid = Object.entries(config.invalidModels);
  if (entries.length === 0 && invalid.length === 0) {
    io.stderr.write(`No models configured. ${config.files.length ? `Read: ${config.files.join(", ")}.` : "No config file found (config/config.yaml, ~/.minion/config.yaml)."} See docs/configuration.md.\n`);
    return 1;
  }
  // Names and ids come from a config (a cloned project's, maybe): no escape sequence of theirs reaches the terminal.
  const rows = [
    ...entries.map(([name, model]) => [name === config.llmName ? "*" : " ", name, model.apiType, model.model, where(model), notes(model)]),
    ...invalid.map(([name, error]) => [name === config.llmName ? "*" : " ", name, "-", "-", "-", `UNUSABLE: ${firstLine(error.message)}`]),
  ].map((row) => row.map(visibleControls));
  const header = [" ", "NAME", "API TYPE", "MODEL", "WHERE", "NOTES"];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  for (const row of [header, ...rows]) io.stdout.write(`${row.map((cell, column) => cell.padEnd(widths[column]!)).join("  ").trimEnd()}\n`);
  io.stdout.write(`\nConfig: ${config.files.join(", ")}\n`);
  return 0;
}

function where(model: LLMConfig): string {
  if (model.endpoint === EMULATOR_ENDPOINT) return "built-in emulator";
  if (model.endpoint) return redactUrl(model.endpoint);
  return model.region ?? "region from AWS_REGION / us-east-1";
}

function notes(model: LLMConfig): string {
  const unset = [...new Set(model.unresolvedVariables().map((entry) => entry.variable))];
  const credentials = model.accessKeyId ? "keys in config" : model.apiKey ? "api_key" : model.profile ? `profile ${model.profile}` : "";
  return [credentials, unset.length ? `unset: ${unset.join(", ")}` : ""].filter(Boolean).join("; ");
}

function firstLine(message: string): string {
  const line = message.split("\n").find((text) => text.trim().startsWith("- ")) ?? message.split("\n")[0]!;
  const text = line.trim().replace(/^- /, "");
  return text.length > 100 ? `${text.slice(0, 97)}...` : text;
}
