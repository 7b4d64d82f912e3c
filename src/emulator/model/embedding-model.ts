/**
 * Embedding models over InvokeModel, with Bedrock's request validation and response bodies:
 *  - Amazon Titan Text Embeddings V2: {inputText, dimensions 256|512|1024, normalize, embeddingTypes float|binary}
 *    -> {embedding, inputTextTokenCount, embeddingsByType}
 *    (https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-titan-embed-text.html)
 *  - Cohere Embed v3 English / multilingual: {texts (<= 96, <= 2048 chars) | images (1), input_type, truncate
 *    NONE|START|END, embedding_types float|int8|uint8|binary|ubinary} -> {id, texts, embeddings, response_type}
 *    (https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-embed-v3.html)
 *  - Cohere Embed v4: v3 plus inputs[].content[] (interleaved text and images), output_dimension
 *    256|512|1024|1536, max_tokens, truncate NONE|LEFT|RIGHT; images up to 96
 *    (https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-embed-v4.html)
 * Vectors are the hashed bag of words of hashed-embedding.ts, made dense with a little seeded noise.
 */
import { createHash } from "node:crypto";
import { IMAGE_TOKENS, textTokens } from "./count-tokens.js";
import { arrayAt, booleanAt, enumAt, enumListAt, integerAt, objectBody, required, stringAt, type JsonBody } from "./check-json-body.js";
import { denseVectors, imageFeatures, quantize, textFeatures, type QuantizedType } from "./hashed-embedding.js";
import { malformedInput } from "./request-rejected.js";

export interface ModelJson {
  body: unknown;
  inputTokens: number;
}

const TITAN_DIMENSIONS = [256, 512, 1024] as const;
const TITAN_MAX_CHARS = 50_000;

export function titanEmbedding(rawBody: unknown): ModelJson {
  const body = objectBody(rawBody, ["inputText", "dimensions", "normalize", "embeddingTypes"]);
  const text = stringAt(required(body, "inputText"), "inputText", { min: 1, max: TITAN_MAX_CHARS });
  const dimensions = body["dimensions"] === undefined ? 1024 : enumAt(body["dimensions"], "dimensions", TITAN_DIMENSIONS);
  const normalize = body["normalize"] === undefined ? true : booleanAt(body["normalize"], "normalize");
  const types = body["embeddingTypes"] === undefined ? ["float"] : enumListAt(body["embeddingTypes"], "embeddingTypes", ["float", "binary"] as const);
  const { raw, unit } = denseVectors(textFeatures(text), dimensions);
  const embedding = normalize ? unit : raw;
  const byType: Record<string, number[]> = {};
  if (types.includes("float")) byType["float"] = embedding;
  if (types.includes("binary")) byType["binary"] = unit.map((value) => (value > 0 ? 1 : 0));
  const inputTextTokenCount = textTokens(text);
  return { body: { embedding, inputTextTokenCount, embeddingsByType: byType }, inputTokens: inputTextTokenCount };
}

const INPUT_TYPES = ["search_document", "search_query", "classification", "clustering"] as const;
const COHERE_TYPES = ["float", "int8", "uint8", "binary", "ubinary"] as const;
type CohereType = (typeof COHERE_TYPES)[number];

interface CohereInput {
  features: string[];
  tokens: number;
  text: string | null;
}

export function cohereEmbedding(rawBody: unknown, version: 3 | 4): ModelJson {
  const keys = ["texts", "images", "input_type", "truncate", "embedding_types", ...(version === 4 ? ["inputs", "output_dimension", "max_tokens"] : [])];
  const body = objectBody(rawBody, keys);
  enumAt(required(body, "input_type"), "input_type", version === 3 ? [...INPUT_TYPES, "image"] : INPUT_TYPES);
  if (body["truncate"] !== undefined) enumAt(body["truncate"], "truncate", version === 3 ? ["NONE", "START", "END"] : ["NONE", "LEFT", "RIGHT"]);
  const types = body["embedding_types"] === undefined ? null : enumListAt(body["embedding_types"], "embedding_types", COHERE_TYPES);
  const dimensions = version === 4 ? (body["output_dimension"] === undefined ? 1536 : enumAt(body["output_dimension"], "output_dimension", [256, 512, 1024, 1536])) : 1024;
  if (version === 4 && body["max_tokens"] !== undefined) integerAt(body["max_tokens"], "max_tokens", 1, 128_000);
  const inputs = cohereInputs(body, version);
  const unit = inputs.map((input) => denseVectors(input.features, dimensions).unit);
  const id = createHash("sha256").update(JSON.stringify(rawBody)).digest("hex").slice(0, 32);
  const texts = inputs.flatMap((input) => (input.text === null ? [] : [input.text]));
  const inputTokens = inputs.reduce((sum, input) => sum + input.tokens, 0);
  if (types === null && version === 3) return { body: { id, texts, embeddings: unit, response_type: "embeddings_floats" }, inputTokens };
  const byType: Partial<Record<CohereType, number[][]>> = {};
  for (const type of types ?? ["float"]) byType[type] = type === "float" ? unit : unit.map((vector) => quantize(vector, type as QuantizedType));
  return { body: { id, texts, embeddings: byType, response_type: "embeddings_by_type" }, inputTokens };
}

function cohereInputs(body: JsonBody, version: 3 | 4): CohereInput[] {
  const given = ["texts", "images", "inputs"].filter((key) => body[key] !== undefined);
  if (given.length !== 1) throw malformedInput([`#: exactly one of [texts, images${version === 4 ? ", inputs" : ""}] is required, found ${given.length === 0 ? "none" : given.join(", ")}`]);
  if (given[0] === "texts") {
    return arrayAt(body["texts"], "texts", 0, 96).map((text, index) => {
      const value = stringAt(text, `texts/${index}`, version === 3 ? { max: 2048 } : {});
      return { features: textFeatures(value), tokens: textTokens(value), text: value };
    });
  }
  if (given[0] === "images") {
    return arrayAt(body["images"], "images", 1, version === 3 ? 1 : 96).map((image, index) => ({ features: imageFeatures(dataUri(image, `images/${index}`)), tokens: IMAGE_TOKENS, text: null }));
  }
  return arrayAt(body["inputs"], "inputs", 1, 96).map((input, index) => interleaved(input, `inputs/${index}`));
}

function interleaved(input: unknown, path: string): CohereInput {
  const parts = arrayAt(required(objectBody(input, ["content"]), "content"), `${path}/content`, 1, 1000);
  const result: CohereInput = { features: [], tokens: 0, text: null };
  parts.forEach((part, index) => {
    const where = `${path}/content/${index}`;
    const shaped = objectBody(part, ["type", "text", "image_url"]);
    const type = enumAt(required(shaped, "type"), `${where}/type`, ["text", "image_url"]);
    if (type === "text") {
      const text = stringAt(required(shaped, "text"), `${where}/text`);
      result.features.push(...textFeatures(text));
      result.tokens += textTokens(text);
    } else {
      result.features.push(...imageFeatures(dataUri(required(shaped, "image_url"), `${where}/image_url`)));
      result.tokens += IMAGE_TOKENS;
    }
  });
  return result;
}

function dataUri(value: unknown, path: string): string {
  const uri = stringAt(value, path);
  if (!/^data:image\/(png|jpeg|webp|gif);base64,[A-Za-z0-9+/]+={0,2}$/.test(uri)) {
    throw malformedInput([`#/${path}: expected a data URI of a PNG, JPEG, WebP or GIF image (data:image/png;base64,...)`]);
  }
  return uri;
}
