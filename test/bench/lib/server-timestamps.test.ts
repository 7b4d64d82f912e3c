/**
 * server-timestamps patches node:http / node:http2 prototypes, so this file runs in a process of its own
 * (npm test: own process), and the patch stays inside this file. Servers listen on 127.0.0.1 only.
 *
 * No timed assertions: the handler stamps performance.now() around its own writes, and each recorded duration
 * must fall between the handler's stamps for the write the module is meant to pick. Sleeps between writes only
 * keep neighbouring writes' windows apart so that picking the wrong write cannot pass.
 */
import assert from "node:assert/strict";
import http from "node:http";
import http2 from "node:http2";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, describe, it } from "node:test";
import { installServerTimestamps, takeServerTimings } from "../../../bench/lib/server-timestamps.js";

const EVENT_STREAM = "application/vnd.amazon.eventstream";
const GAP_MS = 5;

interface Plan {
  /** Response headers. */
  headers: Record<string, string>;
  /** Number of res.write calls. */
  writes: number;
  /** Whether res.end carries a last chunk of data. */
  endWithData: boolean;
}

interface Stamps {
  /**
   * Two "end" listeners: the module stamps "body done" before each, the later stamp wins, so it lies between
   * the first listener's stamp and the second's.
   */
  bodyBefore: number;
  bodyAfter: number;
  /** Handler stamps right before and right after write i (the end call is the last one). */
  before: number[];
  after: number[];
}

let plan: Plan;
let stamps: Stamps;

installServerTimestamps();

type Req = http.IncomingMessage | http2.Http2ServerRequest;
type Res = http.ServerResponse | http2.Http2ServerResponse;

/** The calls the handler makes, typed once for both the HTTP/1.1 and the HTTP/2 response. */
interface Writer {
  writeHead(status: number, headers: Record<string, string>): unknown;
  write(chunk: string): unknown;
  end(chunk?: string): unknown;
}

function handle(req: Req, response: Res): void {
  const res = response as unknown as Writer;
  const s: Stamps = { bodyBefore: 0, bodyAfter: 0, before: [], after: [] };
  req.resume();
  req.on("end", () => (s.bodyBefore = performance.now()));
  req.on("end", async () => {
    s.bodyAfter = performance.now();
    res.writeHead(200, plan.headers);
    for (let i = 0; i < plan.writes; i++) {
      await sleep(GAP_MS);
      s.before.push(performance.now());
      res.write(`frame ${i}`);
      s.after.push(performance.now());
    }
    await sleep(GAP_MS);
    s.before.push(performance.now());
    if (plan.endWithData) res.end("last frame");
    else res.end();
    s.after.push(performance.now());
    stamps = s;
  });
}

/** Where the module's duration for write `index` must lie: that write's stamps minus the body-done window. */
function window(index: number): [number, number] {
  return [stamps.before[index]! - stamps.bodyAfter, stamps.after[index]! - stamps.bodyBefore];
}

function assertWithin(value: number | undefined, [low, high]: [number, number], what: string): void {
  assert.ok(value !== undefined, `${what} not recorded`);
  assert.ok(value >= low && value <= high, `${what} ${value} outside [${low}, ${high}]`);
}

describe("server timestamps over HTTP/1.1", () => {
  let server: http.Server;
  let port: number;

  before(async () => {
    server = http.createServer(handle);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  async function call(p: Plan): Promise<void> {
    plan = p;
    takeServerTimings(); // start empty
    const response = await fetch(`http://127.0.0.1:${port}/model/m/invoke`, { method: "POST", body: '{"prompt":"hi"}' });
    await response.arrayBuffer();
  }

  it("InvokeModelWithResponseStream: first delta is write 2, last delta the fourth from the end", async () => {
    const headers = { "content-type": EVENT_STREAM, "x-amzn-bedrock-content-type": "application/json" };
    await call({ headers, writes: 8, endWithData: false });
    const t = takeServerTimings();
    assert.equal(t.firstDeltaMs.length, 1);
    assert.equal(t.lastDeltaMs.length, 1);
    assert.deepEqual(t.wholeMs, []);
    assertWithin(t.firstDeltaMs[0], window(2), "first delta");
    assertWithin(t.lastDeltaMs[0], window(4), "last delta"); // writes 0..7: 5, 6, 7 follow the last delta
  });

  it("ConverseStream (no bedrock content type): first delta is write 1; data passed to end counts as a write", async () => {
    await call({ headers: { "Content-Type": EVENT_STREAM }, writes: 6, endWithData: true });
    const t = takeServerTimings();
    assertWithin(t.firstDeltaMs[0], window(1), "first delta");
    // writes 0..5 plus end's data as write 6: the last delta is write 3
    assertWithin(t.lastDeltaMs[0], window(3), "last delta");
  });

  it("records nothing for a stream too short to hold a delta and its three trailing frames", async () => {
    await call({ headers: { "content-type": EVENT_STREAM, "x-amzn-bedrock-content-type": "application/json" }, writes: 5, endWithData: false });
    assert.deepEqual(takeServerTimings(), { firstDeltaMs: [], lastDeltaMs: [], wholeMs: [] });
  });

  it("non-streamed responses: body received -> whole response written", async () => {
    await call({ headers: { "content-type": "application/json" }, writes: 0, endWithData: true });
    const t = takeServerTimings();
    assert.deepEqual(t.firstDeltaMs, []);
    assert.equal(t.wholeMs.length, 1);
    assertWithin(t.wholeMs[0], window(0), "whole");
  });

  it("takeServerTimings hands the timings over once and starts afresh", async () => {
    await call({ headers: { "content-type": "application/json" }, writes: 0, endWithData: true });
    await fetch(`http://127.0.0.1:${port}/`, { method: "POST", body: "x" }).then((r) => r.arrayBuffer());
    assert.equal(takeServerTimings().wholeMs.length, 2);
    assert.deepEqual(takeServerTimings(), { firstDeltaMs: [], lastDeltaMs: [], wholeMs: [] });
  });
});

describe("server timestamps over HTTP/2 (h2c)", () => {
  let server: http2.Http2Server;
  let client: http2.ClientHttp2Session;

  before(async () => {
    server = http2.createServer(handle);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    client = http2.connect(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  });
  after(async () => {
    client.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("times a streamed response like HTTP/1.1", async () => {
    plan = { headers: { "content-type": EVENT_STREAM, "x-amzn-bedrock-content-type": "application/json" }, writes: 7, endWithData: false };
    takeServerTimings();
    const stream = client.request({ ":method": "POST", ":path": "/model/m/invoke-with-response-stream" });
    stream.end('{"prompt":"hi"}');
    stream.resume();
    await new Promise<void>((resolve, reject) => {
      stream.on("end", resolve);
      stream.on("error", reject);
    });
    const t = takeServerTimings();
    assertWithin(t.firstDeltaMs[0], window(2), "first delta");
    assertWithin(t.lastDeltaMs[0], window(3), "last delta");
  });
});
