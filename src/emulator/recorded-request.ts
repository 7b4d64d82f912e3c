import type { Operation } from "./answer-plan.js";
import type { AuthType } from "./authenticate-request.js";

/** A request the emulator accepted (routed, authenticated, valid JSON), as a test can inspect it. */
export interface RecordedRequest {
  operation: Operation;
  modelId: string;
  /** Lower-cased request headers; signatures, API keys and session tokens are masked. */
  headers: Record<string, string>;
  /** The parsed JSON body. */
  body: unknown;
  protocol: "http/1.1" | "h2";
  /** "none" only when the emulator runs with `auth: false` and the request carried no Authorization. */
  authType: AuthType;
}
