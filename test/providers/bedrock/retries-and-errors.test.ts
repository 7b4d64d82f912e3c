import assert from "node:assert/strict";
import { inspect } from "node:util";
import { after, before, describe, it } from "node:test";
import { EMULATOR_API_KEY, EXAMPLE_CREDENTIALS, type Emulator } from "../../../src/emulator/index.js";
import { BedrockServiceError, ConfigError, NetworkError, ProviderError } from "../../../src/schema/errors.js";
import { collect, emulatorWith, providerFor } from "./emulator-fixture.js";

const ERRORS: [name: string, status: number, retryable: boolean][] = [
  ["ValidationException", 400, false],
  ["AccessDeniedException", 403, false],
  ["ResourceNotFoundException", 404, false],
  ["ThrottlingException", 429, true],
  ["ServiceUnavailableException", 503, true],
  ["InternalServerException", 500, true],
  ["ModelTimeoutException", 408, false],
  ["ModelNotReadyException", 429, true],
  ["ModelErrorException", 424, false],
  ["ServiceQuotaExceededException", 400, false],
];

describe("retries and typed errors", () => {
  let emulator: Emulator;

  before(async () => {
    emulator = await emulatorWith({
      script: {
        rules: [
          ...ERRORS.map(([name]) => ({ match: { text: `fail with ${name}` }, respond: { error: { name } } }) as never),
          {
            match: { text: "throttled twice" },
            sequence: [{ error: { name: "ThrottlingException" } }, { error: { name: "ThrottlingException" } }, { text: "Third time lucky." }],
            loop: true,
          },
          { match: { text: "always throttled" }, respond: { error: { name: "ThrottlingException" } } },
          { match: { text: "throttled, retry after 3 s" }, respond: { error: { name: "ThrottlingException" }, retryAfterSeconds: 3 } },
          { match: { text: "reset then fine" }, sequence: [{ connectionFault: "reset" }, { text: "Recovered." }], loop: true },
          { match: { text: "exception before text" }, sequence: [{ fault: { type: "exception", afterChunks: 0, name: "serviceUnavailableException" } }, { text: "Second stream." }], loop: true },
          { match: { text: "exception mid-stream" }, respond: { text: "Some text that is cut off midway.", chunksPerAnswer: 6, fault: { type: "exception", afterChunks: 2, name: "throttlingException", message: "Too many tokens" } } },
          { match: { text: "corrupt mid-stream" }, respond: { text: "Some text that is cut off midway.", chunksPerAnswer: 6, fault: { type: "corrupt_frame", afterChunks: 2 } } },
          { match: { text: "reset mid-stream" }, respond: { text: "Some text that is cut off midway.", chunksPerAnswer: 6, fault: { type: "reset", afterChunks: 2 } } },
          { match: { text: "truncated mid-stream" }, respond: { text: "Some text that is cut off midway.", chunksPerAnswer: 6, fault: { type: "truncate", afterChunks: 2 } } },
          { match: { text: "truncated then fine" }, sequence: [{ fault: { type: "truncate", afterChunks: 0 } }, { text: "Whole answer." }], loop: true },
        ],
      },
    });
  });
  after(() => emulator.close());

  function attemptsFor(text: string): number {
    return emulator.requests.filter((request) => JSON.stringify(request.body).includes(text)).length;
  }

  it("retries throttling twice then succeeds, on every method", async () => {
    const provider = providerFor(emulator);
    assert.equal(await provider.generate([{ role: "user", content: "throttled twice (generate)" }]), "Third time lucky.");
    assert.equal(attemptsFor("throttled twice (generate)"), 3);
    assert.equal((await collect(provider.generateStream([{ role: "user", content: "throttled twice (stream)" }]))).join(""), "Third time lucky.");
    assert.equal(attemptsFor("throttled twice (stream)"), 3);
    const completion = await provider.generateStreamResponse([{ role: "user", content: "throttled twice (response)" }]);
    assert.equal(completion.choices[0]!.message.content, "Third time lucky.");
    assert.equal(attemptsFor("throttled twice (response)"), 3);
    await provider.close();
  });

  it("stops after maxAttempts and raises the typed throttling error", async () => {
    const provider = providerFor(emulator, { max_attempts: 2 });
    await assert.rejects(provider.generate([{ role: "user", content: "always throttled" }]), (error: Error) => {
      assert.ok(error instanceof BedrockServiceError);
      assert.equal(error.awsName, "ThrottlingException");
      assert.equal(error.status, 429);
      assert.equal(error.retryable, true);
      assert.equal(typeof error.requestId, "string");
      return true;
    });
    assert.equal(attemptsFor("always throttled"), 2);
    await provider.close();
  });

  it("maps each AWS error to BedrockServiceError with name, status, request id and retryable", async () => {
    const provider = providerFor(emulator, { max_attempts: 1 });
    for (const [name, status, retryable] of ERRORS) {
      for (const call of [() => provider.generate([{ role: "user", content: `fail with ${name}` }]), () => collect(provider.generateStream([{ role: "user", content: `fail with ${name}` }]))]) {
        await assert.rejects(call(), (error: Error) => {
          assert.ok(error instanceof BedrockServiceError, `${name}: ${error.name}`);
          assert.equal(error.awsName, name);
          assert.equal(error.status, status, name);
          assert.equal(error.retryable, retryable, name);
          assert.equal(error.midStream, false);
          assert.ok(error.requestId, `${name} has a request id`);
          assert.match(error.message, new RegExp(`^${name}: `));
          return true;
        });
      }
    }
    await provider.close();
  });

  it("retries a connection reset before the response", async () => {
    const provider = providerFor(emulator);
    assert.equal(await provider.generate([{ role: "user", content: "reset then fine" }]), "Recovered.");
    assert.equal(attemptsFor("reset then fine"), 2);
    await provider.close();
  });

  it("retries a stream whose exception comes before any text was yielded", async () => {
    const provider = providerFor(emulator);
    assert.equal((await collect(provider.generateStream([{ role: "user", content: "exception before text" }]))).join(""), "Second stream.");
    assert.equal(attemptsFor("exception before text"), 2);
    await provider.close();
  });

  it("never retries after part of a stream was yielded: mid-stream exception", async () => {
    const provider = providerFor(emulator);
    const chunks: string[] = [];
    await assert.rejects(
      (async () => {
        for await (const chunk of provider.generateStream([{ role: "user", content: "exception mid-stream" }])) chunks.push(chunk);
      })(),
      (error: Error) => {
        assert.ok(error instanceof BedrockServiceError);
        assert.equal(error.awsName, "ThrottlingException");
        assert.equal(error.midStream, true);
        assert.match(error.message, /Too many tokens/);
        return true;
      },
    );
    assert.ok(chunks.length > 0);
    assert.equal(attemptsFor("exception mid-stream"), 1);
    await provider.close();
  });

  it("never retries after part of a stream was yielded: connection reset", async () => {
    const provider = providerFor(emulator);
    await assert.rejects(collect(provider.generateStream([{ role: "user", content: "reset mid-stream" }])), NetworkError);
    assert.equal(attemptsFor("reset mid-stream"), 1);
    await provider.close();
  });

  it("a stream that ends cleanly before its final event is a NetworkError, not a short answer (Claude and Converse)", async () => {
    for (const model of [undefined, "amazon.nova-lite-v1:0"]) {
      const provider = providerFor(emulator, model ? { model } : {});
      const chunks: string[] = [];
      await assert.rejects(
        (async () => {
          for await (const chunk of provider.generateStream([{ role: "user", content: "truncated mid-stream" }])) chunks.push(chunk);
        })(),
        (error: Error) => error instanceof NetworkError && /ended before the model's final event/.test(error.message),
      );
      assert.ok(chunks.length > 0 && chunks.join("").length < "Some text that is cut off midway.".length, model);
      await assert.rejects(provider.generateStreamResponse([{ role: "user", content: "truncated mid-stream" }]), NetworkError);
      // Cut before any text reached the caller: retried like any other broken stream.
      assert.equal((await collect(provider.generateStream([{ role: "user", content: "truncated then fine" }]))).join(""), "Whole answer.");
      await provider.close();
    }
  });

  it("a corrupt frame mid-stream is a NetworkError, not retried", async () => {
    const provider = providerFor(emulator);
    await assert.rejects(collect(provider.generateStream([{ role: "user", content: "corrupt mid-stream" }])), NetworkError);
    assert.equal(attemptsFor("corrupt mid-stream"), 1);
    await provider.close();
  });

  it("an AWS error from the SDK's HTTP/1.1 path keeps no request headers (bearer key) anywhere in the error", async () => {
    const provider = providerFor(emulator, { access_key_id: undefined, secret_access_key: undefined, api_key: EMULATOR_API_KEY }, { transport: "http1" });
    await assert.rejects(provider.generate([{ role: "user", content: "fail with ValidationException" }]), (error: Error) => {
      assert.ok(error instanceof BedrockServiceError && error.awsName === "ValidationException");
      assert.ok(!inspect(error, { depth: Infinity, showHidden: true }).includes(EMULATOR_API_KEY), "bearer key reachable from the error");
      return true;
    });
    await provider.close();
  });

  it("reports wrong credentials without revealing them", async () => {
    const secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYWRONGSECRET";
    const provider = providerFor(emulator, { secret_access_key: secret, max_attempts: 1 });
    await assert.rejects(provider.generate([{ role: "user", content: "hello" }]), (error: Error) => {
      assert.ok(error instanceof BedrockServiceError);
      assert.match(error.awsName, /InvalidSignatureException|UnrecognizedClientException/);
      for (const text of [error.message, JSON.stringify(error), inspect(error, { depth: 10 }), String(error.stack)]) {
        assert.ok(!text.includes(secret), "secret key leaked");
        assert.ok(!text.includes(EXAMPLE_CREDENTIALS.accessKeyId), "access key id leaked");
      }
      return true;
    });
    for (const text of [JSON.stringify(provider), inspect(provider, { depth: 10 }), String(provider)]) {
      assert.ok(!text.includes(secret));
      assert.ok(!text.includes(EXAMPLE_CREDENTIALS.accessKeyId));
    }
    await provider.close();
  });

  it("close() during a retry's backoff wait: the call ends with provider_closed and nothing more is sent", async () => {
    for (const [label, call] of [
      ["generate", (provider: ReturnType<typeof providerFor>, text: string) => provider.generate([{ role: "user", content: text }])],
      ["stream", (provider: ReturnType<typeof providerFor>, text: string) => collect(provider.generateStream([{ role: "user", content: text }]))],
    ] as const) {
      const text = `throttled, retry after 3 s (closed while waiting, ${label})`;
      // The hint (3 s) is at least any jitter under this cap, so the wait is 3 s, always.
      const provider = providerFor(emulator, { max_attempts: 3 }, { retry: { maxDelayMs: 3000 } });
      const calling = call(provider, text);
      while (attemptsFor(text) === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      await new Promise((resolve) => setTimeout(resolve, 200)); // the 429 is in; the call waits out its backoff
      const closedAt = performance.now();
      await provider.close();
      await assert.rejects(calling, (error: Error) => error instanceof ProviderError && error.code === "provider_closed");
      assert.ok(performance.now() - closedAt < 1500, "close() ended the waiting call, not the end of its wait");
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(attemptsFor(text), 1, `${label}: no retry was sent after close()`);
    }
  });

  it("rejects half a key pair and a bad endpoint when the provider is created", () => {
    assert.throws(() => providerFor(emulator, { secret_access_key: undefined }), (error: Error) => error instanceof ConfigError && /secret_access_key is missing/.test(error.message));
    assert.throws(() => providerFor(emulator, { endpoint: "not a url" }), ConfigError);
  });
});
