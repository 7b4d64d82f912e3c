/**
 * The control plane (@aws-sdk/client-bedrock) and S3 (@aws-sdk/client-s3) SDKs, loaded on first use like the
 * runtime's credential chain, so importing minion-ts never needs them; a missing one is named in the error.
 */
import { loadPackage } from "../../providers/bedrock/load-aws-sdk.js";
import { settleSdkNodeVersionNotice } from "../../providers/bedrock/sdk-node-version-notice.js";

export type S3Sdk = typeof import("@aws-sdk/client-s3");
export type BedrockControlSdk = typeof import("@aws-sdk/client-bedrock");

let s3: Promise<S3Sdk> | undefined;
let bedrock: Promise<BedrockControlSdk> | undefined;

export function loadS3Sdk(): Promise<S3Sdk> {
  s3 ??= loadPackage(async () => settled("@aws-sdk/client-s3", await import("@aws-sdk/client-s3")), "@aws-sdk/client-s3");
  return s3;
}

export function loadBedrockControlSdk(): Promise<BedrockControlSdk> {
  bedrock ??= loadPackage(async () => settled("@aws-sdk/client-bedrock", await import("@aws-sdk/client-bedrock")), "@aws-sdk/client-bedrock");
  return bedrock;
}

function settled<T>(packageName: string, sdk: T): T {
  settleSdkNodeVersionNotice(packageName);
  return sdk;
}
