/** `env_file:` entries (dotenv files, paths relative to the declaring config file) and the `environment:` section. */
import { dirname, isAbsolute, resolve } from "node:path";
import { parse as parseDotenv } from "dotenv";
import { ConfigError } from "../schema/errors.js";
import { isInside, type LayerTrust } from "./config-trust.js";
import { protectedVariableReason } from "./protected-variables.js";
import { readBoundedFile } from "./read-bounded-file.js";
import { substituteEnv, type EnvMap } from "./substitute-env.js";
import { UntrustedConfigError } from "./untrusted-config-error.js";
import { warnOnce } from "./warn-once.js";

export interface EnvTarget {
  env: EnvMap;
  override: boolean;
  trust: LayerTrust;
  /** The home directory `~/` stands for. */
  home: string;
  warn?: ((message: string) => void) | undefined;
}

/**
 * Loads the dotenv files a config file lists. Missing files are skipped; returns the paths that were loaded.
 * An untrusted config may only name files inside its own directory. Variables no config may set
 * (NODE_*, TLS settings, ...) are skipped with a warning: dotenv files are shared with other tools.
 */
export function applyEnvFiles(entries: unknown, declaringFile: string, target: EnvTarget): string[] {
  if (entries === undefined || entries === null) return [];
  const list = Array.isArray(entries) ? entries : [entries];
  const loaded: string[] = [];
  for (const entry of list) {
    if (typeof entry !== "string" || entry.trim() === "") {
      throw new ConfigError(`env_file in ${declaringFile} must be a path or a list of paths (relative to that file), got ${JSON.stringify(entry)}.`);
    }
    const substituted = substituteEnv(entry, target.env).value;
    const path = resolvePath(substituted, declaringFile, target.home);
    // A path built from ${VAR} is shown as written: the variable's value may be a secret.
    const shown = substituted === entry ? path : JSON.stringify(entry);
    if (!target.trust.trusted && !isInside(path, target.trust.root)) {
      throw new UntrustedConfigError(
        `Refused env_file ${JSON.stringify(entry)} in ${declaringFile}: it reads ${shown}, outside the project directory ${target.trust.root}, ` +
          "and a project's config may only read env files of its own (this is how a cloned repository would read ~/.aws/credentials).",
      );
    }
    const text = readBoundedFile(path, `env_file entry of ${declaringFile}:`, { shown });
    if (text === undefined) continue;
    for (const [key, value] of Object.entries(parseDotenv(text))) {
      const reason = protectedVariableReason(key, target.trust.trusted);
      if (reason) {
        warnOnce(`env-file-protected:${path}:${key}`, `Skipped ${key} from env file ${shown}: ${reason}; set it in your shell if you mean it.`, "MINION_CONFIG_PROTECTED_VARIABLE", target.warn);
        continue;
      }
      if (target.override || target.env[key] === undefined) target.env[key] = value;
    }
    loaded.push(path);
  }
  return loaded;
}

/** Writes the `environment:` map into `env` (values substituted), leaving already-set variables alone unless `override`. */
export function applyEnvironment(section: unknown, file: string, target: EnvTarget): Record<string, string> {
  if (section === undefined || section === null) return {};
  if (typeof section !== "object" || Array.isArray(section)) {
    throw new ConfigError(`environment in ${file} must be a mapping of VARIABLE: value.`);
  }
  const applied: Record<string, string> = {};
  for (const [key, raw] of Object.entries(section)) {
    assertSettable(key, file, target.trust.trusted);
    if (raw === null || raw === undefined) continue;
    if (typeof raw === "object") throw new ConfigError(`environment.${key} in ${file} must be a string, number or boolean.`);
    const result = substituteEnv(String(raw), target.env);
    if (result.unresolved.length > 0) continue;
    applied[key] = result.value;
    if (target.override || target.env[key] === undefined) target.env[key] = result.value;
  }
  return applied;
}

function assertSettable(key: string, file: string, trusted: boolean): void {
  const reason = protectedVariableReason(key, trusted);
  if (!reason) return;
  const message = `environment.${key} in ${file} is not allowed: ${reason}. Set it in your shell (or your own environment) if you mean it.`;
  if (protectedVariableReason(key, true)) throw new ConfigError(message);
  throw new UntrustedConfigError(message);
}

function resolvePath(path: string, declaringFile: string, home: string): string {
  const expanded = path.startsWith("~/") ? resolve(home, path.slice(2)) : path;
  return isAbsolute(expanded) ? expanded : resolve(dirname(declaringFile), expanded);
}
