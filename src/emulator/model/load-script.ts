import { readFileSync } from "node:fs";
import { LineCounter, isNode, parseDocument, type Document } from "yaml";
import type { z } from "zod";
import { ConfigError } from "../../schema/errors.js";
import { scriptSchema, type Script } from "./script-schema.js";

/**
 * Reads an emulator script from a .yaml, .yml or .json file. Errors are ConfigErrors naming the file, the
 * line (YAML/JSON syntax, and the line of the offending field where it can be found) and the bad field.
 */
export function loadScript(path: string): Script {
  if (!/\.(ya?ml|json)$/i.test(path)) {
    throw new ConfigError(`Emulator script ${path}: unsupported file type; use a .yaml, .yml or .json file.`);
  }
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "file not found" : (error as Error).message;
    throw new ConfigError(`Emulator script ${path}: cannot read it (${reason}).`, { cause: error });
  }
  return parseScriptText(text, path);
}

/** Parses script text (YAML or JSON, by the name's extension); `source` names it in errors. */
export function parseScriptText(text: string, source: string): Script {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const json = /\.json$/i.test(source);
  const first = document.errors[0];
  if (first) {
    const line = first.linePos?.[0]?.line ?? lines.linePos(first.pos[0]).line;
    throw new ConfigError(`Emulator script ${source}, line ${line}: invalid ${json ? "JSON" : "YAML"}: ${firstLine(first.message)}`);
  }
  if (json) checkJsonSyntax(text, source);
  return validateScript(document.toJS(), source, document, lines);
}

/** Validates an in-memory script object (what `createPlanner({ script: {...} })` receives). */
export function validateScript(value: unknown, source = "(inline script)", document?: Document, lines?: LineCounter): Script {
  const result = scriptSchema.safeParse(value ?? []);
  if (result.success) return result.data;
  const issue = pickIssue(result.error.issues);
  const field = formatPath(issue.path);
  const line = document && lines ? lineOf(document, lines, issue.path) : null;
  const where = line === null ? "" : `, line ${line}`;
  const message = /received undefined$/.test(issue.message) ? "is required" : issue.message;
  throw new ConfigError(`Emulator script ${source}${where}: ${field ? `field \`${field}\`: ` : ""}${message}`);
}

function checkJsonSyntax(text: string, source: string): void {
  try {
    JSON.parse(text);
  } catch (error) {
    const message = firstLine((error as Error).message);
    const position = /position (\d+)/.exec(message);
    const where = position ? `, line ${text.slice(0, Number(position[1])).split("\n").length}` : "";
    throw new ConfigError(`Emulator script ${source}${where}: invalid JSON: ${message}`);
  }
}

/** The union of "object form" and "list form" reports its own issue; prefer the deepest real one. */
function pickIssue(issues: z.core.$ZodIssue[]): { path: PropertyKey[]; message: string } {
  const flat: Array<{ path: PropertyKey[]; message: string }> = [];
  const walk = (list: z.core.$ZodIssue[], prefix: PropertyKey[]) => {
    for (const issue of list) {
      if (issue.code === "invalid_union" && issue.errors.length > 0) {
        for (const branch of issue.errors) walk(branch, [...prefix, ...issue.path]);
      } else flat.push({ path: [...prefix, ...issue.path], message: issue.message });
    }
  };
  walk(issues, []);
  flat.sort((a, b) => b.path.length - a.path.length);
  return flat[0] ?? { path: [], message: "invalid script" };
}

function formatPath(path: PropertyKey[]): string {
  return path.reduce<string>((text, key) => (typeof key === "number" ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)), "");
}

function lineOf(document: Document, lines: LineCounter, path: PropertyKey[]): number | null {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = document.getIn(path.slice(0, depth) as Array<string | number>, true);
    if (isNode(node) && node.range) return lines.linePos(node.range[0]).line;
  }
  return null;
}

function firstLine(message: string): string {
  return message.split("\n")[0] ?? message;
}
