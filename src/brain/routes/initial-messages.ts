/** The conversation a route starts from: optional system text, then the user's query. */
import type { MessageInit } from "../../schema/message.js";
import { withUserSystem } from "../prompts.js";
import type { StepRun } from "../step-run.js";

export function initialMessages(run: StepRun, routeSystem?: string): MessageInit[] {
  const system = withUserSystem(run.options.system, routeSystem);
  const messages: MessageInit[] = [];
  if (system) messages.push({ role: "system", content: system });
  messages.push({ role: "user", content: run.options.query });
  return messages;
}
