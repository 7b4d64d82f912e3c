/**
 * A server (a proxy, a wrong endpoint, an attacker's) that echoes the request's credentials back, in every
 * place and encoding: none of it reaches err.message, util.inspect(err, {showHidden, depth: null}) or
 * JSON.stringify(err). And NODE_DEBUG cannot print the credentials of a call.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { EventStreamCodec } from "@smithy/core/event-streams";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";
import { after, before, describe, it } from "node:test";
import { BedrockAsyncProvider } from "../../../../src/providers/bedrock/index.js";
import { ProviderError } from "../../../../src/schema/errors.js";
import { MODEL } from "../emulator-fixture.js";
import { CHILD_LOADER, childModulePath } from "../../../support/child-modules.js";
import { revealsSecret } from "../../../support/reveals-secret.js";

const ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE";
const SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const SESSION_TOKEN = "FwoGZXIvYXdzEJr//////////wEaDH+9/abQ1w2e3r4t5y6u7i8o9p0=";
const BEARER_KEY = "ABSKQmVkcm9ja0FQSUtleS1hYmMxMjM+/xyzxyzxyz=";

type Echo = (request: IncomingMessage, response: ServerResponse) => void;

const json = (response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
  response.writeHead(status, { "content-type": "application/json", ...headers });
  response.end(JSON.stringify(body));
};
const credentialOf = (request: IncomingMessage): string => String(request.headers["x-amz-security-token"] ?? request.headers["authorization"]);

const ECHOES: Record<string, Echo> = {
  "in x-amzn-* headers": (request, response) =>
    json(response, 403, { message: "denied" }, { "x-amzn-errortype": "AccessDeniedException", "x-amzn-echo-auth": String(request.headers["authorization"]), "x-amzn-echo-token": credentialOf(request), "x-amzn-requestid": credentialOf(request) }),
  "in an extra JSON field": (request, response) => json(response, 400, { __type: "ValidationException", message: "bad", token: credentialOf(request), Authorization: request.headers["authorization"] }),
  "in __type": (request, response) => json(response, 400, { __type: `ValidationException${credentialOf(request)}`, message: "bad" }),
  "in the message": (request, response) => json(response, 400, { __type: "ValidationException", message: `you sent ${String(request.headers["authorization"])} and ${credentialOf(request)}` }),
  "URL-encoded in a text body": (request, response) => {
    response.writeHead(502, { "content-type": "text/plain" });
    response.end(`upstream refused ?X-Amz-Security-Token=${encodeURIComponent(credentialOf(request))}&auth=${encodeURIComponent(String(request.headers["authorization"]))}`);
  },
  "URL-encoded with lower-case hex": (request, response) => {
    response.writeHead(502, { "content-type": "text/plain" });
    response.end(`token=${encodeURIComponent(credentialOf(request)).replace(/%[0-9A-F]{2}/g, (s) => s.toLowerCase())}`);
  },
  "JSON-escaped in a body that is not JSON (cut, or malformed)": (request, response) => {
    response.writeHead(400, { "content-type": "application/json" });
    const escaped = (value: string) => JSON.stringify(value).slice(1, -1).replace(/\//g, "\\/").replace(/\+/g, "\\u002B").replace(/=/g, "\\u003d");
    response.end(`{"message": "you sent ${escaped(credentialOf(request))}`);
  },
  "with every character \\u-escaped": (request, response) => {
    response.writeHead(400, { "content-type": "text/plain" });
    response.end(`${[...credentialOf(request).replace(/^Bearer /, "")].map((char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`).join("")}`);
  },
  "base64-encoded (for a bearer key, the whole header: the key is not aligned to base64's 3-byte groups)": (request, response) => {
    response.writeHead(502, { "content-type": "text/plain" });
    response.end(`dump ${Buffer.from(credentialOf(request)).toString("base64")}`);
  },
  "hex-encoded in an exception frame's message": (request, response) => {
    response.writeHead(200, { "content-type": "application/vnd.amazon.eventstream" });
    response.end(exceptionFrame(`bad header ${Buffer.from(credentialOf(request)).toString("hex")}`));
  },
  "as HTML character references in a proxy's error page": (request, response) => {
    response.writeHead(502, { "content-type": "text/html" });
    response.end(`<p>${credentialOf(request).replace(/[^A-Za-z0-9 ]/g, (char) => `&#x${char.charCodeAt(0).toString(16)};`)}</p>`);
  },
  "URL-encoded twice (a redirect of a redirect)": (request, response) => {
    response.writeHead(502, { "content-type": "text/plain" });
    response.end(`next=${encodeURIComponent(`/login?token=${encodeURIComponent(credentialOf(request))}`)}`);
  },
};

/** An event-stream exception frame whose JSON message is `message`. */
function exceptionFrame(message: string): Buffer {
  const codec = new EventStreamCodec(toUtf8, fromUtf8);
  const header = (value: string) => ({ type: "string" as const, value });
  const headers = { ":message-type": header("exception"), ":exception-type": header("validationException"), ":content-type": header("application/json") };
  return Buffer.from(codec.encode({ headers, body: fromUtf8(JSON.stringify({ message })) }));
}

const SECRETS = [ACCESS_KEY_ID, SECRET_KEY, SESSION_TOKEN, BEARER_KEY];

describe("errors carry no echoed credential", () => {
  let server: http.Server;
  let endpoint: string;
  let echo: Echo = () => undefined;

  before(async () => {
    server = http.createServer((request, response) => {
      request.resume();
      echo(request, response);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise((resolve) => server.close(resolve)));

  const providers = (): [string, BedrockAsyncProvider][] => {
    const base = { api_type: "bedrock_async", model: MODEL, region: "us-east-1", endpoint, max_attempts: 1 };
    return [
      ["session token (SigV4)", new BedrockAsyncProvider({ ...base, access_key_id: ACCESS_KEY_ID, secret_access_key: SECRET_KEY, session_token: SESSION_TOKEN })],
      ["Bedrock API key (bearer)", new BedrockAsyncProvider({ ...base, api_key: BEARER_KEY })],
    ];
  };

  for (const [where, respond] of Object.entries(ECHOES)) {
    it(`a response echoing the credentials ${where}`, async () => {
      echo = respond;
      for (const [auth, llm] of providers()) {
        for (const call of [() => llm.generate([{ role: "user", content: "hi" }]), () => llm.generateStreamResponse([{ role: "user", content: "hi" }])]) {
          await assert.rejects(call(), (error: unknown) => {
            assert.ok(error instanceof ProviderError, String(error));
            const shown = [error.message, inspect(error, { showHidden: true, depth: null }), JSON.stringify(error), String(error.stack)].join("\n");
            // Read as a person (or a log viewer) would, with what looks encoded decoded.
            for (const secret of SECRETS) assert.ok(!revealsSecret(shown, secret), `${auth}: ${secret} shown:\n${shown}`);
            return true;
          });
        }
        await llm.close();
      }
    });
  }

  it("a credential split over two exception frames: the error shows no part of it", async () => {
    echo = (request, response) => {
      const credential = credentialOf(request).replace(/^Bearer /, "");
      response.writeHead(200, { "content-type": "application/vnd.amazon.eventstream" });
      response.write(exceptionFrame(credential.slice(0, credential.length / 2)));
      response.end(exceptionFrame(credential.slice(credential.length / 2)));
    };
    for (const [auth, llm] of providers()) {
      await assert.rejects(llm.generateStreamResponse([{ role: "user", content: "hi" }]), (error: unknown) => {
        assert.ok(error instanceof ProviderError, String(error));
        const shown = [error.message, inspect(error, { showHidden: true, depth: null }), JSON.stringify(error)].join("\n");
        for (const secret of [SESSION_TOKEN, BEARER_KEY]) {
          for (let at = 0; at + 16 <= secret.length; at++) assert.ok(!shown.includes(secret.slice(at, at + 16)), `${auth}: part of ${secret} shown:\n${shown}`);
        }
        return true;
      });
      await llm.close();
    }
  });

  it("NODE_DEBUG=http,http2,net,tls cannot print a call's session token or bearer key", async () => {
    echo = (_request, response) => json(response, 200, { content: [{ type: "text", text: "fine" }], stop_reason: "end_turn", usage: { input_tokens: 1, output_tokens: 1 } });
    const child = spawn(process.execPath, [...CHILD_LOADER, childModulePath(new URL("./fixtures/call-with-credentials.ts", import.meta.url)), endpoint, SESSION_TOKEN, BEARER_KEY], {
      env: { ...process.env, NODE_DEBUG: "http,http2,net,tls" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (data: Buffer) => (stdout += data.toString()));
    child.stderr.on("data", (data: Buffer) => (stderr += data.toString()));
    await new Promise((resolve) => child.on("close", resolve));
    assert.match(stdout, /^fine$/m, stdout + stderr.slice(-2000));
    assert.match(stderr, /HTTP \d+: /, "the debug output was on");
    for (const secret of [SESSION_TOKEN, BEARER_KEY, SECRET_KEY]) assert.ok(!stderr.includes(secret), `NODE_DEBUG printed ${secret}`);
  });
});
