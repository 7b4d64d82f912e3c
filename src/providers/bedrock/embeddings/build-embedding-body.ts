/**
 * InvokeModel bodies of the embedding models, from the Bedrock model parameter pages:
 *  - Titan Text Embeddings V2: {"inputText", "dimensions": 256|512|1024, "normalize", "embeddingTypes": ["float"|"binary"]}
 *    https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-titan-embed-text.html
 *  - Cohere Embed v3: {"texts" (<= 96, <= 2048 characters each) | "images" (1 data URI), "input_type",
 *    "truncate": NONE|START|END, "embedding_types": [float|int8|uint8|binary|ubinary]}
 *    https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-embed-v3.html
 *  - Cohere Embed v4: as v3 with "images" up to 96, "output_dimension": 256|512|1024|1536, "truncate": NONE|LEFT|RIGHT
 *    https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-embed-v4.html
 * Options are checked here, before any network call, so a bad one costs no request. Images go through the
 * shared media checks (media/decode-media-data.ts) with the model's own size limit.
 */
import { InvalidRequestError } from "../../../schema/errors.js";
import { decodeMediaData } from "../media/decode-media-data.js";
import type { EmbedOptions, EmbeddingInputType, EmbeddingType } from "../../embedding-provider.js";
import type { EmbeddingModelSpec } from "./embedding-model-spec.js";

export type InputKind = "texts" | "images";

export interface ResolvedEmbedOptions {
  inputType: EmbeddingInputType;
  dimensions: number | undefined;
  normalize: boolean;
  embeddingType: EmbeddingType;
  truncate: string | undefined;
}

const INPUT_TYPES: readonly EmbeddingInputType[] = ["search_document", "search_query", "classification", "clustering"];
const TITAN_MAX_CHARS = 50_000;
const COHERE_V3_MAX_CHARS = 2048;

export function resolveEmbedOptions(model: string, spec: EmbeddingModelSpec, options: EmbedOptions): ResolvedEmbedOptions {
  if (options === null || typeof options !== "object") throw new InvalidRequestError('options must be an object, e.g. { inputType: "search_query" }.');
  const inputType = options.inputType ?? "search_document";
  if (!INPUT_TYPES.includes(inputType)) throw new InvalidRequestError(`inputType must be one of ${INPUT_TYPES.join(", ")}, got ${JSON.stringify(inputType)}.`);
  const { dimensions } = options;
  if (dimensions !== undefined && !spec.dimensions.includes(dimensions)) {
    throw new InvalidRequestError(
      spec.dimensions.length === 0
        ? `${model} has a fixed output size; remove dimensions (${JSON.stringify(dimensions)}).`
        : `dimensions must be one of ${spec.dimensions.join(", ")} for ${model}, got ${JSON.stringify(dimensions)}.`,
    );
  }
  const embeddingType = options.embeddingType ?? "float";
  if (!spec.types.includes(embeddingType)) throw new InvalidRequestError(`embeddingType must be one of ${spec.types.join(", ")} for ${model}, got ${JSON.stringify(embeddingType)}.`);
  const normalize = options.normalize ?? true;
  if (typeof normalize !== "boolean") throw new InvalidRequestError(`normalize must be true or false, got ${JSON.stringify(normalize)}.`);
  if (!normalize && spec.family !== "titan-v2") throw new InvalidRequestError(`${model} always returns unit-length vectors; normalize: false is offered by Titan Text Embeddings V2 only.`);
  const truncate = options.truncate;
  if (truncate !== undefined) {
    const allowed = spec.family === "cohere-v3" ? ["NONE", "START", "END"] : spec.family === "cohere-v4" ? ["NONE", "LEFT", "RIGHT"] : [];
    if (!allowed.includes(truncate)) {
      throw new InvalidRequestError(allowed.length === 0 ? `${model} takes no truncate option; remove it.` : `truncate must be one of ${allowed.join(", ")} for ${model}, got ${JSON.stringify(truncate)}.`);
    }
  }
  return { inputType, dimensions, normalize, embeddingType, truncate };
}

/**
 * Checks every input before the first call (a bad one at position 9,000 should not cost 8,999 embeddings) and
 * returns what is sent: texts as given, images as data URIs with the media type their bytes are.
 */
export function checkInputs(model: string, spec: EmbeddingModelSpec, kind: InputKind, items: readonly unknown[]): readonly string[] {
  if (!Array.isArray(items)) throw new InvalidRequestError(`${kind} must be an array of strings${kind === "images" ? " (data: URIs)" : ""}; for one text use embedOne(text).`);
  return items.map((item: unknown, index) => {
    if (typeof item !== "string") throw new InvalidRequestError(`${kind}[${index}] must be a string, got ${item === null ? "null" : typeof item}.`);
    if (kind === "images") return checkedImage(item, index, spec.imageMaxBytes);
    if (spec.family === "titan-v2" && item.length === 0) throw new InvalidRequestError(`texts[${index}] is empty; ${model} rejects empty text.`);
    const max = spec.family === "titan-v2" ? TITAN_MAX_CHARS : spec.family === "cohere-v3" ? COHERE_V3_MAX_CHARS : Infinity;
    if (item.length > max) throw new InvalidRequestError(`texts[${index}] has ${item.length} characters; ${model} takes at most ${max}. Split the text into chunks.`);
    return item;
  });
}

function checkedImage(item: string, index: number, maxBytes: number): string {
  const what = `images[${index}]`;
  if (!item.startsWith("data:")) throw new InvalidRequestError(`${what} must be a data URI of a PNG, JPEG, WebP or GIF image (data:image/png;base64,...).`);
  const { data, format } = decodeMediaData("image", item, undefined, what, maxBytes);
  return `data:${format.mediaType};base64,${data}`;
}

export function buildEmbeddingBody(spec: EmbeddingModelSpec, kind: InputKind, batch: readonly string[], options: ResolvedEmbedOptions): Record<string, unknown> {
  if (spec.family === "titan-v2") {
    const body: Record<string, unknown> = { inputText: batch[0], normalize: options.normalize };
    if (options.dimensions !== undefined) body["dimensions"] = options.dimensions;
    if (options.embeddingType !== "float") body["embeddingTypes"] = [options.embeddingType];
    return body;
  }
  const inputType = kind === "images" && spec.family === "cohere-v3" ? "image" : options.inputType;
  const body: Record<string, unknown> = { [kind]: batch, input_type: inputType, embedding_types: [options.embeddingType] };
  if (options.truncate !== undefined) body["truncate"] = options.truncate;
  if (options.dimensions !== undefined) body["output_dimension"] = options.dimensions;
  return body;
}
