/** The `minion` executable (bin/minion.js imports the built copy of this file). */
import { runCli } from "./run-cli.js";

const code = await runCli(process.argv.slice(2));
process.exitCode = code;
