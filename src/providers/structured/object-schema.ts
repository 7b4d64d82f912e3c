/**
 * The schema of generateObject / streamObject: a zod schema (its JSON Schema from z.toJSONSchema, checked
 * with zod, so the result is typed by inference) or a plain JSON Schema (checked with Ajv, draft 2020-12
 * unless its `$schema` names draft-07). Compiled validators are cached per schema object. Ajv is imported at
 * the first JSON Schema, not with the library: it is about a third of the modules an import of minion-ts
 * would load (bench:cold-start).
 */
import type { Ajv, ErrorObject, ValidateFunction } from "ajv";
import { z } from "zod";
import { InvalidRequestError } from "../../schema/errors.js";
import { lazyPackage } from "../lazy-package.js";
import type { StructuredOutputIssue } from "../../schema/structured-output-error.js";

export type JsonSchema = Record<string, unknown>;
/** A zod schema or a JSON Schema object. */
export type ObjectSchema = z.ZodType | JsonSchema;
/** The type of a validated object: inferred from a zod schema; `unknown` for a JSON Schema. */
export type InferObject<S> = S extends z.ZodType ? z.output<S> : unknown;

export type Validation<T> = { success: true; value: T } | { success: false; issues: StructuredOutputIssue[] };

export interface ResolvedSchema<T> {
  /** The JSON Schema the model is asked to follow. */
  jsonSchema: JsonSchema;
  validate(value: unknown): Validation<T>;
}

interface Validators {
  draft2020: Ajv;
  draft07: Ajv;
}

const resolved = new WeakMap<object, ResolvedSchema<unknown>>();

const loadValidators = lazyPackage("ajv", async (): Promise<Validators> => {
  const [draft07, draft2020, formats] = await Promise.all([import("ajv"), import("ajv/dist/2020.js"), import("ajv-formats")]);
  const addFormats = formats.default as unknown as (ajv: Ajv) => Ajv;
  return {
    draft07: addFormats(new draft07.Ajv({ allErrors: true, strict: false })),
    draft2020: addFormats(new draft2020.Ajv2020({ allErrors: true, strict: false }) as unknown as Ajv),
  };
});

function isZodSchema(schema: unknown): schema is z.ZodType {
  return typeof schema === "object" && schema !== null && "_zod" in schema && typeof (schema as { safeParse?: unknown }).safeParse === "function";
}

export async function resolveObjectSchema<S extends ObjectSchema>(schema: S): Promise<ResolvedSchema<InferObject<S>>> {
  if (schema === null || typeof schema !== "object" || Array.isArray(schema)) {
    throw new InvalidRequestError("schema must be a zod schema (z.object({...})) or a JSON Schema object ({ type: \"object\", properties: {...} }).");
  }
  let entry = resolved.get(schema);
  if (!entry) {
    entry = isZodSchema(schema) ? fromZod(schema) : fromJsonSchema(schema as JsonSchema, await loadValidators());
    resolved.set(schema, entry);
  }
  return entry as ResolvedSchema<InferObject<S>>;
}

function fromZod(schema: z.ZodType): ResolvedSchema<unknown> {
  let jsonSchema: JsonSchema;
  try {
    jsonSchema = z.toJSONSchema(schema) as JsonSchema;
  } catch (error) {
    throw new InvalidRequestError(`This zod schema has no JSON Schema form, so the model cannot be asked for it: ${(error as Error).message}`, { cause: error });
  }
  return {
    jsonSchema,
    validate(value) {
      const result = schema.safeParse(value);
      if (result.success) return { success: true, value: result.data };
      return { success: false, issues: result.error.issues.map((issue) => ({ path: pointer(issue.path), message: issue.message })) };
    },
  };
}

function fromJsonSchema(schema: JsonSchema, validators: Validators): ResolvedSchema<unknown> {
  const draft07 = typeof schema.$schema === "string" && /draft-0[4-7]/.test(schema.$schema);
  const ajv = draft07 ? validators.draft07 : validators.draft2020;
  let check: ValidateFunction;
  try {
    check = ajv.compile(schema);
  } catch (error) {
    throw new InvalidRequestError(`schema is not a valid JSON Schema: ${(error as Error).message}`, { cause: error });
  }
  return {
    jsonSchema: schema,
    validate(value) {
      if (check(value)) return { success: true, value };
      return { success: false, issues: (check.errors ?? []).map(ajvIssue) };
    },
  };
}

function ajvIssue(error: ErrorObject): StructuredOutputIssue {
  const extra = error.keyword === "additionalProperties" ? ` (${String((error.params as { additionalProperty?: unknown }).additionalProperty)})` : "";
  return { path: error.instancePath, message: `${error.message ?? error.keyword}${extra}` };
}

function pointer(path: readonly PropertyKey[]): string {
  return path.map((key) => `/${String(key).replace(/~/g, "~0").replace(/\//g, "~1")}`).join("");
}
