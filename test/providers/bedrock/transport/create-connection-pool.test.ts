import assert from "node:assert/strict";
import https from "node:https";
import { after, before, describe, it, mock } from "node:test";
import tls, { type TLSSocket } from "node:tls";
import { startEmulator, type Emulator } from "../../../../src/emulator/index.js";
import { createTlsCertificate } from "../../../../src/emulator/tls-certificate.js";
import { createConnectionPool } from "../../../../src/providers/bedrock/transport/create-connection-pool.js";

interface Outcome {
  /** The HTTP status of the answer (any: what counts is that one came over the connection). */
  status?: number;
  authorized?: boolean;
  errorCode?: string;
}

/** `count` GETs at once on the pool's agent, each on a connection of its own (the pool allows `count` sockets). */
function getAll(emulator: Emulator, agent: https.Agent, count: number): Promise<Outcome[]> {
  const url = new URL(emulator.url);
  return Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<Outcome>((resolve) => {
          const request = https.request({ agent, hostname: url.hostname, port: url.port, path: "/ping", method: "GET" }, (response) => {
            const authorized = (response.socket as TLSSocket).authorized;
            response.resume();
            response.on("end", () => resolve({ status: response.statusCode ?? 0, authorized }));
          });
          request.on("error", (error: NodeJS.ErrnoException) => resolve({ errorCode: error.code ?? error.message }));
          request.end();
        }),
    ),
  );
}

describe("createConnectionPool over TLS", () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({ tls: true });
  });
  after(async () => {
    await emulator.close();
  });

  it("verifies the endpoint's certificate against the configured ca, with one TLS context for all its connections", async () => {
    const { agent } = await createConnectionPool({ endpoint: new URL(emulator.url), maxConcurrency: 4, ca: emulator.ca });
    const contexts = mock.method(tls, "createSecureContext");
    try {
      const outcomes = await getAll(emulator, agent as https.Agent, 4);
      assert.equal(outcomes.length, 4);
      for (const outcome of outcomes) {
        assert.equal(outcome.errorCode, undefined);
        assert.equal(typeof outcome.status, "number");
        assert.equal(outcome.authorized, true);
      }
      assert.equal(contexts.mock.callCount(), 0, "no TLS context built per connection");
    } finally {
      contexts.mock.restore();
      agent!.destroy();
    }
  });

  it("refuses the endpoint when the configured ca did not sign its certificate", async () => {
    const other = await createTlsCertificate();
    const { agent } = await createConnectionPool({ endpoint: new URL(emulator.url), maxConcurrency: 2, ca: other.cert });
    try {
      const outcomes = await getAll(emulator, agent as https.Agent, 2);
      for (const outcome of outcomes) {
        assert.equal(outcome.status, undefined, "no answer over an unverified connection");
        assert.match(outcome.errorCode ?? "", /CERT|SIGNATURE|ISSUER/, `a certificate error, got ${outcome.errorCode}`);
      }
    } finally {
      agent!.destroy();
    }
  });

  it("without a ca, verifies against the default roots (which do not hold the emulator's self-signed certificate)", async () => {
    const { agent } = await createConnectionPool({ endpoint: new URL(emulator.url), maxConcurrency: 1 });
    try {
      const [outcome] = await getAll(emulator, agent as https.Agent, 1);
      assert.equal(outcome!.status, undefined);
      assert.match(outcome!.errorCode ?? "", /CERT|SIGNATURE|ISSUER/, `a certificate error, got ${outcome!.errorCode}`);
    } finally {
      agent!.destroy();
    }
  });
});
