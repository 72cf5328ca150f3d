import { createConnection, createServer, type Socket } from 'node:net';

/** A TCP proxy a test can cut, to take a real server away from one client and give it back. */
export interface TcpProxy {
  /** `127.0.0.1:<port>` to connect to instead of the target. */
  address: string;
  /** Drops every open connection and refuses new ones (they are closed as they come). */
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

/** Starts a proxy on a free local port to `target` (`host:port`). */
export async function startTcpProxy(target: string): Promise<TcpProxy> {
  const [host, port] = [target.slice(0, target.lastIndexOf(':')), Number(target.slice(target.lastIndexOf(':') + 1))];
  const open = new Set<Socket>();
  let down = false;
  const server = createServer((inbound) => {
    if (down) return void inbound.destroy();
    const outbound = createConnection({ host, port });
    for (const s of [inbound, outbound]) {
      open.add(s);
      s.on('close', () => open.delete(s));
      s.on('error', () => undefined);
    }
    inbound.pipe(outbound).pipe(inbound);
    inbound.on('close', () => outbound.destroy());
    outbound.on('close', () => inbound.destroy());
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port: own } = server.address() as { port: number };
  return {
    address: `127.0.0.1:${own}`,
    cut() {
      down = true;
      for (const s of open) s.destroy();
    },
    restore() {
      down = false;
    },
    close: () =>
      new Promise<void>((ok) => {
        for (const s of open) s.destroy();
        server.close(() => ok());
      }),
  };
}
