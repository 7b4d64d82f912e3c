import { ConfigError } from "../schema/errors.js";

/** How the user opts in to a project's config, from outside the repository (in every trust message). */
export const TRUST_OPT_IN =
  "If you trust this project, opt in outside the repository: list its directory under trusted_projects in ~/.minion/config.yaml, " +
  "or run with MINION_TRUST_PROJECT_CONFIG=1. See docs/configuration.md#trust.";

/**
 * A project's config (one found in the working tree, not your ~/.minion) asked for something that could hand
 * your credentials or your process to whoever wrote it. `code` is "config_untrusted".
 */
export class UntrustedConfigError extends ConfigError {
  override readonly code: string = "config_untrusted";

  constructor(risk: string) {
    super(`${risk} ${TRUST_OPT_IN}`);
  }
}
