import { after, before, beforeEach } from "node:test";
import type { BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import { startEmulator, type Emulator, type EmulatorOptions } from "../../../src/emulator/index.js";
import { sdkClient } from "./sdk-client.js";
import { answerPlan, SwitchablePlanner } from "./stand-in-planner.js";

/** An emulator on 127.0.0.1 and the official SDK client pointed at it, shared by the tests of one suite. */
export interface EmulatorWithSdkClient {
  readonly emulator: Emulator;
  readonly client: BedrockRuntimeClient;
}

/**
 * Call inside `describe()`: starts the emulator and its SDK client before the suite's tests and
 * destroys the client and closes the emulator after them.
 */
export function useEmulatorWithSdkClient(options: EmulatorOptions = {}): EmulatorWithSdkClient {
  let emulator: Emulator | undefined;
  let client: BedrockRuntimeClient | undefined;
  before(async () => {
    emulator = await startEmulator(options);
    client = sdkClient(emulator);
  });
  after(async () => {
    client?.destroy();
    await emulator?.close();
  });
  return {
    get emulator() {
      return started(emulator);
    },
    get client() {
      return started(client);
    },
  };
}

/**
 * Like `useEmulatorWithSdkClient`, answering with a `SwitchablePlanner`; before each test the plan
 * is back to the default answer and the recorded requests are cleared.
 */
export function useEmulatorWithSwitchablePlanner(): EmulatorWithSdkClient & { readonly planner: SwitchablePlanner } {
  const planner = new SwitchablePlanner();
  const fixture = Object.assign(useEmulatorWithSdkClient({ planner: planner.planRequest }), { planner });
  beforeEach(() => {
    planner.plan = answerPlan();
    fixture.emulator.clearRequests();
  });
  return fixture;
}

function started<T>(value: T | undefined): T {
  if (value === undefined) throw new Error("The emulator fixture is used outside its suite's tests (it starts in before() and closes in after()).");
  return value;
}
