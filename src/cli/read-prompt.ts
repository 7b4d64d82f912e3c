/** The prompt of `minion ask` / `minion step`: the words on the command line, else what is piped in. */
export async function readPrompt(positionals: readonly string[], stdin: NodeJS.ReadableStream & { isTTY?: boolean }): Promise<string> {
  if (positionals.length > 0) return positionals.join(" ");
  if (stdin.isTTY) return "";
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8").trim();
}
