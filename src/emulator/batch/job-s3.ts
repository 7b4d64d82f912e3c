/** The emulator's S3 side of a batch job: list the input objects, read them, write the results. */
import type { S3Client } from "@aws-sdk/client-s3";
import { WireError } from "../send-error.js";
import type { ResolvedBatchJobOptions } from "./batch-job-options.js";

export interface S3Location {
  bucket: string;
  key: string;
}

export interface InputObject extends S3Location {
  size: number;
}

type S3Sdk = typeof import("@aws-sdk/client-s3");

export class JobS3 {
  #client: Promise<{ sdk: S3Sdk; client: S3Client }> | undefined;

  constructor(private readonly options: ResolvedBatchJobOptions) {}

  /** The .jsonl objects of an input URI: the object itself, or every .jsonl under the prefix. */
  async inputObjects(uri: string): Promise<InputObject[]> {
    const { bucket, key } = parseS3Uri(uri);
    const { sdk, client } = await this.#connect();
    const objects: InputObject[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(new sdk.ListObjectsV2Command({ Bucket: bucket, Prefix: key, ContinuationToken: token }));
      for (const item of page.Contents ?? []) {
        if (!item.Key?.endsWith(".jsonl")) continue;
        if (key.endsWith(".jsonl") ? item.Key !== key : !isUnder(item.Key, key)) continue;
        objects.push({ bucket, key: item.Key, size: item.Size ?? 0 });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return objects.sort((a, b) => a.key.localeCompare(b.key));
  }

  async read(location: S3Location): Promise<string> {
    const { sdk, client } = await this.#connect();
    const object = await client.send(new sdk.GetObjectCommand({ Bucket: location.bucket, Key: location.key }));
    return (await object.Body?.transformToString("utf8")) ?? "";
  }

  async write(location: S3Location, body: string): Promise<void> {
    const { sdk, client } = await this.#connect();
    await client.send(new sdk.PutObjectCommand({ Bucket: location.bucket, Key: location.key, Body: body, ContentType: "application/jsonl" }));
  }

  close(): void {
    void this.#client?.then(({ client }) => client.destroy()).catch(() => undefined);
  }

  #connect(): Promise<{ sdk: S3Sdk; client: S3Client }> {
    const endpoint = this.options.s3Endpoint;
    if (!endpoint) {
      throw new WireError("ValidationException", 400, "The emulator has no S3 endpoint for batch jobs: start it with batch.s3Endpoint (or --s3-endpoint) naming an S3-compatible server.");
    }
    this.#client ??= import("@aws-sdk/client-s3").then((sdk) => ({
      sdk,
      client: new sdk.S3Client({ endpoint, region: this.options.s3Region, forcePathStyle: true, credentials: { ...this.options.s3Credentials } }),
    }));
    return this.#client;
  }
}

/** s3://bucket/key/prefix -> bucket and key ("" for the bucket's root). */
export function parseS3Uri(uri: string): S3Location {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!match) throw new WireError("ValidationException", 400, `'${uri.slice(0, 200)}' is not an S3 URI (s3://bucket/prefix).`);
  return { bucket: match[1]!, key: match[2]! };
}

export function joinKey(prefix: string, name: string): string {
  if (prefix === "") return name;
  return prefix.endsWith("/") ? `${prefix}${name}` : `${prefix}/${name}`;
}

function isUnder(key: string, prefix: string): boolean {
  return prefix === "" || prefix.endsWith("/") ? key.startsWith(prefix) : key.startsWith(`${prefix}/`);
}
