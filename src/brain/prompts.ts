/** The instructions each route gives the model. */
import { toolJsonSchema, type BrainTool } from "./tools.js";

export const COT_SYSTEM = [
  "Think through the problem step by step, showing your reasoning.",
  'When you are done, write one last line that starts with "Final answer:" followed by the answer alone.',
].join("\n");

export const REACT_SYSTEM = [
  "Answer the user's request. Use the tools you are given when they help; you may call several at once.",
  "When you have what you need, answer directly without calling a tool.",
].join("\n");

export function codeSystem(tools: readonly BrainTool[]): string {
  const lines = [
    "You solve the task by writing JavaScript that runs in a sandbox. Reply with your reasoning and one ```js code block.",
    "The code runs as the body of an async function, so top-level await works. It is a bare JavaScript engine:",
    "there is no require/import, no process, no file system, no network and no timers.",
    "Print what you want to see with console.log(...): the printed output (and any error) comes back to you in the next message.",
    "When you know the answer, call finalAnswer(value) in your code; that ends the task. Variables do not persist between code blocks.",
    "If you can answer without code, reply with the answer and no code block.",
  ];
  if (tools.length > 0) {
    lines.push("", "These async functions are available in the sandbox; each takes one object argument (await the result):");
    for (const definition of tools) {
      const description = definition.description ? ` - ${definition.description}` : "";
      lines.push(`- await ${definition.name}(args)${description}. args JSON Schema: ${JSON.stringify(toolJsonSchema(definition))}`);
    }
  }
  return lines.join("\n");
}

/** The message that gives a code run's result back to the model. */
export function codeObservation(output: string, error: string | undefined): string {
  const parts = [`Output:\n${output === "" ? "(nothing printed)" : output}`];
  if (error) parts.push(`Error: ${error}`);
  parts.push(error ? "Fix the code and try again, or call finalAnswer(value) when you know the answer." : "Call finalAnswer(value) when you know the answer.");
  return parts.join("\n\n");
}

export function withUserSystem(system: string | undefined, routeSystem: string | undefined): string | undefined {
  const parts = [system, routeSystem].filter((part): part is string => typeof part === "string" && part.trim() !== "");
  return parts.length > 0 ? parts.join("\n\n") : undefined;
}

/** The message sent back when the model wrote a code block in a language the sandbox cannot run. */
export function wrongLanguage(language: string): string {
  return `Your ${language} code block was not run: only JavaScript runs here. Rewrite it as one \`\`\`js block, or reply with the answer and no code block.`;
}
