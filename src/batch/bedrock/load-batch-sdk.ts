/**
 * The control plane (@aws-sdk/client-bedrock) and S3 (@aws-sdk/client-s3) SDKs, loaded on first use like the
 * runtime's credential chain, so importing minion-ts never needs them; a missing one is named in the error.
 */
import { importQuietly } from "../../providers/bedrock/load-aws-sdk.js";
import { lazyPackage } from "../../providers/lazy-package.js";

export type S3Sdk = typeof import("@aws-sdk/client-s3");
export type BedrockControlSdk = typeof import("@aws-sdk/client-bedrock");

export const loadS3Sdk: () => Promise<S3Sdk> = lazyPackage("@aws-sdk/client-s3", () => importQuietly("@aws-sdk/client-s3", () => import("@aws-sdk/client-s3")));

export const loadBedrockControlSdk: () => Promise<BedrockControlSdk> = lazyPackage("@aws-sdk/client-bedrock", () =>
  importQuietly("@aws-sdk/client-bedrock", () => import("@aws-sdk/client-bedrock")),
);
