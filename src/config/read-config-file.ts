/** Reads one YAML config file: missing -> undefined; invalid YAML -> ConfigError with file, line and column. */
import { parseDocument } from "yaml";
import { ConfigError } from "../schema/errors.js";
import { readBoundedFile } from "./read-bounded-file.js";

export type RawConfig = Record<string, unknown>;

export function readConfigFile(path: string, { required = false } = {}): RawConfig | undefined {
  const text = readBoundedFile(path, "Config file");
  if (text !== undefined) return parseConfigText(text, path);
  if (required) throw new ConfigError(`Config file ${path} does not exist. Check the path (MINION_CONFIG or the configPath option).`);
  return undefined;
}

export function parseConfigText(text: string, path: string): RawConfig {
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const [first] = document.errors;
  if (first) {
    const position = first.linePos?.[0];
    const where = position ? ` at line ${position.line}, column ${position.col}` : "";
    const reason = first.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
    // Not the YAML error as `cause`: its message quotes the source line, which may hold a secret.
    throw new ConfigError(`Invalid YAML in ${path}${where}: ${reason}.`);
  }
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: 1000 });
  } catch (error) {
    throw new ConfigError(`Invalid YAML in ${path}: ${(error as Error).message}`, { cause: error });
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new ConfigError(`${path} must contain a YAML mapping (models:, llm:, environment:, ...), not a ${Array.isArray(value) ? "list" : typeof value}.`);
  }
  return value as RawConfig;
}
