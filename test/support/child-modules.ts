/**
 * What a child process or worker thread started by a test needs to load this repository's modules. Under
 * `npm test` the tests run as JavaScript compiled next to src/ (scripts/test.mjs), so children load the .js
 * directly: no tsx, which costs a child about a second of CPU to transform the sources again. A test file run
 * on its own under tsx (`node --import tsx --test x.test.ts`) gets the .ts files and tsx, as before.
 */
import { transformSync } from "esbuild";
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const COMPILED = import.meta.url.endsWith(".js");

/** Node flags a child needs to import this repository's modules: none when they are compiled. */
export const CHILD_LOADER: string[] = COMPILED ? [] : ["--import", import.meta.resolve("tsx")];

/** The URL of a source module (`new URL("…/x.ts", import.meta.url)`) as a child loads it. */
export function childModule(source: URL): URL {
  return COMPILED ? new URL(source.href.replace(/\.ts$/, ".js")) : source;
}

/** childModule as an absolute path. */
export function childModulePath(source: URL): string {
  return fileURLToPath(childModule(source));
}

/**
 * Writes TypeScript (a doc example) to `file` (ending .mjs) as the JavaScript a child runs with CHILD_LOADER.
 * esbuild strips the types, as tsx would.
 */
export function writeChildScript(file: string, typescript: string): void {
  writeFileSync(file, transformSync(typescript, { loader: "ts", format: "esm", target: "node20" }).code);
}
