/**
 * The AWS SDK is loaded on first use, not at import, so that loading minion-ts never fails for want of it;
 * if it cannot be loaded the error names the package to install.
 */
import { lazyPackage } from "../lazy-package.js";
import { settleSdkNodeVersionNotice } from "./sdk-node-version-notice.js";

export type CredentialProvidersSdk = typeof import("@aws-sdk/credential-providers");

export const loadCredentialProviders: () => Promise<CredentialProvidersSdk> = lazyPackage("@aws-sdk/credential-providers", () =>
  importQuietly("@aws-sdk/credential-providers", () => import("@aws-sdk/credential-providers")),
);

/** Imports an SDK package whose clients must not print the SDK's Node-version notice (see sdk-node-version-notice.ts). */
export async function importQuietly<T>(packageName: string, importer: () => Promise<T>): Promise<T> {
  const sdk = await importer();
  settleSdkNodeVersionNotice(packageName);
  return sdk;
}
