/** The emulator in a process of its own (for tests whose effect needs a server on another event loop); prints {url, ca}, exits on disconnect. */
import { startEmulator } from "../../../src/emulator/index.js";

const emulator = await startEmulator(JSON.parse(process.env.EMULATOR_OPTIONS ?? "{}") as Record<string, unknown>);
process.send?.({ url: emulator.url, ca: emulator.ca });
process.on("disconnect", () => void emulator.close().finally(() => process.exit(0)));
