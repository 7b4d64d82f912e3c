/** A real S3-compatible server (s3rver) on 127.0.0.1 with one bucket, for the batch tests. */
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import S3rver from "s3rver";
import { EXAMPLE_CREDENTIALS } from "../../src/emulator/index.js";

export interface TestS3 {
  url: string;
  bucket: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  close(): Promise<void>;
}

/** s3rver checks SigV4 signatures against its accounts' key pairs: the test pair is added to its dummy account. */
function acceptKeyPair(credentials: { accessKeyId: string; secretAccessKey: string }): void {
  const account = createRequire(import.meta.url)("s3rver/lib/models/account.js") as { DUMMY_ACCOUNT: { createKeyPair(id: string, secret: string): void } };
  account.DUMMY_ACCOUNT.createKeyPair(credentials.accessKeyId, credentials.secretAccessKey);
}

export async function startS3(bucket = "batch-bucket"): Promise<TestS3> {
  const directory = mkdtempSync(join(tmpdir(), "minion-s3-"));
  const credentials = { ...EXAMPLE_CREDENTIALS };
  acceptKeyPair(credentials);
  const server = new S3rver({
    port: 0,
    address: "127.0.0.1",
    silent: true,
    directory,
    configureBuckets: [{ name: bucket, configs: [] }],
    allowMismatchedSignatures: false,
    resetOnClose: true,
  } as ConstructorParameters<typeof S3rver>[0]);
  const { port } = await server.run();
  return {
    url: `http://127.0.0.1:${port}`,
    bucket,
    credentials,
    close: async () => {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
