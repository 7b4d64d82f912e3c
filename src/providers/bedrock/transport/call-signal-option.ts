/**
 * The request option that carries a call's AbortSignal to the pool's agent, so that a connection still being
 * set up for that call (a proxy tunnel) can be cut when the call ends. Node keeps the `signal` option to the
 * request itself and never hands it to agents; other options reach the agent's connect().
 */
export const CALL_SIGNAL_OPTION = "minionCallSignal";
