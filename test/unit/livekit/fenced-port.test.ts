import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { fencedPort, isWrite } from '../../../src/adapters/livekit/fenced.ts';
import type { LiveKitPort } from '../../../src/adapters/livekit/port.ts';
import { createFakeLiveKit } from '../../fakes/fake-livekit.ts';

describe('LiveKit port fenced by a lease', () => {
  it('starts no write after writeUntil, while reads still run', async () => {
    const fake = createFakeLiveKit();
    const controller = new AbortController();
    let until = Date.now() + 60_000;
    const port = fencedPort(fake, { signal: controller.signal, writeUntil: () => until });
    await port.createRoom({ name: 'a' });
    until = Date.now() - 1;
    await expect(port.createRoom({ name: 'b' })).rejects.toThrow(/deadline is too near/);
    expect((await port.listRooms()).map((r) => r.name)).toEqual(['a']);
  });

  it('rejects calls in flight when the signal aborts, and refuses every call afterwards', async () => {
    let release: () => void = () => undefined;
    const hung = new Promise<void>((r) => (release = r));
    const slow = {
      listRooms: () => hung.then(() => []),
      deleteRoom: () => Promise.resolve(),
    } as unknown as LiveKitPort;
    const controller = new AbortController();
    const port = fencedPort(slow, {
      signal: controller.signal,
      writeUntil: () => Date.now() + 60_000,
    });
    const inFlight = port.listRooms();
    controller.abort(new Error('the lease deadline passed'));
    await expect(inFlight).rejects.toThrow(/abandoned: the lease deadline passed/);
    await expect(port.deleteRoom('x')).rejects.toThrow(/not sent/);
    release();
  });

  it('aborts the HTTP request itself: the signal reaches fetch made inside a fenced call', async () => {
    // A server that never answers; it sees the request's socket close when fetch aborts.
    let closed: () => void = () => undefined;
    const requestClosed = new Promise<void>((r) => (closed = r));
    let arrived: () => void = () => undefined;
    const requestArrived = new Promise<void>((r) => (arrived = r));
    const server = createServer((req) => {
      arrived();
      req.socket.once('close', () => closed());
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port: httpPort } = server.address() as AddressInfo;
    const viaFetch = {
      // As the SDK does: global fetch, with only its own timeout signal.
      createRoom: async () => {
        await fetch(`http://127.0.0.1:${httpPort}/`, { signal: AbortSignal.timeout(30_000) });
        return {};
      },
    } as unknown as LiveKitPort;
    const controller = new AbortController();
    const port = fencedPort(viaFetch, {
      signal: controller.signal,
      writeUntil: () => Date.now() + 60_000,
    });
    const call = port.createRoom({ name: 'x' });
    await requestArrived;
    controller.abort(new Error('the lease deadline passed'));
    await expect(call).rejects.toThrow(/abandoned/);
    await requestClosed;
    server.close();
  });

  it('classifies list/get methods as reads, everything else as writes', () => {
    expect(['listRooms', 'listEgress', 'getX'].map(isWrite)).toEqual([false, false, false]);
    expect(['createRoom', 'stopEgress', 'removeParticipant'].map(isWrite)).toEqual([
      true,
      true,
      true,
    ]);
  });
});
