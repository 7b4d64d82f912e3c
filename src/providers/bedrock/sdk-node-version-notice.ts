/**
 * On Node < 22 the AWS SDK prints, once per process when its first client is built, a 7-line
 * NodeVersionSupportWarning: SDK releases published after early January 2027 will require Node 22.
 * minion-ts pins SDK releases that run on Node 20 (see the README), so the notice is not actionable for its
 * users. The SDK's documented switch, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true, is set for one
 * synchronous call of the SDK's own check, which then records the notice as handled for the process. Other
 * warnings are untouched, and the environment is restored at once. A user who set the variable (to anything,
 * e.g. "false" to keep the notice) decides instead.
 */
import { createRequire } from "node:module";

const SWITCH = "AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED";

interface SdkClientCore {
  emitWarningIfUnsupportedVersion?: (version: string) => void;
}

/** `sdkPackage`: an SDK package this library loaded; the copy of @aws-sdk/core that it uses is the one settled. */
export function settleSdkNodeVersionNotice(sdkPackage: string): void {
  if (process.env[SWITCH] !== undefined) return;
  let core: SdkClientCore;
  try {
    const sdkEntry = createRequire(import.meta.url).resolve(sdkPackage);
    core = createRequire(sdkEntry)("@aws-sdk/core/client") as SdkClientCore;
  } catch {
    return; // an SDK without this module has no such notice
  }
  if (typeof core.emitWarningIfUnsupportedVersion !== "function") return;
  process.env[SWITCH] = "true";
  try {
    core.emitWarningIfUnsupportedVersion(process.version);
  } finally {
    delete process.env[SWITCH];
  }
}
