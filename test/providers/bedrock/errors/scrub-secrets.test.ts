import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { scrub } from "../../../../src/providers/bedrock/errors/scrub-secrets.js";
import { revealsSecret } from "../../../support/reveals-secret.js";

const TOKEN = "FwoGZXIvYXdzEJr//////////wEaDH+9/abQ1w2e3r4t5y6u7i8o9p0=";

describe("scrub", () => {
  it("removes the given secrets and access-key-shaped strings", () => {
    assert.equal(scrub("key hunter2hunter2 and ASIAABCDEFGHIJKLMNOP here", ["hunter2hunter2"]), "key [redacted] and [redacted] here");
  });

  it("removes token-shaped values of echoed credential headers", () => {
    assert.equal(scrub("with x-amz-security-token: IQoJb3JpZ2luX2VjEBYa+/= rejected", []), "with x-amz-security-token: [redacted] rejected");
    assert.equal(scrub("X-Amz-Security-Token=FwoGZXIvYXdzEBYaDK, next", []), "X-Amz-Security-Token=[redacted], next");
    // Inside a JSON string the value stops before the escaped quote, so the JSON stays valid.
    assert.equal(scrub('{"message":"Header \\"Authorization: Bearer ABSKbedrockkey0123456789\\" is not valid"}', []), '{"message":"Header \\"Authorization: Bearer [redacted]\\" is not valid"}');
    assert.equal(scrub("Authorization: Bearer bedrock-api-key-ABC.def was refused", []), "Authorization: Bearer [redacted] was refused");
  });

  it("removes every run of 16 characters of any of several secrets, wherever it lies, and keeps the rest", () => {
    const secrets = [TOKEN, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYFAKESECRETKEY", "ABSKQmVkcm9ja0FQSUtleS1GQUtFa2V5"];
    const hasRun = (text: string) => secrets.some((secret) => Array.from({ length: secret.length - 15 }, (_, at) => secret.slice(at, at + 16)).some((run) => text.includes(run)));
    let seed = 7;
    const next = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
    for (let round = 0; round < 500; round++) {
      const pieces: string[] = [];
      for (let piece = next(6) + 1; piece > 0; piece--) {
        const secret = secrets[next(secrets.length)]!;
        const start = next(secret.length);
        // Pieces of the secrets (some shorter than 16, some run into one another) between words.
        pieces.push(next(2) === 0 ? secret.slice(start, start + 10 + next(30)) : ` word${next(1000)} `);
      }
      const text = pieces.join("");
      const out = scrub(text, secrets);
      assert.ok(!hasRun(out), `${text} -> ${out}`);
      if (!hasRun(text)) assert.equal(out, text, "a text with no run of 16 is left as it was");
    }
  });

  it("leaves other text alone, words after 'bearer' included", () => {
    assert.equal(scrub("ValidationException: max_tokens must be at most 4096", ["hunter2hunter2"]), "ValidationException: max_tokens must be at most 4096");
    for (const text of ["The Bearer token included in the request is invalid.", "Use either SigV4 or bearer auth, not both", "x-amz-security-token: header is not allowed with bearer auth"]) {
      assert.equal(scrub(text, []), text);
    }
  });

  it("removes a known secret raw, URL-encoded (even partly, hex in either case) and base64-encoded", () => {
    const secret = "Fwo/GZX+IvYXdz==";
    for (const shown of [secret, encodeURIComponent(secret), "Fwo%2fGZX+IvYXdz%3D%3d", Buffer.from(secret).toString("base64"), Buffer.from(secret).toString("base64url")]) {
      assert.equal(scrub(`before ${shown} after`, [secret]), "before [redacted] after", shown);
    }
  });

  it("removes URL-encoded echoed credential headers whole", () => {
    assert.equal(scrub("x-amz-security-token%3DFwoGZXIvYXdzEBYa%2Bab%2Fcd%3D%3D&next=1", []), "x-amz-security-token%3D[redacted]&next=1");
    assert.equal(scrub("authorization=Bearer%20ABSKbedrockkey0123456789%2B%2F", []), "authorization=Bearer%20[redacted]");
  });

  it("removes a known secret base64-encoded inside a longer value, at any alignment (a whole 'Authorization: Bearer <key>' header)", () => {
    for (const prefix of ["", "x", "xy", "Bearer ", "x-amz-security-token: "]) {
      for (const suffix of ["", "\n", "; expires=never"]) {
        for (const alphabet of ["base64", "base64url"] as const) {
          const shown = scrub(`dump ${Buffer.from(prefix + TOKEN + suffix).toString(alphabet)} end`, [TOKEN]);
          assert.ok(!revealsSecret(shown, TOKEN), `${alphabet} of ${JSON.stringify(prefix)} + token + ${JSON.stringify(suffix)}: ${shown}`);
        }
      }
    }
  });

  it("removes a known secret hex-encoded (either case), as HTML character references, and URL-encoded more than once", () => {
    const hex = Buffer.from(TOKEN).toString("hex");
    const entities = (pick: (char: string) => boolean, form: (code: number) => string) => [...TOKEN].map((char) => (pick(char) ? form(char.charCodeAt(0)) : char)).join("");
    const punctuation = (char: string) => !/[A-Za-z0-9]/.test(char);
    const named: Record<string, string> = { "/": "&sol;", "+": "&plus;", "=": "&equals;" };
    for (const shown of [
      hex,
      hex.toUpperCase(),
      entities(punctuation, (code) => `&#x${code.toString(16).toUpperCase()};`),
      entities(punctuation, (code) => `&#${code};`),
      entities(() => true, (code) => `&#x${code.toString(16).padStart(4, "0")};`),
      [...TOKEN].map((char) => named[char] ?? char).join(""),
      encodeURIComponent(encodeURIComponent(TOKEN)),
      encodeURIComponent(encodeURIComponent(encodeURIComponent(TOKEN))),
    ]) {
      const scrubbed = scrub(`echo ${shown} end`, [TOKEN]);
      assert.equal(scrubbed, "echo [redacted] end", shown);
      assert.ok(!revealsSecret(scrubbed, TOKEN));
    }
  });

  it("removes a run of 16 or more characters of a known secret (half a token, sent split over two messages)", () => {
    const half = TOKEN.slice(0, TOKEN.length / 2);
    assert.equal(scrub(`ValidationException: ${half}`, [TOKEN]), "ValidationException: [redacted]");
    assert.equal(scrub(`tail ${TOKEN.slice(-20)}.`, [TOKEN]), "tail [redacted].");
    assert.equal(scrub(`middle ${TOKEN.slice(10, 26)} end`, [TOKEN]), "middle [redacted] end");
    // Shorter runs are ordinary text.
    assert.equal(scrub(`short ${TOKEN.slice(0, 15)} end`, [TOKEN]), `short ${TOKEN.slice(0, 15)} end`);
  });
});
