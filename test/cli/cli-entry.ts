/**
 * The CLI as plain JavaScript, for tests that spawn it. Under tsx a child process spends about 1.5 s of CPU
 * compiling and loading the sources. Under `npm test` the tests run compiled next to a compiled src/
 * (scripts/test.mjs), so the CLI is already JavaScript. A test file run on its own under tsx has esbuild
 * transform src/ once per test process instead, one level under the repository like dist/, so the CLI finds
 * package.json, the shipped config and its worker files where it does when installed.
 */
import { buildSync } from "esbuild";
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
let entry: string | undefined;

export function cliEntry(): string {
  if (entry !== undefined) return entry;
  if (import.meta.url.endsWith(".js")) return (entry = join(ROOT, "src", "cli", "main.js"));
  const src = join(ROOT, "src");
  const outdir = join(ROOT, `.test-dist-${process.pid}`);
  const sources = readdirSync(src, { recursive: true, encoding: "utf8" }).filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts"));
  buildSync({ entryPoints: sources.map((file) => join(src, file)), outdir, outbase: src, format: "esm", platform: "node", target: "node20", logLevel: "error" });
  process.on("exit", () => rmSync(outdir, { recursive: true, force: true }));
  entry = join(outdir, "cli", "main.js");
  return entry;
}
