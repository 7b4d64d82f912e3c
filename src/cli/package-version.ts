/** The version of the installed package (its package.json, two levels above this file in src/ and in dist/). */
import { readFileSync } from "node:fs";

export function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { name?: string; version?: string };
  return manifest.version ?? "unknown";
}
