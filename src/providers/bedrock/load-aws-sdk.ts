/**
 * The AWS SDK is loaded on first use, not at import, so that loading minion-ts never fails for want of it;
 * if it cannot be loaded the error names the package to install.
 */
import { MissingDependencyError } from "../../schema/errors.js";
import { settleSdkNodeVersionNotice } from "./sdk-node-version-notice.js";

export type CredentialProvidersSdk = typeof import("@aws-sdk/credential-providers");

let credentialProviders: Promise<CredentialProvidersSdk> | undefined;

export function loadCredentialProviders(): Promise<CredentialProvidersSdk> {
  credentialProviders ??= loadPackage(() => importQuietly("@aws-sdk/credential-providers", () => import("@aws-sdk/credential-providers")), "@aws-sdk/credential-providers");
  return credentialProviders;
}

/** Imports an SDK package whose clients must not print the SDK's Node-version notice (see sdk-node-version-notice.ts). */
async function importQuietly<T>(packageName: string, importer: () => Promise<T>): Promise<T> {
  const sdk = await importer();
  settleSdkNodeVersionNotice(packageName);
  return sdk;
}

/** Imports an optional package, turning a failure into MissingDependencyError naming it. */
export async function loadPackage<T>(importer: () => Promise<T>, packageName: string): Promise<T> {
  try {
    return await importer();
  } catch (error) {
    throw new MissingDependencyError(packageName, { cause: error });
  }
}
