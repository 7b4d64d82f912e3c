/**
 * `transport: "http2"`: calls as streams on a few HTTP/2 sessions, against the emulator (h2c and h2 over TLS)
 * and against small node:http2 servers that misbehave on purpose (GOAWAY, a session cut mid-stream, silence).
 */
import assert from "node:assert/strict";
import http2 from "node:http2";
import net, { type AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { EXAMPLE_CREDENTIALS, type Emulator } from "../../../../src/emulator/index.js";
import { encodeChunkFrame } from "../../../../src/emulator/encode-event-frame.js";
import { BedrockAsyncProvider } from "../../../../src/providers/bedrock/index.js";
import { CallSlots } from "../../../../src/providers/bedrock/transport/call-slots.js";
import { BedrockTransport, type TransportAuth } from "../../../../src/providers/bedrock/transport/bedrock-transport.js";
import { Http2SessionPool } from "../../../../src/providers/bedrock/transport/http2-session-pool.js";
import { readEventStream } from "../../../../src/providers/bedrock/transport/read-event-stream.js";
import { BedrockServiceError, ConfigError, NetworkError, TimeoutError } from "../../../../src/schema/errors.js";
import { collect, emulatorWith, MODEL, providerFor } from "../emulator-fixture.js";

/** No max_concurrency limit: these tests are about the transport itself. */
const unlimited = (): CallSlots => new CallSlots(Number.POSITIVE_INFINITY);

const BODY = JSON.stringify({ anthropic_version: "bedrock-2023-05-31", max_tokens: 50, messages: [{ role: "user", content: "Hello there" }] });
const STREAM_PATH = `/model/${encodeURIComponent(MODEL)}/invoke-with-response-stream`;
const SIGV4: TransportAuth = { kind: "sigv4", credentials: () => ({ ...EXAMPLE_CREDENTIALS }) };
const SECRET = EXAMPLE_CREDENTIALS.secretAccessKey;
const hi = [{ role: "user" as const, content: "hi" }];

function http2Provider(endpoint: string, config: Record<string, unknown> = {}): BedrockAsyncProvider {
  return new BedrockAsyncProvider(
    { api_type: "bedrock_async", model: MODEL, region: "us-east-1", access_key_id: EXAMPLE_CREDENTIALS.accessKeyId, secret_access_key: SECRET, endpoint, ...config },
    { transport: "http2", retry: { baseDelayMs: 1, maxDelayMs: 5 } },
  );
}

function deltaFrame(text: string, seed: number): Buffer {
  return encodeChunkFrame(JSON.stringify({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text } }), seed);
}

/** A text delta and the events that end an Anthropic answer. */
function finalFrames(text: string): Buffer {
  const event = (json: unknown, seed: number) => encodeChunkFrame(JSON.stringify(json), seed);
  return Buffer.concat([
    deltaFrame(text, 1),
    event({ type: "message_delta", delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: 1 } }, 2),
    event({ type: "message_stop" }, 3),
  ]);
}

/** An h2c server whose streams `respond` handles; counts the sessions it accepted. */
async function h2cServer(respond: (stream: http2.ServerHttp2Stream, session: http2.ServerHttp2Session) => void): Promise<{ url: string; sessions: () => number; open: () => number; close: () => Promise<void> }> {
  const server = http2.createServer();
  let sessions = 0;
  const open = new Set<http2.ServerHttp2Session>();
  server.on("session", (session) => {
    sessions++;
    open.add(session);
    session.once("close", () => open.delete(session));
  });
  server.on("stream", (stream) => {
    stream.on("error", () => undefined);
    respond(stream, stream.session as http2.ServerHttp2Session);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    sessions: () => sessions,
    open: () => open.size,
    close: async () => {
      for (const session of open) session.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

async function waitUntil(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.ok(check(), what);
}

function startEventStream(stream: http2.ServerHttp2Stream): void {
  stream.respond({ ":status": 200, "content-type": "application/vnd.amazon.eventstream" });
}

for (const tls of [false, true]) {
  describe(`transport "http2" against the emulator (${tls ? "h2 over TLS, ALPN" : "h2c"})`, () => {
    let emulator: Emulator;
    before(async () => {
      emulator = await emulatorWith({ tls, script: { rules: [{ match: { text: "slow chunks" }, respond: { text: "a b c d e f g h", chunksPerAnswer: 8, chunkDelayMs: 150 } }] } });
    });
    after(async () => {
      await emulator.close();
    });

    it("generate, generateStream and Converse (generate and stream) go out as HTTP/2 requests", async () => {
      const provider = providerFor(emulator, {}, { transport: "http2" });
      const nova = providerFor(emulator, { model: "amazon.nova-lite-v1:0" }, { transport: "http2" });
      const from = emulator.requests.length;
      try {
        assert.ok((await provider.generate(hi)).length > 0);
        assert.ok((await collect(provider.generateStream(hi))).join("").length > 0);
        assert.ok((await nova.generate(hi)).length > 0);
        assert.ok((await collect(nova.generateStream(hi))).join("").length > 0);
      } finally {
        await provider.close();
        await nova.close();
      }
      const seen = emulator.requests.slice(from).map((request) => `${request.operation} ${request.protocol} ${request.authType}`);
      assert.deepEqual(seen, ["InvokeModel h2 sigv4", "InvokeModelWithResponseStream h2 sigv4", "Converse h2 sigv4", "ConverseStream h2 sigv4"]);
    });

    it("200 concurrent streams share one session, and each gets its whole answer", async () => {
      const provider = providerFor(emulator, {}, { transport: "http2" });
      try {
        const answers = await Promise.all(Array.from({ length: 200 }, () => collect(provider.generateStream([{ role: "user", content: "slow chunks" }]))));
        assert.ok(answers.every((pieces) => pieces.join("") === answers[0]!.join("") && pieces.length > 1));
        // The emulator allows 1,000 streams per session: the first 100 (before its SETTINGS) and the rest share it.
        assert.ok(emulator.metrics.openConnections <= 2, `open connections: ${emulator.metrics.openConnections}`);
      } finally {
        await provider.close();
      }
      assert.equal(emulator.requests.at(-1)!.protocol, "h2");
    });

    it("a consumer that stops early or aborts releases its stream; the session carries the next calls", async () => {
      const provider = providerFor(emulator, {}, { transport: "http2" });
      try {
        for await (const _text of provider.generateStream([{ role: "user", content: "slow chunks" }])) break;
        const controller = new AbortController();
        const aborted = collect(provider.generateStream([{ role: "user", content: "slow chunks" }], { signal: controller.signal }));
        setTimeout(() => controller.abort(new Error("user stop")), 200);
        await assert.rejects(aborted, (error: unknown) => (error as Error).name === "AbortError");
        const connections = emulator.metrics.openConnections;
        assert.ok((await collect(provider.generateStream(hi))).length > 0);
        assert.equal(emulator.metrics.openConnections, connections, "no new connection was opened");
      } finally {
        await provider.close();
      }
    });
  });
}

describe("Http2SessionPool: sessions, limits and failures", () => {
  it("opens a second session only when the first carries as many streams as the server allows", async () => {
    const held: http2.ServerHttp2Stream[] = [];
    const server = http2.createServer({ settings: { maxConcurrentStreams: 3 } });
    let sessions = 0;
    server.on("session", () => sessions++);
    server.on("stream", (stream) => {
      startEventStream(stream);
      held.push(stream);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const pool = new Http2SessionPool({ endpoint: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`) });
    const transport = new BedrockTransport({ endpoint: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`), region: "us-east-1", slots: unlimited(), auth: SIGV4, sessions: pool });
    try {
      // One call first, so the server's SETTINGS (3 streams) are known before the burst.
      const first = await transport.open(STREAM_PATH, BODY, {}, { signal: new AbortController().signal, headersAreIdle: true });
      const rest = await Promise.all(Array.from({ length: 5 }, () => transport.open(STREAM_PATH, BODY, {}, { signal: new AbortController().signal, headersAreIdle: true })));
      assert.equal(sessions, 2);
      assert.equal(pool.sessionCount, 2);
      for (const response of [first, ...rest]) response.destroy();
    } finally {
      pool.close();
      for (const stream of held) stream.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("a GOAWAY before the response fails the refused stream with a retryable NetworkError; the next call opens a new session", async () => {
    const server = await goawayOnceServer("fine");
    const provider = http2Provider(server.url, { max_attempts: 1 });
    try {
      await assert.rejects(collect(provider.generateStream(hi)), (error: unknown) => {
        assert.ok(error instanceof NetworkError, String(error));
        assert.equal(error.retryable, true);
        assert.ok(!error.message.includes(SECRET));
        return true;
      });
      assert.deepEqual(await collect(provider.generateStream(hi)), ["fine"]);
      assert.equal(server.sessions(), 2);
    } finally {
      await provider.close();
      await server.close();
    }
  });

  it("the retry layer sends a call refused by a GOAWAY again, on a new session", async () => {
    const server = await goawayOnceServer("again");
    const provider = http2Provider(server.url, { max_attempts: 3 });
    try {
      assert.deepEqual(await collect(provider.generateStream(hi)), ["again"]);
    } finally {
      await provider.close();
      await server.close();
    }
  });

  it("a session destroyed mid-stream: the events before it, then a NetworkError; other sessions are unaffected", async () => {
    let calls = 0;
    const server = await h2cServer((stream, session) => {
      calls++;
      startEventStream(stream);
      stream.write(deltaFrame("part", 1));
      if (calls === 1) setTimeout(() => session.destroy(), 50);
      else stream.end(finalFrames(" two"));
    });
    const provider = http2Provider(server.url, { max_attempts: 1 });
    try {
      const seen: string[] = [];
      await assert.rejects(
        (async () => {
          for await (const text of provider.generateStream(hi)) seen.push(text);
        })(),
        (error: unknown) => {
          assert.ok(error instanceof NetworkError, String(error));
          assert.ok(!error.message.includes(SECRET));
          return true;
        },
      );
      assert.deepEqual(seen, ["part"]);
      assert.deepEqual(await collect(provider.generateStream(hi)), ["part", " two"]);
    } finally {
      await provider.close();
      await server.close();
    }
  });

  it("a consumer that stops after the first text resets its stream with CANCEL; the session carries the next call", async () => {
    const codes: number[] = [];
    let calls = 0;
    const server = await h2cServer((stream) => {
      startEventStream(stream);
      if (++calls === 1) {
        stream.write(deltaFrame("first", 1));
        return void stream.once("close", () => codes.push(stream.rstCode ?? -1));
      }
      stream.end(finalFrames("next"));
    });
    const provider = http2Provider(server.url);
    try {
      for await (const _text of provider.generateStream(hi)) break;
      await waitUntil(() => codes.length === 1, "the server saw the stream end");
      assert.deepEqual(codes, [http2.constants.NGHTTP2_CANCEL]);
      assert.deepEqual(await collect(provider.generateStream(hi)), ["next"]);
      assert.equal(server.sessions(), 1);
    } finally {
      await provider.close();
      await server.close();
    }
  });

  it("an HTTP error status is the service error it carries (one error path with HTTP/1.1); the session stays usable", async () => {
    let calls = 0;
    const server = await h2cServer((stream) => {
      if (++calls === 1) {
        stream.respond({ ":status": 429, "content-type": "application/json", "x-amzn-errortype": "ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/", "x-amzn-requestid": "req-h2" });
        return void stream.end(JSON.stringify({ message: "Too many requests, please wait before trying again." }));
      }
      startEventStream(stream);
      stream.end(finalFrames("after"));
    });
    const provider = http2Provider(server.url, { max_attempts: 1 });
    try {
      await assert.rejects(collect(provider.generateStream(hi)), (error: unknown) => {
        assert.ok(error instanceof BedrockServiceError, String(error));
        assert.equal(error.status, 429);
        assert.equal(error.retryable, true);
        assert.match(error.message, /Too many requests/);
        return true;
      });
      assert.deepEqual(await collect(provider.generateStream(hi)), ["after"]);
      assert.equal(server.sessions(), 1);
    } finally {
      await provider.close();
      await server.close();
    }
  });

  it("a refused connection is a retryable NetworkError (ECONNREFUSED), without the secret", async () => {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const provider = http2Provider(`http://127.0.0.1:${port}`, { max_attempts: 1 });
    try {
      for (const call of [() => provider.generate(hi), () => collect(provider.generateStream(hi))]) {
        await assert.rejects(call(), (error: unknown) => {
          assert.ok(error instanceof NetworkError, String(error));
          assert.equal(error.retryable, true);
          assert.equal(error.networkCode, "ECONNREFUSED");
          assert.ok(!error.message.includes(SECRET) && !JSON.stringify(error).includes(SECRET));
          return true;
        });
      }
    } finally {
      await provider.close();
    }
  });

  it("a server that never finishes the HTTP/2 handshake: TimeoutError connect", async () => {
    const silent = net.createServer(() => undefined); // accepts TCP, never sends its SETTINGS
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const provider = http2Provider(`http://127.0.0.1:${(silent.address() as AddressInfo).port}`, { max_attempts: 1, connect_timeout: 200 });
    try {
      await assert.rejects(collect(provider.generateStream(hi)), (error: unknown) => error instanceof TimeoutError && error.kind === "connect");
    } finally {
      await provider.close();
      silent.close();
    }
  });

  it("a response that never starts, then a stream that goes silent: TimeoutError idle, and the session stays usable", async () => {
    let calls = 0;
    const server = await h2cServer((stream) => {
      calls++;
      if (calls === 1) return; // no response
      startEventStream(stream);
      if (calls === 2) return void stream.write(deltaFrame("then nothing", 1));
      stream.end(finalFrames("ok"));
    });
    const provider = http2Provider(server.url, { max_attempts: 1, idle_timeout: 200 });
    try {
      await assert.rejects(collect(provider.generateStream(hi)), (error: unknown) => error instanceof TimeoutError && error.kind === "idle");
      await assert.rejects(collect(provider.generateStream(hi)), (error: unknown) => error instanceof TimeoutError && error.kind === "idle");
      assert.deepEqual(await collect(provider.generateStream(hi)), ["ok"]);
      assert.equal(server.sessions(), 1);
    } finally {
      await provider.close();
      await server.close();
    }
  });

  // nghttp2 ends such a session itself (it sends GOAWAY and reads no more) but Node reports nothing: the
  // session looks open, and every call sent on it would wait for its timeout.
  const poisons: Record<string, (streamId: number) => Buffer> = {
    "a SETTINGS frame with more entries than the client takes": () => h2Frame(4, 0, 0, Buffer.concat(Array.from({ length: 40 }, (_, i) => Buffer.from([0, 0x70 + (i % 8), 0, 0, 0, 1])))),
    "a DATA frame larger than the client's SETTINGS_MAX_FRAME_SIZE": (streamId) => h2Frame(0, 0, streamId, Buffer.alloc(20_000)),
  };
  for (const [poison, frame] of Object.entries(poisons)) {
    it(`${poison}: the call that sees it times out, the session does not answer a PING and is closed, the next call goes out on a new one`, async () => {
      const server = await rawH2cServer((socket, streamId, call, connection) => {
        if (connection === 1 && call === 2) return void socket.write(frame(streamId));
        socket.write(h2Frame(1, 4, streamId, Buffer.from([0x88, 0x00, 12, ...Buffer.from("content-type"), 16, ...Buffer.from("application/json")])));
        socket.write(h2Frame(0, 1, streamId, Buffer.from(JSON.stringify({ id: "m", type: "message", role: "assistant", content: [{ type: "text", text: `call ${call}` }], stop_reason: "end_turn", usage: { input_tokens: 1, output_tokens: 1 } }))));
      });
      const provider = http2Provider(server.url, { max_attempts: 2, connect_timeout: 200 });
      try {
        assert.equal(await provider.generate(hi), "call 1");
        await assert.rejects(provider.generate(hi, { timeout: 300 }), (error: unknown) => error instanceof TimeoutError && error.kind === "total");
        // Sent before the PING's deadline: on the dead session, failed with it (retryable), so retried on a new one.
        assert.equal(await provider.generate(hi, { timeout: 5000 }), "call 1");
        assert.equal(server.connections(), 2);
        assert.equal(await provider.generate(hi, { timeout: 5000 }), "call 2", "the new session is reused");
      } finally {
        await provider.close();
        await server.close();
      }
    });
  }

  it("a non-streaming call waiting on a session that stopped reading: the session is PINGed each idle timeout, and closed unanswered", async () => {
    const server = await rawH2cServer((socket) => void socket.write(poisons["a SETTINGS frame with more entries than the client takes"]!(0)));
    const provider = http2Provider(server.url, { max_attempts: 1, idle_timeout: 200, connect_timeout: 200 });
    try {
      await assert.rejects(provider.generate(hi, { timeout: 10_000 }), (error: unknown) => {
        assert.ok(error instanceof NetworkError, String(error));
        assert.equal(error.networkCode, "session_unresponsive");
        assert.equal(error.retryable, true);
        return true;
      });
    } finally {
      await provider.close();
      await server.close();
    }
  });

  it("a session that answers its PINGs is kept, even when this process was too busy to read the answer before the deadline", async () => {
    let pings = 0;
    const server = await h2cServer((stream, session) => {
      if (!session.listenerCount("ping")) {
        session.on("ping", () => {
          // The first PING: the process (client included) blocks past the client's deadline, as a long
          // synchronous task would; the answer then waits in the socket while the deadline's timer is due.
          if (++pings !== 1) return;
          const until = Date.now() + 600;
          while (Date.now() < until);
        });
      }
      setTimeout(() => {
        stream.respond({ ":status": 200, "content-type": "application/json" });
        stream.end(JSON.stringify({ id: "m", type: "message", role: "assistant", content: [{ type: "text", text: "late" }], stop_reason: "end_turn", usage: { input_tokens: 1, output_tokens: 1 } }));
      }, 1_500);
    });
    const provider = http2Provider(server.url, { max_attempts: 1, idle_timeout: 200, connect_timeout: 200 });
    try {
      assert.equal(await provider.generate(hi, { timeout: 10_000 }), "late");
      assert.ok(pings >= 2, `the session was PINGed each idle timeout (${pings})`);
      assert.equal(server.sessions(), 1);
    } finally {
      await provider.close();
      await server.close();
    }
  });

  it("a transport other than http1 or http2 is a ConfigError when the provider is created", () => {
    assert.throws(
      () => new BedrockAsyncProvider({ api_type: "bedrock_async", model: MODEL, region: "us-east-1" }, { transport: "http3" as "http2" }),
      (error: unknown) => error instanceof ConfigError && /transport must be "http1" or "http2", got "http3"/.test(error.message),
    );
  });

  it("close() of the provider closes its sessions", async () => {
    const server = await h2cServer((stream) => {
      startEventStream(stream);
      stream.end(finalFrames("bye"));
    });
    const provider = http2Provider(server.url);
    try {
      assert.deepEqual(await collect(provider.generateStream(hi)), ["bye"]);
      assert.equal(server.open(), 1, "an idle session stays open for the next call");
      await provider.close();
      await waitUntil(() => server.open() === 0, "the server saw the session close");
    } finally {
      await server.close();
    }
  });
});

/** Sends an event stream through the reader directly, to show it reads an HTTP/2 stream like an HTTP/1.1 body. */
describe("read-event-stream over an HTTP/2 stream", () => {
  it("decodes the frames a session delivers", async () => {
    const server = await h2cServer((stream) => {
      startEventStream(stream);
      stream.write(deltaFrame("a", 1));
      stream.end(deltaFrame("b", 2));
    });
    const pool = new Http2SessionPool({ endpoint: new URL(server.url) });
    const transport = new BedrockTransport({ endpoint: new URL(server.url), region: "us-east-1", slots: unlimited(), auth: SIGV4, sessions: pool });
    try {
      const response = await transport.open(STREAM_PATH, BODY, {}, { signal: new AbortController().signal, headersAreIdle: true });
      let events = 0;
      for await (const batch of await readEventStream(response, (messages, into) => into.push(...messages))) events += batch.length;
      assert.equal(events, 2);
    } finally {
      pool.close();
      await server.close();
    }
  });
});

/** Refuses the first call as a server going away does (GOAWAY, the stream refused: RFC 9113 section 8.7); answers `text` after. */
function goawayOnceServer(text: string): ReturnType<typeof h2cServer> {
  let first = true;
  return h2cServer((stream, session) => {
    if (first) {
      first = false;
      session.goaway(http2.constants.NGHTTP2_NO_ERROR, 0);
      return stream.close(http2.constants.NGHTTP2_REFUSED_STREAM);
    }
    startEventStream(stream);
    stream.end(finalFrames(text));
  });
}

function h2Frame(type: number, flags: number, streamId: number, payload: Buffer = Buffer.alloc(0)): Buffer {
  const header = Buffer.alloc(9);
  header.writeUIntBE(payload.length, 0, 3);
  header[3] = type;
  header[4] = flags;
  header.writeUInt32BE(streamId, 5);
  return Buffer.concat([header, payload]);
}

/**
 * An h2c server written frame by frame, to send what node:http2 refuses to: `respond` gets each request's
 * stream id, its number on its connection and the connection's number (both from 1).
 */
async function rawH2cServer(respond: (socket: net.Socket, streamId: number, call: number, connection: number) => void): Promise<{ url: string; connections: () => number; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    const connection = sockets.size + closedConnections + 1;
    sockets.add(socket);
    socket.once("close", () => {
      sockets.delete(socket);
      closedConnections++;
    });
    socket.on("error", () => undefined);
    socket.write(h2Frame(4, 0, 0));
    let pending = Buffer.alloc(0);
    let prefaceRead = false;
    let calls = 0;
    socket.on("data", (bytes: Buffer) => {
      pending = Buffer.concat([pending, bytes]);
      if (!prefaceRead) {
        if (pending.length < 24) return;
        pending = pending.subarray(24);
        prefaceRead = true;
      }
      while (pending.length >= 9 && pending.length >= 9 + pending.readUIntBE(0, 3)) {
        const [type, flags, streamId] = [pending[3]!, pending[4]!, pending.readUInt32BE(5) & 0x7fffffff];
        pending = pending.subarray(9 + pending.readUIntBE(0, 3));
        if (type === 4 && (flags & 1) === 0) socket.write(h2Frame(4, 1, 0));
        if (type === 1) respond(socket, streamId, ++calls, connection);
      }
    });
  });
  let closedConnections = 0;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections: () => sockets.size + closedConnections,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
