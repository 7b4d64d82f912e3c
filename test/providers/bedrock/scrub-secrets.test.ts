import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { scrub } from "../../../src/providers/bedrock/scrub-secrets.js";

describe("scrub", () => {
  it("removes the given secrets and access-key-shaped strings", () => {
    assert.equal(scrub("key hunter2hunter2 and ASIAABCDEFGHIJKLMNOP here", ["hunter2hunter2"]), "key [redacted] and [redacted] here");
  });

  it("removes the values of echoed credential headers, whatever they are", () => {
    assert.equal(scrub("with x-amz-security-token: IQoJb3JpZ2lu+/= rejected", []), "with x-amz-security-token: [redacted] rejected");
    assert.equal(scrub("X-Amz-Security-Token=abc123, next", []), "X-Amz-Security-Token=[redacted], next");
    assert.equal(scrub("Authorization: Bearer bedrock-api-key-ABC.def was refused", []), "Authorization: Bearer [redacted] was refused");
  });

  it("leaves other text alone", () => {
    assert.equal(scrub("ValidationException: max_tokens must be at most 4096", ["hunter2hunter2"]), "ValidationException: max_tokens must be at most 4096");
  });
});
