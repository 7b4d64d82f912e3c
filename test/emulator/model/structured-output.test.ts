import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { conformingValue } from "../../../src/emulator/model/conforming-value.js";
import { anthropicBody, asAnswer, asError, converseBody, planOnce, textOf } from "./helpers.js";

const CLAUDE_45 = "anthropic.claude-sonnet-4-5-20250929-v1:0";
const QWEN = "qwen.qwen3-32b-v1:0";
const NOVA = "amazon.nova-lite-v1:0";
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const ajv = addFormats(new Ajv2020({ strict: false }));

const ORDER = {
  type: "object",
  properties: {
    id: { type: "string", format: "uuid" },
    placed: { type: "string", format: "date-time" },
    status: { type: "string", enum: ["open", "shipped"] },
    kind: { const: "order" },
    note: { anyOf: [{ type: "null" }, { type: "string" }] },
    lines: { type: "array", items: { $ref: "#/$defs/line" } },
    total: { type: "number" },
  },
  required: ["id", "placed", "status", "kind", "note", "lines", "total"],
  additionalProperties: false,
  $defs: { line: { type: "object", properties: { sku: { type: "string" }, qty: { type: "integer" } }, required: ["sku", "qty"], additionalProperties: false } },
};

function textFormat(schema: unknown, extra: Record<string, unknown> = {}) {
  return { outputConfig: { textFormat: { type: "json_schema", structure: { jsonSchema: { schema: typeof schema === "string" ? schema : JSON.stringify(schema), ...extra } } } } };
}

describe("emulator: structured output", () => {
  it("Converse textFormat: the answer is JSON that conforms to the schema, the same for the same request", async () => {
    for (const model of [CLAUDE_45, QWEN, NOVA]) {
      const first = textOf(asAnswer(await planOnce("Converse", converseBody(textFormat(ORDER, { name: "order" })), model)));
      const value = JSON.parse(first);
      assert.ok(ajv.validate(ORDER, value), `${model}: ${ajv.errorsText()}`);
      assert.equal(textOf(asAnswer(await planOnce("ConverseStream", converseBody(textFormat(ORDER)), model))), first);
    }
  });

  it("InvokeModel output_config.format (and Converse additionalModelRequestFields.output_config for Claude)", async () => {
    const invoke = textOf(asAnswer(await planOnce("InvokeModel", anthropicBody({ output_config: { format: { type: "json_schema", schema: ORDER } } }), CLAUDE_45)));
    assert.ok(ajv.validate(ORDER, JSON.parse(invoke)), ajv.errorsText());
    const tunneled = converseBody({ additionalModelRequestFields: { output_config: { format: { type: "json_schema", schema: ORDER } } } });
    assert.equal(textOf(asAnswer(await planOnce("Converse", tunneled, CLAUDE_45))), invoke);
  });

  it("refuses malformed textFormat fields with Bedrock's ValidationException wording", async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ outputConfig: "json" }, /outputConfig field must be a JSON object/],
      [{ outputConfig: { textFormat: { type: "json_object", structure: {} } } }, /'json_object' at 'outputConfig.textFormat.type' failed to satisfy constraint: Member must satisfy enum value set: \[json_schema\]/],
      [{ outputConfig: { textFormat: { type: "json_schema" } } }, /'outputConfig.textFormat.structure' failed to satisfy constraint: Member must not be null/],
      [{ outputConfig: { textFormat: { type: "json_schema", structure: { xml: {} } } } }, /must set one of the following keys: jsonSchema/],
      [{ outputConfig: { textFormat: { type: "json_schema", structure: { jsonSchema: { schema: { type: "object" } } } } } }, /jsonSchema.schema' failed to satisfy constraint: Member must not be null/],
      [textFormat("{not json"), /is not valid JSON/],
      [textFormat([1, 2]), /must be a JSON object/],
      [textFormat({ type: "object", properties: { a: { type: 12 } } }), /invalid JSON schema: schema\/properties\/a\/type/],
      [textFormat({ type: "object", properties: { a: { $ref: "https://example.com/a.json" } } }), /external \$ref/],
    ];
    for (const [extra, message] of cases) {
      const error = asError(await planOnce("Converse", converseBody(extra as Record<string, unknown>), QWEN));
      assert.equal(error.name, "ValidationException");
      assert.equal(error.status, 400);
      assert.match(error.message, message);
    }
  });

  it("applies Claude's structured-output limits to Claude only", async () => {
    const limited = { type: "object", properties: { code: { type: "string", minLength: 6 } }, required: ["code"], additionalProperties: false };
    const open = { type: "object", properties: { a: { type: "string" } } };
    const recursive = { type: "object", properties: { root: { $ref: "#/$defs/node" } }, additionalProperties: false, $defs: { node: { type: "object", properties: { child: { $ref: "#/$defs/node" } }, additionalProperties: false } } };
    const many = { type: "object", properties: { xs: { type: "array", items: { type: "string" }, minItems: 2 } }, additionalProperties: false };
    for (const [schema, message] of [
      [limited, /'minLength' at #\/properties\/code is not supported/],
      [open, /'additionalProperties' must be explicitly set to false \(at #\)/],
      [recursive, /recursive schemas are not supported/],
      [many, /minItems 2 at #\/properties\/xs is not supported/],
    ] as const) {
      assert.match(asError(await planOnce("Converse", converseBody(textFormat(schema)), CLAUDE_45)).message, message);
      const invoke = asError(await planOnce("InvokeModel", anthropicBody({ output_config: { format: { type: "json_schema", schema } } }), CLAUDE_45));
      assert.match(invoke.message, /^output_config\.format\.schema: /);
      assert.match(invoke.message, message);
    }
    const properties = { type: "object", properties: { minimum: { type: "string" } }, additionalProperties: false };
    assert.equal(asAnswer(await planOnce("Converse", converseBody(textFormat(properties)), CLAUDE_45)).kind, "answer", "a property named like a keyword is fine");
    const qwen = JSON.parse(textOf(asAnswer(await planOnce("Converse", converseBody(textFormat(limited)), QWEN))));
    assert.ok(qwen.code.length >= 6, "the answer follows minLength");
  });

  it("checks output_config in the Anthropic body", async () => {
    assert.match(asError(await planOnce("InvokeModel", anthropicBody({ output_config: "json" }), CLAUDE_45)).message, /#\/output_config: expected type: JSONObject, found: String/);
    assert.match(asError(await planOnce("InvokeModel", anthropicBody({ output_config: { format: { type: "json" } } }), CLAUDE_45)).message, /output_config.format.type: Input should be 'json_schema'/);
    assert.match(asError(await planOnce("InvokeModel", anthropicBody({ output_config: { format: { type: "json_schema" } } }), CLAUDE_45)).message, /output_config.format.schema: Field required/);
  });

  it("strict tools: the flag must be a boolean, and Claude checks the schema", async () => {
    const tool = (strict: unknown, schema: unknown = { type: "object", properties: { q: { type: "string" } }, additionalProperties: false }) => ({ toolConfig: { tools: [{ toolSpec: { name: "t", strict, inputSchema: { json: schema } } }] } });
    assert.match(asError(await planOnce("Converse", converseBody(tool("yes")), NOVA)).message, /toolSpec.strict' failed to satisfy constraint: Member must be a boolean/);
    assert.match(asError(await planOnce("Converse", converseBody(tool(true, { type: "object", properties: {} })), CLAUDE_45)).message, /additionalProperties' must be explicitly set to false/);
    assert.equal(asAnswer(await planOnce("Converse", converseBody(tool(true)), CLAUDE_45)).kind, "answer");
    const anthropicTool = (strict: unknown) => anthropicBody({ tools: [{ name: "t", strict, input_schema: { type: "object", properties: { q: { type: "string", maxLength: 3 } }, additionalProperties: false } }] });
    assert.match(asError(await planOnce("InvokeModel", anthropicTool(1), CLAUDE_45)).message, /tools.0.custom.strict: Input should be a valid boolean/);
    assert.match(asError(await planOnce("InvokeModel", anthropicTool(true), CLAUDE_45)).message, /'maxLength'/);
    assert.equal(asAnswer(await planOnce("InvokeModel", anthropicTool(false), CLAUDE_45)).kind, "answer");
  });

  it("a forced tool call without a phrase gets input that conforms to the tool's schema", async () => {
    const body = anthropicBody({ tools: [{ name: "order", input_schema: ORDER }], tool_choice: { type: "tool", name: "order" } });
    const block = asAnswer(await planOnce("InvokeModel", body)).blocks[0];
    assert.equal(block?.type, "tool_use");
    assert.ok(ajv.validate(ORDER, (block as { input: unknown }).input), ajv.errorsText());
  });

  it("conformingValue follows $ref, anyOf, allOf, const, formats, ranges and array bounds", () => {
    const schemas: Record<string, unknown>[] = [
      ORDER,
      { type: "integer", minimum: 10, maximum: 20, multipleOf: 3 },
      { type: "number", exclusiveMinimum: 5 },
      { type: "string", minLength: 30, maxLength: 31 },
      { type: "array", items: { type: "boolean" }, minItems: 3, maxItems: 3 },
      { type: "array", prefixItems: [{ type: "string" }, { type: "integer" }] },
      { allOf: [{ type: "object", properties: { a: { type: "string" } }, required: ["a"] }, { type: "object", properties: { b: { type: ["null", "integer"] } }, required: ["b"] }] },
      { oneOf: [{ type: "string", format: "email" }, { type: "integer" }] },
      JSON.parse('{"type":"object","properties":{"ip":{"type":"string","format":"ipv4"},"at":{"type":"string","format":"date"},"__proto__":{"type":"string"}},"required":["__proto__"]}'),
    ];
    for (const schema of schemas) assert.ok(ajv.validate(schema, conformingValue(schema)), `${JSON.stringify(schema)}: ${ajv.errorsText()}`);
    assert.equal(Object.getPrototypeOf(conformingValue(schemas.at(-1))), Object.prototype);
    const selfRef = { $ref: "#" };
    assert.doesNotThrow(() => conformingValue(selfRef), "a self-referencing schema ends");
  });
});
