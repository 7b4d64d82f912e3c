/**
 * TypeScript snippets of the docs compile under strict tsc against the library's own types. Each entry names
 * a doc, a line its ```ts block contains, and the declarations the snippet assumes (an `llm`, `messages`).
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, describe, it } from "node:test";
import ts from "typescript";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const PRELUDE_PROVIDER = "declare const llm: import(\"minion-ts\").LlmProvider;\ndeclare const messages: import(\"minion-ts\").MessageInput[];\n";

const SNIPPETS: { doc: string; contains: string; prelude?: string }[] = [
  { doc: "docs/providers.md", contains: 'const tools: ToolDefinition[] = [', prelude: PRELUDE_PROVIDER },
  { doc: "docs/brain.md", contains: "const getWeather = tool({" },
  { doc: "docs/configuration.md", contains: "const theDefault = createLlmProvider();" },
  { doc: "docs/configuration.md", contains: "config.llm.unresolvedVariables()" },
  { doc: "docs/configuration.md", contains: "const cooler = config.with(" },
  { doc: "docs/structured-output.md", contains: "const recipe = await llm.generateObject(" },
  { doc: "docs/bedrock-features.md", contains: 'serviceTier: "flex",', prelude: PRELUDE_PROVIDER },
  { doc: "docs/bedrock-features.md", contains: "for (const citation of answer.choices", prelude: PRELUDE_PROVIDER },
  { doc: "docs/bedrock-features.md", contains: 'effort: "medium"', prelude: PRELUDE_PROVIDER },
  { doc: "docs/bedrock-features.md", contains: "const described = await llm.generate([", prelude: `${PRELUDE_PROVIDER}declare const tools: import("minion-ts").ToolDefinition[];\n` },
  { doc: "docs/bedrock-features.md", contains: 'cacheTtl: "1h" });', prelude: `${PRELUDE_PROVIDER}declare const longReference: string;\n` },
  { doc: "docs/production.md", contains: "@opentelemetry/sdk-trace-base" },
  { doc: "docs/production.md", contains: 'fallbacks: ["claude-eu", "haiku"]' },
  { doc: "docs/production.md", contains: "profileOnlyModels" },
];

function snippet(doc: string, contains: string): string {
  const text = readFileSync(join(ROOT, doc), "utf8");
  const block = [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]!).find((code) => code.includes(contains));
  assert.ok(block, `${doc} has no \`\`\`ts block containing ${contains}`);
  return block;
}

const dir = mkdtempSync(join(ROOT, ".doc-snippets-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** One program for every snippet: each tsc program re-checks the library's sources, so one is much cheaper than five. */
function diagnosticsBySnippet(): Map<string, string[]> {
  const files = SNIPPETS.map(({ doc, contains, prelude }, index) => {
    const file = join(dir, `snippet-${index}.ts`);
    writeFileSync(file, `${prelude ?? ""}${snippet(doc, contains)}\nexport {};\n`);
    return file;
  });
  const program = ts.createProgram(files, {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    lib: ["lib.es2023.d.ts"],
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: ["node"],
    skipLibCheck: true,
    noEmit: true,
    allowImportingTsExtensions: true,
    paths: { "minion-ts": [join(ROOT, "src/index.ts")], "minion-ts/emulator": [join(ROOT, "src/emulator/index.ts")] },
  });
  const problems = new Map<string, string[]>(files.map((file) => [file, []]));
  // The snippets' own diagnostics and the global ones: checking the library's sources too (what
  // getPreEmitDiagnostics does) costs most of the time, and `npm run typecheck` checks them.
  const snippetDiagnostics = files.flatMap((file) => {
    const source = program.getSourceFile(file);
    return source ? [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)] : [];
  });
  for (const diagnostic of [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics(), ...snippetDiagnostics]) {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
    const owners = diagnostic.file ? [diagnostic.file.fileName] : files;
    for (const owner of owners) problems.get(owner)?.push(message);
  }
  return problems;
}

describe("doc snippets typecheck (strict)", () => {
  let problems: Map<string, string[]> | undefined;
  for (const [index, { doc, contains }] of SNIPPETS.entries()) {
    it(`${doc}: the snippet with ${JSON.stringify(contains)}`, () => {
      problems ??= diagnosticsBySnippet();
      assert.deepEqual(problems.get(join(dir, `snippet-${index}.ts`)), []);
    });
  }
});
