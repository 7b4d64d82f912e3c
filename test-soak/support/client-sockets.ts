import net from "node:net";

/** Sockets of this process connected to one of `ports` (the client side: their remote port is the server's). */
export function clientSocketsTo(ports: number[]): net.Socket[] {
  const handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles();
  return handles.filter((handle): handle is net.Socket => handle instanceof net.Socket && ports.includes(handle.remotePort ?? -1));
}

/** Polls `read` until it returns 0 or `guardMs` passes (a hang guard, not a timing assertion); returns the last value. */
export async function settlesToZero(read: () => number | Promise<number>, guardMs: number): Promise<number> {
  const deadline = Date.now() + guardMs;
  let value = await read();
  while (value !== 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    value = await read();
  }
  return value;
}
