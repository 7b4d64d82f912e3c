/**
 * `npm test`: type-checks and runs every test/**\/*.test.ts, the two side by side.
 *
 * The tests run as JavaScript that esbuild compiles once per run into .test-build/, not under tsx: tsx makes
 * every test process (and every CLI child a test spawns) transform and resolve the sources again, which on a
 * 2-core machine costs more than the tests themselves. .test-build/ mirrors the repository: src/, test/ and
 * bench/ hold the compiled .js (with source maps, so stack traces name the .ts lines) next to copies of their
 * sources and data files, and every other top-level entry (package.json, config/, docs/, ...) is a symlink, so
 * code that finds files relative to its own URL finds them there as it does in the repository.
 *
 * Usage: npm test [-- [node --test flags] [test files or directories]]
 *   npm test -- test/cli                  only the tests under test/cli (type-checking still runs)
 *   npm test -- --test-reporter=spec      flags starting with -- go to node --test
 *   npm test -- --no-typecheck test/cli   skip tsc (for a quick look at a few files; npm test runs it)
 * TEST_CONCURRENCY sets how many test files run at once (default: 2 per core, at least 4).
 */
import { spawn } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const OUT = join(ROOT, ".test-build");
const COMPILED = ["src", "test", "bench"];
const NOT_MIRRORED = new Set([...COMPILED, ".git", ".test-build", "node_modules"]);
/** Build output and scratch directories that tests or benches write under the compiled folders. */
const SKIPPED_DIRS = new Set(["out", "node_modules"]);

function listFiles(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name))
    .filter((file) => !relative(dir, file).split(/[\\/]/).slice(0, -1).some((part) => SKIPPED_DIRS.has(part)));
}

async function buildMirror() {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT);
  for (const name of readdirSync(ROOT)) {
    if (NOT_MIRRORED.has(name) || name.startsWith(".test-dist-") || name.startsWith(".doc-snippets-")) continue;
    symlinkSync(join(ROOT, name), join(OUT, name));
  }
  const sources = [];
  for (const dir of COMPILED) {
    for (const file of listFiles(join(ROOT, dir))) {
      const target = join(OUT, relative(ROOT, file));
      mkdirSync(join(target, ".."), { recursive: true });
      cpSync(file, target);
      if (file.endsWith(".ts") && !file.endsWith(".d.ts")) sources.push(file);
    }
  }
  await build({
    entryPoints: sources,
    outdir: OUT,
    outbase: ROOT,
    format: "esm",
    platform: "node",
    target: "node20",
    sourcemap: "linked",
    tsconfig: join(ROOT, "tsconfig.json"),
    logLevel: "error",
  });
}

/** Splits `npm test -- ...` arguments into node --test flags and the test files they select. */
function selectTests(args) {
  const flags = args.filter((arg) => arg.startsWith("--") && arg !== "--no-typecheck");
  const scopes = args.filter((arg) => !arg.startsWith("--")).map((arg) => resolve(arg));
  const all = listFiles(join(ROOT, "test")).filter((file) => file.endsWith(".test.ts")).sort();
  const chosen = scopes.length === 0 ? all : all.filter((file) => scopes.some((scope) => file === scope || file.startsWith(scope + "/")));
  if (chosen.length === 0) throw new Error(`no test file matches ${scopes.join(" ")}`);
  return { flags, files: chosen.map((file) => join(OUT, relative(ROOT, file)).replace(/\.ts$/, ".js")) };
}

/** Runs a child; `echo` streams its output, otherwise it is kept and returned. */
function run(command, args, echo) {
  return new Promise((done) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: echo ? "inherit" : ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout?.on("data", (chunk) => (output += chunk));
    child.stderr?.on("data", (chunk) => (output += chunk));
    child.on("close", (code, signal) => done({ ok: code === 0, output, status: signal ?? code }));
  });
}

const args = process.argv.slice(2);
const { flags, files } = selectTests(args);
const skipped = Promise.resolve({ ok: true, output: "", status: "skipped" });
const typecheck = args.includes("--no-typecheck") ? skipped : run(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json", "--noEmit"], false);
await buildMirror();
const concurrency = Number(process.env.TEST_CONCURRENCY) || Math.max(4, 2 * availableParallelism());
const tests = await run(process.execPath, ["--enable-source-maps", "--test", `--test-concurrency=${concurrency}`, ...flags, ...files], true);
const types = await typecheck;
process.stdout.write(`\n# typecheck (tsc --noEmit): ${types.status === "skipped" ? "skipped" : types.ok ? "ok" : `FAILED (${types.status})`}\n${types.output}`);
process.stdout.write(`# tests (${files.length} files, ${concurrency} at a time): ${tests.ok ? "ok" : `FAILED (${tests.status})`}\n`);
process.exitCode = types.ok && tests.ok ? 0 : 1;
