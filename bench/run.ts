/**
 * `npm run bench`: minion-ts against the raw AWS SDK (defaults) and the peer libraries, each client in its own
 * process, against the emulator in another process. See bench/RESULTS.md and `npm run bench -- --help`.
 */
import { HELP, parseBenchArgs } from "./lib/args.js";
import { runBench } from "./lib/run-bench.js";
import { terminalReport, writeJson, writeResults } from "./lib/write-outputs.js";

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const options = parseBenchArgs(argv);
  if (options === "help") {
    process.stdout.write(HELP);
    return;
  }
  const command = ["npm run bench", ...(argv.length ? ["--", ...argv] : [])].join(" ");
  const run = await runBench(options, command);
  process.stdout.write(terminalReport(run));
  process.stdout.write(`JSON: ${writeJson(run, options.out)}\n`);
  if (options.writeResults) for (const file of writeResults(run)) process.stdout.write(`Wrote ${file}\n`);
  if (run.failures.length) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error)?.message ?? String(error)}\n`);
  process.exitCode = 1;
});
