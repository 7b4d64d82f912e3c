/**
 * Packages imported at their first use rather than with the library: a cold start does not pay for what it
 * does not use (bench:cold-start), and loading minion-ts never fails for want of an optional one.
 */
import { MissingDependencyError } from "../schema/errors.js";

/** Imports a package, turning a failure into a MissingDependencyError naming it. */
export async function loadPackage<T>(importer: () => Promise<T>, packageName: string): Promise<T> {
  try {
    return await importer();
  } catch (error) {
    throw new MissingDependencyError(packageName, { cause: error });
  }
}

/**
 * `importer` run once, at the first call, its result shared by every later call. A failure is not kept: the
 * next call tries again, so a passing problem (too many open files) does not break the process for good.
 */
export function lazyPackage<T>(packageName: string, importer: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () =>
    (loading ??= loadPackage(importer, packageName).catch((error: unknown) => {
      loading = undefined;
      throw error;
    }));
}
