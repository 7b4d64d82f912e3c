/** The `minion` executable (bin/minion.js imports the built copy of this file). */
import { exitQuietlyOnBrokenPipe } from "./exit-on-broken-pipe.js";
import { runCli } from "./run-cli.js";

// The AWS SDK warns on every run under Node 20 that its releases after early January 2027 need Node 22; the
// lockfile pins versions that support Node 20 (see the README), so the CLI keeps its output clean. Set the
// variable to "false" to see the warning.
process.env["AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED"] ??= "true";

exitQuietlyOnBrokenPipe();
const code = await runCli(process.argv.slice(2));
process.exitCode = code;
