/** The region from the AWS shared config files, when neither the config nor AWS_REGION / AWS_DEFAULT_REGION set one. */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, afterEach, before, beforeEach, describe, it } from "node:test";
import type { Emulator } from "../../../../src/emulator/index.js";
import { resolveRegion, resolveRegionWithSharedConfig } from "../../../../src/providers/bedrock/auth/resolve-region.js";
import { ConfigError } from "../../../../src/schema/errors.js";
import { emulatorWith, providerFor } from "../emulator-fixture.js";

const VARS = ["AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION"] as const;

describe("region from the config and the environment", () => {
  it("takes the region from config, AWS_REGION, AWS_DEFAULT_REGION, then us-east-1", () => {
    assert.equal(resolveRegion({ region: "eu-west-1" }, { AWS_REGION: "us-west-2" }), "eu-west-1");
    assert.equal(resolveRegion({}, { AWS_REGION: "us-west-2", AWS_DEFAULT_REGION: "ap-south-1" }), "us-west-2");
    assert.equal(resolveRegion({}, { AWS_DEFAULT_REGION: "ap-south-1" }), "ap-south-1");
    assert.equal(resolveRegion({}, {}), "us-east-1");
    assert.throws(() => resolveRegion({ region: "Frankfurt" }, {}), ConfigError);
  });
});

describe("region from the shared AWS config", () => {
  let dir: string;
  let emulator: Emulator;
  let saved: Record<string, string | undefined>;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "minion-region-"));
    writeFileSync(join(dir, "config"), "[default]\nregion = eu-west-1\n\n[profile dev]\nregion = ap-southeast-2\n\n[profile noregion]\noutput = json\n\n[profile bad]\nregion = Frankfurt\n");
    writeFileSync(join(dir, "credentials"), "");
    emulator = await emulatorWith();
  });
  after(async () => {
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    saved = Object.fromEntries(VARS.map((name) => [name, process.env[name]]));
    for (const name of VARS) delete process.env[name];
    process.env["AWS_CONFIG_FILE"] = join(dir, "config");
    process.env["AWS_SHARED_CREDENTIALS_FILE"] = join(dir, "credentials");
  });
  afterEach(() => {
    for (const name of VARS) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });

  /** The region in the SigV4 credential scope of the last request the emulator received. */
  function signedRegion(): string | undefined {
    return /Credential=[^/]+\/\d{8}\/([^/]+)\/bedrock\//.exec(emulator.requests.at(-1)!.headers["authorization"] ?? "")?.[1];
  }

  it("uses the default profile's region, and signs for it", async () => {
    const provider = providerFor(emulator, { region: undefined });
    try {
      assert.equal(provider.region, undefined, "not known before the first call");
      await provider.generate([{ role: "user", content: "hi" }]);
      assert.equal(provider.region, "eu-west-1");
      assert.equal(signedRegion(), "eu-west-1");
    } finally {
      await provider.close();
    }
  });

  it("uses the region of the config's profile, or of AWS_PROFILE", async () => {
    const provider = providerFor(emulator, { region: undefined, profile: "dev" });
    try {
      await provider.generate([{ role: "user", content: "hi" }]);
      assert.equal(signedRegion(), "ap-southeast-2");
    } finally {
      await provider.close();
    }
    process.env["AWS_PROFILE"] = "dev";
    assert.equal(await resolveRegionWithSharedConfig({}), "ap-southeast-2");
  });

  it("keeps the order: config, AWS_REGION, AWS_DEFAULT_REGION, then the file, then us-east-1", async () => {
    process.env["AWS_DEFAULT_REGION"] = "us-west-2";
    assert.equal(await resolveRegionWithSharedConfig({}), "us-west-2");
    process.env["AWS_REGION"] = "us-east-2";
    assert.equal(await resolveRegionWithSharedConfig({}), "us-east-2");
    assert.equal(await resolveRegionWithSharedConfig({ region: "eu-central-1" }), "eu-central-1");
    delete process.env["AWS_REGION"];
    delete process.env["AWS_DEFAULT_REGION"];
    assert.equal(await resolveRegionWithSharedConfig({ profile: "noregion" }), "us-east-1");
    assert.equal(await resolveRegionWithSharedConfig({ profile: "missing" }), "us-east-1");
  });

  it("checks a region from the file like any other: a ConfigError at the first call, sending nothing", async () => {
    const provider = providerFor(emulator, { region: undefined, profile: "bad" });
    const sent = emulator.requests.length;
    try {
      await assert.rejects(provider.generate([{ role: "user", content: "hi" }]), (error: unknown) => error instanceof ConfigError && /shared config file\) "Frankfurt" is not an AWS region name/.test(error.message));
      assert.equal(emulator.requests.length, sent);
    } finally {
      await provider.close();
    }
  });
});
