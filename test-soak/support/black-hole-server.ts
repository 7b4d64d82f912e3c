import net from "node:net";

/**
 * A TCP server on 127.0.0.1 that accepts connections and never answers. It reads (and drops) what it gets, so
 * it notices when the client closes: an unread socket never sees the FIN.
 */
export interface BlackHole {
  readonly url: string;
  readonly port: number;
  /** Connections open now. */
  openConnections(): number;
  /** Connections accepted since start. */
  readonly accepted: number;
  close(): Promise<void>;
}

export async function startBlackHole(): Promise<BlackHole> {
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const server = net.createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on("error", () => undefined);
    socket.resume();
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    openConnections: () => sockets.size,
    get accepted() {
      return accepted;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
