import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RoomServiceClient } from 'livekit-server-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { toLiveKitError } from '../../../src/adapters/livekit/errors.ts';
import { createHttpTransport, useTransport } from '../../../src/adapters/livekit/http-transport.ts';

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

const servers: Server[] = [];
let connections = 0;

/** A loopback stand-in for the Twirp endpoint (the real server runs in the contract suite). */
async function twirpServer(handler: Handler): Promise<string> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => handler(req, body, res));
  });
  server.on('connection', () => connections++);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

describe('http transport', () => {
  it('sends what the SDK sends and returns the parsed answer', async () => {
    const seen: { url: string | undefined; headers: IncomingMessage['headers']; body: string }[] =
      [];
    const url = await twirpServer((req, body, res) => {
      seen.push({ url: req.url, headers: req.headers, body });
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ name: 'a', sid: 'RM_1', emptyTimeout: 60 }));
    });
    const transport = createHttpTransport(url);
    connections = 0;
    const client = useTransport(new RoomServiceClient(url, 'APIkey', 'x'.repeat(32)), transport);

    const room = await client.createRoom({ name: 'a', emptyTimeout: 60 });
    await client.createRoom({ name: 'a', emptyTimeout: 60 });
    transport.close();

    expect(room).toMatchObject({ name: 'a', sid: 'RM_1', emptyTimeout: 60 });
    expect(seen[0]?.url).toBe('/twirp/livekit.RoomService/CreateRoom');
    expect(JSON.parse(seen[0]?.body ?? '')).toMatchObject({ name: 'a', emptyTimeout: 60 });
    expect(seen[0]?.headers?.['authorization']).toMatch(/^Bearer ey/);
    expect(seen[0]?.headers?.['x-livekit-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    // Kept alive: the second call came over the first call's connection.
    expect(seen).toHaveLength(2);
    expect(connections).toBe(1);
  });

  it('raises the Twirp error the SDK would, with code, status and message', async () => {
    const url = await twirpServer((_req, _body, res) => {
      res.statusCode = 404;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ code: 'not_found', msg: 'requested room does not exist' }));
    });
    const client = useTransport(
      new RoomServiceClient(url, 'k', 'x'.repeat(32)),
      createHttpTransport(url),
    );

    const err = await client.deleteRoom('gone').catch((e: unknown) => e);

    expect(toLiveKitError(err, 'RoomService.DeleteRoom')).toMatchObject({
      kind: 'not_found',
      serverCode: 'not_found',
      status: 404,
      message: 'RoomService.DeleteRoom: requested room does not exist',
    });
  });

  it('maps a plain-text error to its HTTP status', async () => {
    const url = await twirpServer((_req, _body, res) => {
      res.statusCode = 401;
      res.end('invalid token');
    });
    const client = useTransport(
      new RoomServiceClient(url, 'k', 'x'.repeat(32)),
      createHttpTransport(url),
    );

    const err = await client.listRooms().catch((e: unknown) => e);

    expect(toLiveKitError(err, 'op')).toMatchObject({ kind: 'unauthenticated', status: 401 });
  });

  it('reports a refused connection as unavailable and a slow answer as a timeout', async () => {
    const closed = await twirpServer(() => undefined);
    servers[0]?.close();
    const slow = await twirpServer(() => undefined);
    const refused = useTransport(
      new RoomServiceClient(closed, 'k', 'x'.repeat(32)),
      createHttpTransport(closed),
    );
    const hanging = useTransport(
      new RoomServiceClient(slow, 'k', 'x'.repeat(32)),
      createHttpTransport(slow, 0.2),
    );

    const a = await refused.listRooms().catch((e: unknown) => e);
    const b = await hanging.listRooms().catch((e: unknown) => e);

    expect(toLiveKitError(a, 'op')).toMatchObject({ kind: 'unavailable', status: 0 });
    expect(toLiveKitError(a, 'op').message).toContain('ECONNREFUSED');
    expect(toLiveKitError(b, 'op').kind).toBe('timeout');
  });
});
