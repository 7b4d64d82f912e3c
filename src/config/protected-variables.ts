/**
 * Environment variables a config file may not set. Node reads some of them at run time for the whole process
 * (NODE_TLS_REJECT_UNAUTHORIZED turns certificate checks off); others decide where credentials come from or
 * where requests go, which only the user, not a cloned repository, may change.
 */

/** Refused in every config: Node's own and TLS trust settings. */
const PROCESS_WIDE = [/^NODE_/i, /^SSL_CERT_(FILE|DIR)$/i, /^SSLKEYLOGFILE$/i, /^OPENSSL_/i, /_CA_BUNDLE$/i, /^LD_/i, /^DYLD_/i];

/**
 * Also refused in an untrusted project config: proxies, credential and endpoint sources, minion's own switches.
 * Credentials themselves too: the project's own keys would send your trusted models' prompts to its AWS account
 * (and its invocation logs). HOME and PATH decide which ~/.aws/config the SDK reads and which program its
 * credential_process runs.
 */
const REDIRECTING = [
  /^(HTTPS?|ALL|NO)_PROXY$/i,
  /^AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|BEARER_TOKEN_BEDROCK)$/i,
  /^(HOME|USERPROFILE|HOMEDRIVE|HOMEPATH|PATH)$/i,
  /^AWS_(CONFIG_FILE|SHARED_CREDENTIALS_FILE|WEB_IDENTITY_TOKEN_FILE)$/i,
  /^AWS_ENDPOINT_URL/i,
  /^AWS_CONTAINER_/i,
  /^AWS_EC2_METADATA_/i,
  /^MINION_/i,
];

/** The reason a variable may not be set from a config, or undefined when it may. */
export function protectedVariableReason(name: string, trusted: boolean): string | undefined {
  if (/^MINION_TRUST_PROJECT_CONFIG$/i.test(name)) return `${name} is the user's own opt-in and is read from the shell only`;
  if (PROCESS_WIDE.some((pattern) => pattern.test(name))) {
    return `${name} changes how Node.js or TLS works for the whole process`;
  }
  if (!trusted && REDIRECTING.some((pattern) => pattern.test(name))) {
    return `${name} changes where credentials come from or where requests go`;
  }
  return undefined;
}
