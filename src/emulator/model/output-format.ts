/**
 * Structured output in requests, checked like Bedrock checks it. Converse: `outputConfig.textFormat`
 * (`type: "json_schema"`, the union `structure.jsonSchema`, whose `schema` is a JSON string). Claude over
 * InvokeModel: Anthropic's `output_config.format` (`type: "json_schema"`, `schema` an object); over Converse
 * Claude also takes it in additionalModelRequestFields. The schema must be a valid JSON Schema (checked with
 * Ajv against its draft's meta-schema: 2020-12, or draft-07 when `$schema` names it); for Claude, the limits
 * of Anthropic's constrained decoding apply
 * too (see claudeSchemaProblem). Strict tools' input schemas get the same Claude checks.
 */
import { Ajv } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import { isRecord } from "./json-shape.js";
import { constraintError, validationError, type RequestRejected } from "./request-rejected.js";

export type JsonSchemaObject = Record<string, unknown>;

const REFUSED_BY_CLAUDE = ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minLength", "maxLength", "maxItems", "uniqueItems", "minProperties", "maxProperties", "not"];
const TEXT_FORMAT = "outputConfig.textFormat";

let metaValidator2020: Ajv | undefined;
let metaValidator07: Ajv | undefined;

/** Ajv for the draft the schema names: 2020-12 unless its `$schema` names draft-07 (what many clients send). */
function metaValidatorFor(schema: JsonSchemaObject): Ajv {
  const draft07 = typeof schema.$schema === "string" && /draft-0[67]/.test(schema.$schema);
  return draft07 ? (metaValidator07 ??= new Ajv({ strict: false })) : (metaValidator2020 ??= new Ajv2020({ strict: false }) as unknown as Ajv);
}

/** Converse `outputConfig.textFormat`: the schema, or null when none is asked for. */
export function converseOutputSchema(outputConfig: unknown, claude: boolean): JsonSchemaObject | null {
  if (outputConfig === undefined || outputConfig === null) return null;
  if (!isRecord(outputConfig)) throw validationError("The outputConfig field must be a JSON object.");
  const format = outputConfig.textFormat;
  if (format === undefined || format === null) return null;
  if (!isRecord(format)) throw validationError(`The ${TEXT_FORMAT} field must be a JSON object.`);
  if (format.type === undefined || format.type === null) throw constraintError(null, `${TEXT_FORMAT}.type`, "Member must not be null");
  if (format.type !== "json_schema") throw constraintError(format.type, `${TEXT_FORMAT}.type`, "Member must satisfy enum value set: [json_schema]");
  const structure = format.structure;
  if (structure === undefined || structure === null) throw constraintError(null, `${TEXT_FORMAT}.structure`, "Member must not be null");
  if (!isRecord(structure) || Object.keys(structure).length !== 1 || !isRecord(structure.jsonSchema)) {
    throw validationError(`OutputFormatStructure object at ${TEXT_FORMAT}.structure must set one of the following keys: jsonSchema.`);
  }
  const definition = structure.jsonSchema;
  const where = `${TEXT_FORMAT}.structure.jsonSchema`;
  if (typeof definition.schema !== "string") throw constraintError(null, `${where}.schema`, "Member must not be null");
  for (const key of ["name", "description"]) {
    if (definition[key] !== undefined && typeof definition[key] !== "string") throw constraintError(definition[key], `${where}.${key}`, "Member must be a string");
  }
  let schema: unknown;
  try {
    schema = JSON.parse(definition.schema);
  } catch (error) {
    throw validationError(`The JSON schema at ${where}.schema is not valid JSON: ${(error as Error).message}`);
  }
  return checkSchema(schema, `${where}.schema`, claude, validationError);
}

/** Anthropic `output_config.format`: the schema, or null when none is asked for. */
export function anthropicOutputSchema(outputConfig: unknown): JsonSchemaObject | null {
  if (outputConfig === undefined || outputConfig === null) return null;
  if (!isRecord(outputConfig)) throw validationError("output_config: Input should be a valid dictionary");
  const format = outputConfig.format;
  if (format === undefined || format === null) return null;
  if (!isRecord(format)) throw validationError("output_config.format: Input should be a valid dictionary");
  if (format.type !== "json_schema") throw validationError("output_config.format.type: Input should be 'json_schema'");
  if (format.schema === undefined) throw validationError("output_config.format.schema: Field required");
  return checkSchema(format.schema, "output_config.format.schema", true, validationError);
}

/** A strict tool's input schema, under the same Claude limits. */
export function checkStrictToolSchema(schema: unknown, where: string): void {
  checkSchema(schema, where, true, validationError);
}

function checkSchema(schema: unknown, where: string, claude: boolean, reject: (message: string) => RequestRejected): JsonSchemaObject {
  if (!isRecord(schema)) throw reject(`${where}: the JSON schema must be a JSON object.`);
  const validator = metaValidatorFor(schema);
  let valid: boolean;
  try {
    valid = validator.validateSchema(schema) as boolean;
  } catch {
    throw reject(`${where}: unsupported $schema ${JSON.stringify(schema.$schema)}; use https://json-schema.org/draft/2020-12/schema or leave it out.`);
  }
  if (!valid) throw reject(`${where}: invalid JSON schema: ${validator.errorsText(validator.errors, { dataVar: "schema" })}`);
  const problem = claude ? claudeSchemaProblem(schema) : externalRef(schema);
  if (problem) throw reject(`${where}: ${problem}`);
  return schema;
}

/** Every subschema of a schema with its JSON Pointer, walked without recursion. */
function* subschemas(schema: JsonSchemaObject): Generator<[JsonSchemaObject, string]> {
  const stack: Array<[unknown, string]> = [[schema, "#"]];
  while (stack.length > 0) {
    const [node, path] = stack.pop()!;
    if (!isRecord(node)) continue;
    yield [node, path];
    for (const [key, value] of Object.entries(node)) {
      if (key === "enum" || key === "const" || key === "default" || key === "examples") continue;
      if (Array.isArray(value)) value.forEach((item, index) => stack.push([item, `${path}/${key}/${index}`]));
      else if (isRecord(value)) stack.push([value, `${path}/${key}`]);
    }
  }
}

function externalRef(schema: JsonSchemaObject): string | null {
  for (const [node, path] of subschemas(schema)) {
    if (typeof node.$ref === "string" && !node.$ref.startsWith("#")) return `external $ref ${JSON.stringify(node.$ref)} at ${path} is not supported; define it in $defs.`;
  }
  return null;
}

/**
 * What Anthropic's structured outputs refuse: external and recursive $ref, numeric and string limits,
 * minItems above 1, and objects whose additionalProperties is not false.
 */
export function claudeSchemaProblem(schema: JsonSchemaObject): string | null {
  const external = externalRef(schema);
  if (external) return external;
  for (const [node, path] of subschemas(schema)) {
    const refused = REFUSED_BY_CLAUDE.find((key) => node[key] !== undefined && isKeywordPosition(path));
    if (refused) return `the keyword '${refused}' at ${path} is not supported in structured outputs; remove it and check it in your code.`;
    if (typeof node.minItems === "number" && node.minItems > 1) return `minItems ${node.minItems} at ${path} is not supported (only 0 and 1 are); remove it and check it in your code.`;
    const isObject = node.type === "object" || isRecord(node.properties);
    if (isObject && node.additionalProperties !== false && isKeywordPosition(path)) {
      return `for 'object' type, 'additionalProperties' must be explicitly set to false (at ${path}).`;
    }
  }
  return recursiveRef(schema);
}

/** A path that ends in a schema, not in a properties map (a property may be named "minimum"). */
function isKeywordPosition(path: string): boolean {
  return !/\/(properties|\$defs|definitions)$/.test(path);
}

function recursiveRef(schema: JsonSchemaObject): string | null {
  const refsOf = new Map<string, string[]>();
  for (const [, path] of subschemas(schema)) refsOf.set(path, []);
  for (const [node, path] of subschemas(schema)) {
    if (typeof node.$ref !== "string") continue;
    for (const [owner] of refsOf) if (path === owner || path.startsWith(`${owner}/`)) refsOf.get(owner)!.push(node.$ref);
  }
  for (const [start, refs] of refsOf) {
    if (start === "#") continue;
    const seen = new Set<string>();
    const queue = [...refs];
    while (queue.length > 0) {
      const target = queue.pop()!;
      if (target === start) return `recursive schemas are not supported ($ref ${JSON.stringify(target)} refers to itself).`;
      if (seen.has(target)) continue;
      seen.add(target);
      queue.push(...(refsOf.get(target) ?? []));
    }
  }
  return null;
}
