/**
 * Which config files are trusted with the user's secrets, and what an untrusted (project) config may not do.
 *
 * Trusted: files under ~/.minion, the package's own default config, and project configs the user opted in
 * to from outside the repository (MINION_TRUST_PROJECT_CONFIG=1, or `trusted_projects:` in
 * ~/.minion/config.yaml). An untrusted config may only send requests to AWS Bedrock endpoints (https) or to
 * this machine, and may only read env files inside its own directory. Settings that change only how requests
 * are sent (transport, max_concurrency, timeouts) are left to it: they carry no secret and cannot send a request
 * anywhere else.
 */
import { realpathSync } from "node:fs";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { ConfigError } from "../schema/errors.js";
import { toSnakeCase } from "./normalize-config-keys.js";
import { isSecretLookingKey, isSecretLookingValue } from "./redact.js";
import { UntrustedConfigError } from "./untrusted-config-error.js";

export interface LayerTrust {
  trusted: boolean;
  /** The directory an untrusted config's env files must stay inside. */
  root: string;
}

/**
 * Hosts of Bedrock's own endpoints: standard, FIPS, dual-stack, China, GovCloud, and VPC interface endpoints.
 * The label after `bedrock...` must be a region: any label would let S3's `<bucket>.s3.amazonaws.com` (a bucket
 * named `bedrock-runtime`, which anyone may own) pass.
 */
const BEDROCK_HOST =
  /^(?:vpce-[a-z0-9-]+\.)?bedrock(?:-runtime|-agent-runtime)?(?:-fips)?\.[a-z]{2}(?:-[a-z]+)+-\d{1,2}\.(?:vpce\.)?(?:amazonaws\.com|amazonaws\.com\.cn|api\.aws)$/;

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return host === "localhost" || host === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** Whether an untrusted config may send requests (and so credentials) to this endpoint. */
export function isSafeEndpoint(endpoint: string): boolean {
  if (endpoint === "emulator") return true;
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  if (isLoopbackHost(url.hostname)) return true;
  return url.protocol === "https:" && BEDROCK_HOST.test(url.hostname.toLowerCase());
}

/** `path` is `dir` or inside it (both compared after resolving symlinks where they exist). */
export function isInside(path: string, dir: string): boolean {
  const rel = relative(realOrSelf(dir), realOrSelf(path));
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel));
}

export function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/** The `trusted_projects:` list of the user's own config: absolute (or ~/, under `home`) directory paths. */
export function trustedProjects(section: unknown, file: string, home: string): string[] {
  if (section === undefined || section === null) return [];
  const list = Array.isArray(section) ? section : [section];
  return list.map((entry) => {
    if (typeof entry !== "string" || entry.trim() === "") {
      throw new ConfigError(`trusted_projects in ${file} must be a list of directory paths, got ${JSON.stringify(entry)}.`);
    }
    const path = entry.startsWith("~/") ? resolve(home, entry.slice(2)) : entry;
    if (!isAbsolute(path)) throw new ConfigError(`trusted_projects in ${file} must list absolute directory paths (or ~/...), got "${entry}".`);
    return path;
  });
}

/** The credential settings, as written (normalized names) and as their YAML keys. */
const CREDENTIAL_KEYS = [
  ["accessKeyId", "access_key_id"],
  ["secretAccessKey", "secret_access_key"],
  ["sessionToken", "session_token"],
  ["apiKey", "api_key"],
] as const;

/**
 * Refuses a model of an untrusted config that would send credentials or `${VAR}` values off this machine to
 * something that is not AWS Bedrock, or to AWS under the project's own credentials. `written` holds the
 * settings as written (normalized names, before substitution); `projectVariables` the variables the
 * project's env files and `environment:` set.
 */
export function assertTrustedModel(
  model: { endpoint?: string | undefined; ca?: string | undefined },
  written: Readonly<Record<string, unknown>>,
  projectVariables: ReadonlySet<string>,
  where: string,
  env: Readonly<Record<string, string | undefined>> = {},
): void {
  const rawEndpoint = written["endpoint"];
  const shown = typeof rawEndpoint === "string" ? rawEndpoint : String(model.endpoint);
  if (model.endpoint !== undefined && !isSafeEndpoint(model.endpoint)) {
    throw new UntrustedConfigError(
      `Refused ${where}: its endpoint ${JSON.stringify(shown.length > 120 ? `${shown.slice(0, 117)}...` : shown)} is not an AWS Bedrock endpoint ` +
        "(https://bedrock-runtime.<region>.amazonaws.com and the like) or this machine, and a project's config may not send your " +
        "credentials or ${VAR} values anywhere else: requests are signed with your AWS credentials or carry your API key.",
    );
  }
  const local = model.endpoint === undefined ? false : model.endpoint === "emulator" || isLoopbackHost(new URL(model.endpoint).hostname);
  if (model.ca !== undefined && !local) {
    throw new UntrustedConfigError(`Refused ${where}: its ca setting would make this process trust the project's own certificate for a remote endpoint.`);
  }
  if (!local) assertUsersCredentials(written, projectVariables, where);
  else if (model.endpoint !== "emulator") assertNoBearerTokenOfYours(written, projectVariables, where, env);
  assertNoCopiedSecrets(model as Readonly<Record<string, unknown>>, written, where);
}

/**
 * A port of this machine may be another program's, or another user's: a Bedrock API key is sent there as it
 * is (`Authorization: Bearer`), where SigV4 sends only a signature bound to that host. So a project's model
 * with a loopback endpoint may use a bearer token it wrote (or its env files set), never yours: an api_key
 * from your `${VAR}`, or AWS_BEARER_TOKEN_BEDROCK when it writes no credentials (resolve-auth.ts's order).
 */
function assertNoBearerTokenOfYours(written: Readonly<Record<string, unknown>>, projectVariables: ReadonlySet<string>, where: string, env: Readonly<Record<string, string | undefined>>): void {
  const writes = (field: string): boolean => written[field] !== undefined && written[field] !== null && written[field] !== "";
  const apiKeyVariable = typeof written["apiKey"] === "string" ? /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(written["apiKey"].trim())?.[1] : undefined;
  // "ACCESS:SECRET" in api_key is minion's legacy key pair, signed with SigV4, not a bearer token.
  const apiKeyOfYours = apiKeyVariable !== undefined && !projectVariables.has(apiKeyVariable) && !(env[apiKeyVariable] ?? "").includes(":");
  const envToken = !writes("accessKeyId") && !writes("secretAccessKey") && !writes("apiKey") && (env["AWS_BEARER_TOKEN_BEDROCK"] ?? "").trim() !== "";
  if (!apiKeyOfYours && !envToken) return;
  throw new UntrustedConfigError(
    `Refused ${where}: its endpoint is a port of this machine, and calls would carry your Bedrock API key (${apiKeyOfYours ? `its api_key is your \${${apiKeyVariable}}` : "AWS_BEARER_TOKEN_BEDROCK"}) ` +
      "as it is: another program or user of this machine may be listening there. Write the local server's own credentials in the config " +
      '(the emulator\'s are in docs/emulator.md), use endpoint: "emulator", or trust the project.',
  );
}

/** `${VAR}` references, not `$${VAR}` (the literal text). */
const REFERENCE = /(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)/g;

/**
 * Outside the credential settings, a `${VAR}` naming a credential, or whose value looks like one, is refused:
 * the model id, `price_as` and the like are sent in requests, printed by the CLI and put on telemetry spans.
 */
function assertNoCopiedSecrets(model: Readonly<Record<string, unknown>>, written: Readonly<Record<string, unknown>>, where: string): void {
  const credentials = new Set<string>(CREDENTIAL_KEYS.map(([field]) => field));
  for (const [field, value] of Object.entries(written)) {
    if (credentials.has(field) || typeof value !== "string") continue;
    const substituted = model[field];
    for (const [, name] of value.matchAll(REFERENCE)) {
      if (!isSecretLookingKey(name!) && !(typeof substituted === "string" && isSecretLookingValue(substituted))) continue;
      throw new UntrustedConfigError(
        `Refused ${where}: its ${toSnakeCase(field)} takes \${${name}}, which looks like a credential. A project's config may put your ` +
          "secrets only into access_key_id, secret_access_key, session_token or api_key: elsewhere they would be sent in requests, printed and traced.",
      );
    }
  }
}

/**
 * Each credential setting is unset (your default chain) or one `${VAR}` the project did not set: with its own
 * keys, a project's calls (your prompts, and `${VAR}` values in its settings such as the model id) would be
 * logged in the project's AWS account (CloudTrail, invocation logs).
 */
function assertUsersCredentials(written: Readonly<Record<string, unknown>>, projectVariables: ReadonlySet<string>, where: string): void {
  for (const [field, key] of CREDENTIAL_KEYS) {
    const value = written[field];
    if (value === undefined || value === null || value === "") continue;
    const variable = typeof value === "string" ? /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(value.trim())?.[1] : undefined;
    if (variable !== undefined && !projectVariables.has(variable)) continue;
    throw new UntrustedConfigError(
      `Refused ${where}: its ${key} is ${variable === undefined ? "written in the config" : `\${${variable}}, a variable the project sets`}, so calls would ` +
        "go to AWS under the project's own credentials: your prompts, and the ${VAR} values in its settings, would be logged in the " +
        "project's account. Use your own (e.g. \"${AWS_ACCESS_KEY_ID}\" from your shell), or remove the credential settings to use your default chain.",
    );
  }
}
