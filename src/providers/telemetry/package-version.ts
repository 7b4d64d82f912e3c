/** This package's version, for the instrumentation scope (package.json is three levels up in src/ and dist/). */
import { readFileSync } from "node:fs";

let version: string | undefined;

export function packageVersion(): string {
  if (version === undefined) {
    try {
      const manifest = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { version?: string };
      version = manifest.version ?? "unknown";
    } catch {
      version = "unknown";
    }
  }
  return version;
}
