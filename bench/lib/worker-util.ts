/** Helpers shared by the worker's load and scale phases. */

export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** One line describing an error, for the result's error samples (no stack, bounded length). */
export function errorText(error: unknown): string {
  const e = error as { name?: string; message?: string; cause?: { message?: string } };
  const cause = e?.cause?.message ? ` (cause: ${e.cause.message})` : "";
  return `${e?.name ?? "Error"}: ${e?.message ?? String(error)}${cause}`.slice(0, 300);
}
