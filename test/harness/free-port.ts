import { createServer } from 'node:net';

/**
 * Ports below the OS's ephemeral range (32768–60999 on Linux), so no outgoing connection or
 * OS-assigned listener can take a port between our probe and the server binding it (or rebinding
 * it on restart).
 */
const LOW = 20_000;
const HIGH = 32_767;

function tryBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** A TCP port free on 127.0.0.1 right now, outside the ephemeral range. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = LOW + Math.floor(Math.random() * (HIGH - LOW + 1));
    if (await tryBind(port)) return port;
  }
  throw new Error(`no free port between ${LOW} and ${HIGH} after 200 tries`);
}
