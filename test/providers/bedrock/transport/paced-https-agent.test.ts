import assert from "node:assert/strict";
import https from "node:https";
import type { TLSSocket } from "node:tls";
import { after, before, describe, it } from "node:test";
import { startEmulator, type Emulator } from "../../../../src/emulator/index.js";
import { PacedHttpsAgent } from "../../../../src/providers/bedrock/transport/paced-https-agent.js";

/** `count` GETs started at once on `agent`; what their sockets did during their TLS handshakes. */
async function burst(emulator: Emulator, agent: https.Agent, count: number): Promise<{ opened: number; resumed: number; mostAtOnce: number; statuses: number[] }> {
  const url = new URL(emulator.url);
  const seen = { opened: 0, resumed: 0, mostAtOnce: 0, statuses: [] as number[] };
  let handshaking = 0;
  await Promise.all(
    Array.from({ length: count }, () =>
      new Promise<void>((resolve, reject) => {
        const request = https.request({ agent, hostname: url.hostname, port: url.port, path: "/ping", method: "GET" }, (response) => {
          seen.statuses.push(response.statusCode ?? 0);
          response.resume();
          response.on("end", resolve);
        });
        request.on("socket", (socket: TLSSocket) => {
          if (!socket.connecting) return; // a pooled socket
          seen.opened++;
          seen.mostAtOnce = Math.max(seen.mostAtOnce, ++handshaking);
          socket.once("secureConnect", () => {
            handshaking--;
            if (socket.isSessionReused()) seen.resumed++;
          });
        });
        request.on("error", reject);
        request.end();
      }),
    ),
  );
  return seen;
}

describe("PacedHttpsAgent", () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({ tls: true });
  });
  after(async () => {
    await emulator.close();
  });

  it("opens at most maxHandshakes TLS connections at once in a burst, and the later ones resume the TLS session", async () => {
    const agent = new PacedHttpsAgent({ keepAlive: true, maxSockets: 100, ca: emulator.ca, maxHandshakes: 4 });
    try {
      const seen = await burst(emulator, agent, 40);
      assert.equal(seen.statuses.length, 40);
      assert.ok(seen.opened > 4, `the burst needs more connections than the pace allows, opened ${seen.opened}`);
      assert.ok(seen.mostAtOnce <= 4, `at most 4 handshakes at once, saw ${seen.mostAtOnce}`);
      // TLS 1.3 sends the session ticket just after the handshake, so a few connections opened at that moment miss it.
      assert.ok(seen.resumed >= seen.opened / 2, `${seen.resumed} of ${seen.opened} connections resumed a session`);
    } finally {
      agent.destroy();
    }
  });

  it("a plain https.Agent in the same burst runs every handshake at once and resumes none (what pacing changes)", async () => {
    const agent = new https.Agent({ keepAlive: true, maxSockets: 100, ca: emulator.ca });
    try {
      const seen = await burst(emulator, agent, 40);
      assert.ok(seen.mostAtOnce > 4);
      assert.equal(seen.resumed, 0);
    } finally {
      agent.destroy();
    }
  });

  it("a connection that fails frees its slot: the queued ones still open (and fail alike) instead of waiting forever", async () => {
    const agent = new PacedHttpsAgent({ keepAlive: true, maxSockets: 100, maxHandshakes: 2 }); // the emulator's CA not trusted
    try {
      const url = new URL(emulator.url);
      const outcomes = await Promise.all(
        Array.from({ length: 6 }, () =>
          new Promise<string>((resolve) => {
            const request = https.request({ agent, hostname: url.hostname, port: url.port, path: "/ping" }, () => resolve("answered"));
            request.on("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
            request.end();
          }),
        ),
      );
      assert.equal(outcomes.length, 6);
      assert.ok(outcomes.every((o) => o !== "answered" && /CERT|SELF_SIGNED|UNABLE/.test(o)), outcomes.join(", "));
    } finally {
      agent.destroy();
    }
  });

  it("destroyed while connections wait for their turn: those fail and are never opened", async () => {
    const agent = new PacedHttpsAgent({ keepAlive: true, maxSockets: 100, ca: emulator.ca, maxHandshakes: 1 });
    const url = new URL(emulator.url);
    const accepted = emulator.metrics.connectionsAccepted;
    const outcomes = Array.from({ length: 3 }, () =>
      new Promise<string>((resolve) => {
        const request = https.request({ agent, hostname: url.hostname, port: url.port, path: "/ping" }, () => resolve("answered"));
        request.on("error", (error: Error) => resolve(error.message));
        request.end();
      }),
    );
    await new Promise((resolve) => setImmediate(resolve)); // the requests are given to the agent
    agent.destroy();
    const [, ...waited] = await Promise.all(outcomes);
    for (const outcome of waited) assert.match(outcome, /pool was closed/);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(emulator.metrics.connectionsAccepted - accepted <= 1, `only the first connection was opened, saw ${emulator.metrics.connectionsAccepted - accepted}`);
  });
});
