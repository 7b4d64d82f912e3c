/**
 * `npm test`: type-checks and runs every test/**\/*.test.ts, the two side by side.
 *
 * The tests run as JavaScript that esbuild compiles once per run into .test-build/run-<pid>/, not under tsx:
 * tsx makes every test process (and every CLI child a test spawns) transform and resolve the sources again,
 * which on a 2-core machine costs more than the tests themselves. The run's folder mirrors the repository:
 * src/, test/ and bench/ hold the compiled .js (with source maps, so stack traces name the .ts lines) next to
 * copies of their sources and data files, and every other top-level entry (package.json, config/, docs/, ...)
 * is a symlink, so code that finds files relative to its own URL finds them there as in the repository. Each
 * run has its own folder (removed when it ends), so two runs in one checkout do not delete each other's files.
 * tsc keeps its incremental state in .test-build/, so a second run re-checks only what changed; it runs at a lower
 * CPU priority, so it takes the cores while the tests wait rather than slowing them.
 *
 * The test files run in TEST_CONCURRENCY processes, not one each (see groupTests): each file is a describe named
 * after it. A file that must not share its process (it patches globals or prototypes) says so in its header
 * with the line "npm test: own process". A file that crashes its process takes down the other files of its
 * group, which then show as failed with it.
 *
 * Usage: npm test [-- [node --test flags] [test files or directories]]
 *   npm test -- test/cli                  only the tests under test/cli (type-checking still runs)
 *   npm test -- --test-reporter=spec      flags starting with -- go to node --test
 *   npm test -- --no-typecheck test/cli   skip tsc (for a quick look at a few files; npm test runs it)
 * TEST_CONCURRENCY sets how many test processes run at once, each taking its share of the files (default: 4 per
 * core, at least 8).
 */
import { spawn } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { availableParallelism, setPriority } from "node:os";
import { join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BUILD = join(ROOT, ".test-build");
const OUT = join(BUILD, `run-${process.pid}`);
const COMPILED = ["src", "test", "bench"];
/** A test file whose header holds this line runs in a process of its own (see groupTests). */
const ISOLATE_MARKER = "npm test: own process";
const NOT_MIRRORED = new Set([...COMPILED, ".git", ".test-build", "node_modules"]);
/** Build output and scratch directories that tests or benches write under the compiled folders. */
const SKIPPED_DIRS = new Set(["out", "node_modules"]);

function listFiles(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name))
    .filter((file) => !relative(dir, file).split(/[\\/]/).slice(0, -1).some((part) => SKIPPED_DIRS.has(part)));
}

function isRunning(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
}

/** Removes the folders of earlier runs that were killed before they could remove their own. */
function removeStaleRuns() {
  for (const name of readdirSync(BUILD)) {
    const pid = /^run-(\d+)$/.exec(name)?.[1];
    if (pid !== undefined && !isRunning(Number(pid))) rmSync(join(BUILD, name), { recursive: true, force: true });
  }
}

async function buildMirror() {
  mkdirSync(BUILD, { recursive: true });
  removeStaleRuns();
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT);
  process.on("exit", () => rmSync(OUT, { recursive: true, force: true }));
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

/**
 * Groups the test files into `count` processes. node --test (Node 20 has no in-process mode) starts one process
 * per file, and loading the library, the emulator and the AWS SDK again in each of 160 processes cost about as
 * much CPU as the tests themselves. A group's entry wraps each file in a describe named after it, so every
 * file's hooks stay scoped to its own tests and failures name the file; the files of a group run one after
 * the other. A file whose first lines contain ISOLATE_MARKER (it patches globals or prototypes) gets its own
 * process.
 */
function groupTests(files, count) {
  const groups = Array.from({ length: count }, () => []);
  const alone = [];
  files.forEach((file, index) => {
    const head = readFileSync(file.replace(/\.js$/, ".ts"), "utf8").slice(0, 2000);
    if (head.includes(ISOLATE_MARKER)) alone.push(file);
    else groups[index % count].push(file);
  });
  const dir = join(OUT, ".groups");
  mkdirSync(dir);
  const entries = groups.filter((group) => group.length > 0).map((group, index) => {
    const entry = join(dir, `group-${index + 1}.mjs`);
    const lines = group.map((file) => {
      const name = relative(OUT, file).replace(/\.js$/, ".ts");
      return `describe(${JSON.stringify(name)}, async () => { await import(${JSON.stringify(pathToFileURL(file).href)}); });`;
    });
    writeFileSync(entry, ['import { describe } from "node:test";', ...lines, ""].join("\n"));
    return entry;
  });
  return [...entries, ...alone];
}

/**
 * Runs a child; `echo` streams its output, otherwise it is kept and returned. A `niceness` above 0 lowers its
 * CPU priority: tsc then uses the cores while the tests wait (on children, timers, sockets) instead of slowing
 * them down.
 */
function run(command, args, echo, niceness = 0) {
  return new Promise((done) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: echo ? "inherit" : ["ignore", "pipe", "pipe"] });
    if (niceness > 0) {
      try {
        setPriority(child.pid, niceness);
      } catch {
        // Not permitted on this system: the child keeps the normal priority.
      }
    }
    let output = "";
    child.stdout?.on("data", (chunk) => (output += chunk));
    child.stderr?.on("data", (chunk) => (output += chunk));
    child.on("close", (code, signal) => done({ ok: code === 0, output, status: signal ?? code }));
  });
}

const args = process.argv.slice(2);
const { flags, files } = selectTests(args);
const skipped = Promise.resolve({ ok: true, output: "", status: "skipped" });
const started = performance.now();
const seconds = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
const tsc = [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json", "--noEmit", "--incremental", "--tsBuildInfoFile", join(BUILD, "typecheck.tsbuildinfo")];
mkdirSync(BUILD, { recursive: true });
const typecheck = args.includes("--no-typecheck") ? skipped : run(process.execPath, tsc, false, 10).then((result) => ({ ...result, took: seconds() }));
await buildMirror();
const concurrency = Number(process.env.TEST_CONCURRENCY) || Math.max(8, 4 * availableParallelism());
const processes = groupTests(files, concurrency);
const tests = await run(process.execPath, ["--enable-source-maps", "--test", `--test-concurrency=${concurrency}`, ...flags, ...processes], true);
const testsTook = seconds();
const types = await typecheck;
const typesVerdict = types.status === "skipped" ? "skipped" : `${types.ok ? "ok" : `FAILED (${types.status})`} in ${types.took}`;
process.stdout.write(`\n# typecheck (tsc --noEmit): ${typesVerdict}\n${types.output}`);
process.stdout.write(`# tests (${files.length} files in ${processes.length} processes, ${concurrency} at a time): ${tests.ok ? "ok" : `FAILED (${tests.status})`} in ${testsTook}\n`);
process.stdout.write(`# npm test: ${seconds()}\n`);
process.exitCode = types.ok && tests.ok ? 0 : 1;
