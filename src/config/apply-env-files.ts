/** `env_file:` entries (dotenv files, paths relative to the declaring config file) and the `environment:` section. */
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, isAbsolute, resolve } from "node:path";
import { parse as parseDotenv } from "dotenv";
import { ConfigError } from "../schema/errors.js";
import { substituteEnv, type EnvMap } from "./substitute-env.js";

/** Loads the dotenv files a config file lists. Missing files are skipped; returns the paths that were loaded. */
export function applyEnvFiles(entries: unknown, declaringFile: string, env: EnvMap, override: boolean): string[] {
  if (entries === undefined || entries === null) return [];
  const list = Array.isArray(entries) ? entries : [entries];
  const loaded: string[] = [];
  for (const entry of list) {
    if (typeof entry !== "string" || entry.trim() === "") {
      throw new ConfigError(`env_file in ${declaringFile} must be a path or a list of paths (relative to that file), got ${JSON.stringify(entry)}.`);
    }
    const path = resolvePath(substituteEnv(entry, env).value, declaringFile);
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch {
      continue;
    }
    for (const [key, value] of Object.entries(parseDotenv(text))) {
      if (override || env[key] === undefined) env[key] = value;
    }
    loaded.push(path);
  }
  return loaded;
}

/** Writes the `environment:` map into `env` (values substituted), leaving already-set variables alone unless `override`. */
export function applyEnvironment(section: unknown, env: EnvMap, override: boolean, file: string): Record<string, string> {
  if (section === undefined || section === null) return {};
  if (typeof section !== "object" || Array.isArray(section)) {
    throw new ConfigError(`environment in ${file} must be a mapping of VARIABLE: value.`);
  }
  const applied: Record<string, string> = {};
  for (const [key, raw] of Object.entries(section)) {
    if (raw === null || raw === undefined) continue;
    if (typeof raw === "object") throw new ConfigError(`environment.${key} in ${file} must be a string, number or boolean.`);
    const result = substituteEnv(String(raw), env);
    if (result.unresolved.length > 0) continue;
    applied[key] = result.value;
    if (override || env[key] === undefined) env[key] = result.value;
  }
  return applied;
}

function resolvePath(path: string, declaringFile: string): string {
  const expanded = path.startsWith("~/") ? resolve(homedir(), path.slice(2)) : path;
  return isAbsolute(expanded) ? expanded : resolve(dirname(declaringFile), expanded);
}
