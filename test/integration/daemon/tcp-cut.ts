/**
 * A loopback TCP forwarder that can be cut (every connection reset, new ones refused), stalled
 * (connections accepted and held silent, as a black-holed network does) and restored: a real
 * network outage between the daemon and livekit-server, on demand.
 */
import { createServer, connect, type Socket } from 'node:net';

export interface TcpCut {
  url: string;
  cut(): void;
  /** New connections are accepted but nothing is forwarded or answered until `restore`. */
  stall(): void;
  restore(): void;
  /** Connections held silent by `stall` right now. */
  stalled(): number;
  close(): Promise<void>;
}

export async function startTcpCut(target: { host: string; port: number }): Promise<TcpCut> {
  let mode: 'up' | 'down' | 'stalled' = 'up';
  const sockets = new Set<Socket>();
  const held = new Set<Socket>();
  const server = createServer((client) => {
    if (mode === 'down') {
      client.resetAndDestroy();
      return;
    }
    if (mode === 'stalled') {
      held.add(client);
      client.on('error', () => undefined).on('close', () => held.delete(client));
      return;
    }
    const upstream = connect(target.port, target.host);
    sockets.add(client);
    sockets.add(upstream);
    const drop = (): void => {
      sockets.delete(client);
      sockets.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  function dropAll(): void {
    for (const s of [...sockets, ...held]) s.destroy();
    sockets.clear();
    held.clear();
  }
  return {
    url: `http://127.0.0.1:${port}`,
    cut() {
      mode = 'down';
      dropAll();
    },
    stall() {
      mode = 'stalled';
      // Open keep-alive connections would otherwise still reach the server.
      dropAll();
    },
    restore() {
      mode = 'up';
      for (const s of held) s.destroy();
      held.clear();
    },
    stalled: () => held.size,
    close: () =>
      new Promise<void>((resolve) => {
        dropAll();
        server.close(() => resolve());
      }),
  };
}
