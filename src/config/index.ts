export { LLMConfig, type LLMConfigInput, type LLMConfigOptions, type UnresolvedVariable } from "./llm-config.js";
export { LLM_CONFIG_FIELD_NAMES, SECRET_FIELD_NAMES, type LLMConfigFields, type LLMConfigFieldName } from "./llm-config-fields.js";
export { assertResolved } from "./assert-resolved.js";
export { substituteEnv, type EnvMap, type SubstitutionResult } from "./substitute-env.js";
export { loadConfig, loadConfigSync, getModelConfig, PACKAGE_CONFIG_PATH, type Config, type LoadConfigOptions } from "./load-config.js";
export { UntrustedConfigError } from "./untrusted-config-error.js";
