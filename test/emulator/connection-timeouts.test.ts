import assert from "node:assert/strict";
import http from "node:http";
import http2 from "node:http2";
import net from "node:net";
import tls from "node:tls";
import { afterEach, describe, it } from "node:test";
import { ConfigError } from "../../src/schema/errors.js";
import { startEmulator, type Emulator, type EmulatorOptions } from "../../src/emulator/index.js";
import { MODEL_ID } from "./support/sdk-client.js";
import { answerPlan, SwitchablePlanner } from "./support/stand-in-planner.js";

const PATH = `/model/${encodeURIComponent(MODEL_ID)}/converse`;
const SHORT = 200;
const LONG = 60_000;
/** Guards against a hang only: the server closes these sockets after SHORT ms. */
const HANG_GUARD_MS = 15_000;

let emulator: Emulator | undefined;
const cleanups: Array<() => void> = [];

async function start(options: EmulatorOptions): Promise<Emulator> {
  emulator = await startEmulator({ auth: false, headersTimeoutMs: LONG, requestTimeoutMs: LONG, idleTimeoutMs: LONG, ...options });
  return emulator;
}

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  await emulator?.close();
  emulator = undefined;
});

function port(server: Emulator): number {
  return Number(new URL(server.url).port);
}

function connect(server: Emulator): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port(server), "127.0.0.1", () => resolve(socket));
    socket.on("error", () => undefined);
    socket.once("error", reject);
    cleanups.push(() => socket.destroy());
  });
}

/** Resolves when the socket closes; fails the test if it is still open after the hang guard. */
function closed(socket: { once(event: "close", listener: () => void): unknown }, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const guard = setTimeout(() => reject(new Error(`${what}: still open after ${HANG_GUARD_MS} ms`)), HANG_GUARD_MS);
    socket.once("close", () => {
      clearTimeout(guard);
      resolve();
    });
  });
}

/** Writes `text` one byte at a time, every `everyMs`, until the socket closes. */
function trickle(socket: net.Socket, text: string, everyMs: number): void {
  let index = 0;
  const timer = setInterval(() => {
    if (socket.destroyed || index >= text.length) return clearInterval(timer);
    socket.write(text[index++]!);
  }, everyMs);
  cleanups.push(() => clearInterval(timer));
}

describe("connection timeouts", () => {
  it("headersTimeoutMs: a connection that never sends a byte is closed by the server", async () => {
    const server = await start({ headersTimeoutMs: SHORT });
    const socket = await connect(server);
    await closed(socket, "silent connection");
    assert.equal(server.metrics.requests, 0);
  });

  it("headersTimeoutMs: a partial HTTP/2 preface is closed", async () => {
    const server = await start({ headersTimeoutMs: SHORT });
    const socket = await connect(server);
    socket.write("PRI * HTTP/2");
    await closed(socket, "partial preface");
  });

  it("headersTimeoutMs: a complete HTTP/2 preface with no request is closed", async () => {
    const server = await start({ headersTimeoutMs: SHORT });
    const session = http2.connect(server.url);
    session.on("error", () => undefined);
    cleanups.push(() => session.destroy());
    await closed(session, "h2 session without a request");
  });

  it("headersTimeoutMs: HTTP/1.1 headers sent one byte at a time are cut off", async () => {
    const server = await start({ headersTimeoutMs: SHORT });
    const socket = await connect(server);
    trickle(socket, `POST ${PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}`, 50);
    await closed(socket, "slow headers");
    assert.equal(server.metrics.requests, 0, "the request never reached the handler");
  });

  it("requestTimeoutMs: HTTP/1.1 headers with a body that never comes: the connection is closed", async () => {
    const server = await start({ requestTimeoutMs: SHORT });
    const socket = await connect(server);
    socket.write(`POST ${PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"mess`);
    await closed(socket, "missing body");
    assert.equal(server.metrics.requests, 1);
  });

  it("requestTimeoutMs + idleTimeoutMs: an HTTP/2 stream left open is reset, then the idle session is closed", async () => {
    const server = await start({ requestTimeoutMs: SHORT, idleTimeoutMs: SHORT });
    const session = http2.connect(server.url);
    session.on("error", () => undefined);
    cleanups.push(() => session.destroy());
    const stream = session.request({ ":method": "POST", ":path": PATH, "content-type": "application/json" });
    stream.on("error", () => undefined);
    stream.write("{");
    await closed(stream, "open h2 stream");
    assert.equal(stream.rstCode, http2.constants.NGHTTP2_CANCEL);
    await closed(session, "idle h2 session");
  });

  it("idleTimeoutMs: an HTTP/1.1 keep-alive connection is closed once idle after its request", async () => {
    const server = await start({ idleTimeoutMs: SHORT });
    const agent = new http.Agent({ keepAlive: true });
    cleanups.push(() => agent.destroy());
    const socket = await new Promise<net.Socket>((resolve, reject) => {
      const req = http.request(new URL(PATH, server.url), { method: "POST", agent }, (res) => {
        assert.equal(res.statusCode, 200);
        res.resume();
        res.on("end", () => resolve(req.socket!));
      });
      req.on("error", reject);
      req.end(JSON.stringify({ messages: [{ role: "user", content: [{ text: "hi" }] }] }));
    });
    await closed(socket, "idle keep-alive connection");
  });

  it("a response the emulator delays on purpose (a stall fault) is not cut by the client timeouts", async () => {
    const planner = new SwitchablePlanner();
    planner.plan = answerPlan({ fault: { type: "stall", afterChunks: 1 } });
    const server = await start({ planner: planner.planRequest, headersTimeoutMs: SHORT, requestTimeoutMs: SHORT, idleTimeoutMs: SHORT });
    const session = http2.connect(server.url);
    session.on("error", () => undefined);
    cleanups.push(() => session.destroy());
    const stream = session.request({ ":method": "POST", ":path": `/model/${encodeURIComponent(MODEL_ID)}/converse-stream` });
    stream.on("error", () => undefined);
    stream.end(JSON.stringify({ messages: [{ role: "user", content: [{ text: "hi" }] }] }));
    await new Promise<void>((resolve) => stream.once("data", () => resolve()));
    await new Promise((resolve) => setTimeout(resolve, SHORT * 5));
    assert.equal(stream.closed, false, "the stalled stream is still open");
    assert.equal(server.metrics.streamsInFlight, 1);
  });

  it("TLS: a connection that never starts its handshake, and an HTTP/1.1 one that never sends headers, are closed", async () => {
    const server = await start({ tls: true, headersTimeoutMs: SHORT });
    const raw = await connect(server);
    await closed(raw, "TLS connection without a handshake");
    const secure = tls.connect({ port: port(server), host: "127.0.0.1", ca: server.ca, servername: "localhost", ALPNProtocols: ["http/1.1"] });
    secure.on("error", () => undefined);
    cleanups.push(() => secure.destroy());
    await new Promise<void>((resolve) => secure.once("secureConnect", () => resolve()));
    await closed(secure, "TLS HTTP/1.1 without headers");
  });

  it("rejects a negative or fractional timeout with a ConfigError naming the option", async () => {
    await assert.rejects(startEmulator({ idleTimeoutMs: -1 }), (error: unknown) => error instanceof ConfigError && /idleTimeoutMs/.test(error.message));
    await assert.rejects(startEmulator({ headersTimeoutMs: 1.5 }), (error: unknown) => error instanceof ConfigError && /headersTimeoutMs/.test(error.message));
  });
});
