/**
 * The AWS SDK is loaded on first use, not at import, so that loading minion-ts never fails for want of it;
 * if it cannot be loaded the error names the package to install.
 */
import { MissingDependencyError } from "../../schema/errors.js";

export type CredentialProvidersSdk = typeof import("@aws-sdk/credential-providers");

let credentialProviders: Promise<CredentialProvidersSdk> | undefined;

export function loadCredentialProviders(): Promise<CredentialProvidersSdk> {
  credentialProviders ??= loadPackage(() => import("@aws-sdk/credential-providers"), "@aws-sdk/credential-providers");
  return credentialProviders;
}

/** Imports an optional package, turning a failure into MissingDependencyError naming it. */
export async function loadPackage<T>(importer: () => Promise<T>, packageName: string): Promise<T> {
  try {
    return await importer();
  } catch (error) {
    throw new MissingDependencyError(packageName, { cause: error });
  }
}
